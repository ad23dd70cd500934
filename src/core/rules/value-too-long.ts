/**
 * value-too-long: A constant too long or too large for the `varchar(n)`, `char(n)` or `numeric(p, s)` column it is
 * assigned to.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/value-too-long.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'value-too-long',
  summary: 'A constant too long or too large for the varchar(n), char(n), numeric(p, s) or integer column it is assigned to.',
  defaultSeverity: 'error',
  fixable: false,
});
