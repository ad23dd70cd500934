/**
 * merge-insert-without-join-column: MERGE .. WHEN NOT MATCHED THEN INSERT does not insert the source's join column into the distribution column.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/merge-insert-without-join-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'merge-insert-without-join-column',
  summary: "MERGE .. WHEN NOT MATCHED THEN INSERT does not insert the source's join column into the distribution column.",
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: "MERGE INSERT must use the source's joining column for target's distribution column",
});
