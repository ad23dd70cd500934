/**
 * ddl-column-error: DDL naming a column the table does not have (ALTER COLUMN, DROP COLUMN, RENAME COLUMN, a key, an
 * index, a foreign key), or adding one it already has. PostgreSQL's own error, found while the schema model applies
 * the DDL (src/core/schema/columnNames.ts); docs/rules/ddl-column-error.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'ddl-column-error',
  summary: 'DDL naming a column the table does not have (ALTER/DROP/RENAME COLUMN, a key, an index, a foreign key), adding one it already has, or changing its type where no cast does it.',
  defaultSeverity: 'error',
  fixable: false,
});
