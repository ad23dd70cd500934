/**
 * for-update-multi-shard: SELECT .. FOR UPDATE/SHARE that is not pinned to a single shard.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/for-update-multi-shard.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'for-update-multi-shard',
  summary: 'SELECT .. FOR UPDATE/SHARE that is not pinned to a single shard.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'could not run distributed query with FOR UPDATE/SHARE commands',
});
