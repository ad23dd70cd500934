/**
 * constant-arithmetic-error: Integer arithmetic on constants that fails when PostgreSQL plans the statement (division
 * by zero, a result out of its type's range).
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/constantArithmetic.ts);
 * docs/rules/constant-arithmetic-error.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'constant-arithmetic-error',
  summary: 'Integer arithmetic on constants that fails when PostgreSQL plans the statement (division by zero, a result out of its type\'s range), or a negative constant LIMIT or OFFSET.',
  defaultSeverity: 'error',
  fixable: false,
});
