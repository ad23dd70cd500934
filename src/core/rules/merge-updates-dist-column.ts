/**
 * merge-updates-dist-column: MERGE .. UPDATE SET assigns the target's distribution column.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/merge-updates-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'merge-updates-dist-column',
  summary: "MERGE .. UPDATE SET assigns the target's distribution column.",
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'updating the distribution column is not allowed in MERGE actions',
});
