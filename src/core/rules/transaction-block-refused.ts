/**
 * transaction-block-refused: a statement PostgreSQL runs only outside a transaction block (CREATE INDEX CONCURRENTLY,
 * VACUUM, ALTER SYSTEM, ...), after BEGIN. The check is src/core/transactionBlock.ts; docs/rules/transaction-block-refused.md
 * explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'transaction-block-refused',
  summary: 'A statement PostgreSQL runs only outside a transaction block (CREATE INDEX CONCURRENTLY, VACUUM, ALTER SYSTEM, ...), after BEGIN.',
  defaultSeverity: 'error',
  fixable: false,
});
