/**
 * foreign-key-type-mismatch: A foreign key whose column types cannot be compared with the referenced key's (uuid
 * referencing bigint, numeric referencing integer). PostgreSQL's own error, found while the schema model applies the
 * DDL (src/core/schema/foreignKeys.ts, foreignKeyTypeError); docs/rules/foreign-key-type-mismatch.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'foreign-key-type-mismatch',
  summary: "A foreign key whose column types cannot be compared with the referenced key's (uuid referencing bigint, numeric referencing integer).",
  defaultSeverity: 'error',
  fixable: false,
});
