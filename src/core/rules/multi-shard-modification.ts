/**
 * multi-shard-modification: UPDATE/DELETE/MERGE that runs on several shards (says how many).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/multi-shard-modification.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'multi-shard-modification',
  summary: 'UPDATE/DELETE/MERGE that runs on several shards (says how many).',
  defaultSeverity: 'information',
  fixable: false,
});
