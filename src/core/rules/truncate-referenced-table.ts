/**
 * truncate-referenced-table: TRUNCATE (without CASCADE) of a table another table's foreign key references, that table
 * not truncated with it: PostgreSQL refuses it. Findings come from the DML predictor (src/core/planner/dml.ts);
 * docs/rules/truncate-referenced-table.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'truncate-referenced-table',
  summary: 'TRUNCATE of a table another table\'s foreign key references, without that table or CASCADE: PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
