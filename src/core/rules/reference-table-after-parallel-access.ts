/**
 * reference-table-after-parallel-access: A modification of a reference (or citus-local) table that distributed tables
 * reference, in a transaction that already ran a statement over several shards in parallel: Citus refuses it. Findings
 * come from the transaction tracker (src/core/planner/access.ts); docs/rules/reference-table-after-parallel-access.md
 * explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'reference-table-after-parallel-access',
  summary: 'A modification of a table that distributed tables reference, after a parallel statement in the same transaction (or any use of it after parallel DDL on them): Citus refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
