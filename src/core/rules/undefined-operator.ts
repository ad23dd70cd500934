/**
 * undefined-operator: An operator between types that have none (integer = text, ...), with no implicit conversion.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/undefined-operator.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'undefined-operator',
  summary: 'An operator between types that have none (integer = text, ...), with no implicit conversion.',
  defaultSeverity: 'error',
  fixable: false,
});
