/**
 * merge-into-reference-table: MERGE with a reference table as target (not supported by Citus 13).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/merge-into-reference-table.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'merge-into-reference-table',
  summary: 'MERGE with a reference table as target (not supported by Citus 13).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'Reference table as target is not allowed in MERGE command',
});
