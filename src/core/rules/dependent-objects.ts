/**
 * dependent-objects: DROP TABLE, ALTER TABLE .. DROP COLUMN (without CASCADE) or ALTER COLUMN .. TYPE of what a view or
 * materialized view of the files reads. PostgreSQL's own error, found while the schema model applies the DDL
 * (src/core/schema/ddl.ts, viewsSurelyReading); docs/rules/dependent-objects.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'dependent-objects',
  summary: 'DROP TABLE, DROP COLUMN (without CASCADE) or ALTER COLUMN .. TYPE of what a view reads, which PostgreSQL refuses.',
  defaultSeverity: 'error',
  fixable: false,
});
