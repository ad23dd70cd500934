/**
 * modify-columnar-table: An UPDATE, DELETE or SELECT FOR UPDATE/SHARE that reaches a columnar table (or partition): columnar storage
 * refuses it. Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/modify-columnar-table.md
 * explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'modify-columnar-table',
  summary: 'An UPDATE, DELETE, SELECT FOR UPDATE/SHARE or INSERT .. ON CONFLICT that reaches a columnar table or columnar partition: columnar storage refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
