/**
 * value-too-long: A constant longer than the `character varying(n)` / `character(n)` column it is assigned to.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/value-too-long.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'value-too-long',
  summary: 'A constant longer than the character varying(n) or character(n) column it is assigned to.',
  defaultSeverity: 'error',
  fixable: false,
});
