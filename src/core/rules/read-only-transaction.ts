/**
 * read-only-transaction: a statement that writes, in a transaction PostgreSQL runs read-only (BEGIN READ ONLY,
 * SET TRANSACTION READ ONLY, default_transaction_read_only). The model of it is src/core/schema/readOnly.ts;
 * docs/rules/read-only-transaction.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'read-only-transaction',
  summary: 'A statement that writes (DML, DDL, a Citus call that changes its metadata) in a read-only transaction: PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
