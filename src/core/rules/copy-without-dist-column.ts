/**
 * copy-without-dist-column: COPY into a distributed table without its distribution column (or with NULL in it).
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/copy-without-dist-column.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'copy-without-dist-column',
  summary: 'COPY into a distributed table without its distribution column (or with NULL in it).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'the partition column of table <table> cannot be NULL',
});
