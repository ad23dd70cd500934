/**
 * invalid-literal: A quoted literal that is not valid input for the type it is compared with, cast to or assigned to.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/invalid-literal.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'invalid-literal',
  summary: 'A quoted literal that is not valid input for the type it is compared with, cast to or assigned to.',
  defaultSeverity: 'error',
  fixable: false,
});
