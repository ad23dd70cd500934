/**
 * undefined-function: A built-in function called with argument types no version of it takes (or with aggregate syntax when it is not one), or a Citus procedure called as a function.
 * PostgreSQL's own check, made offline by the semantic layer (src/core/semantic/); docs/rules/undefined-function.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'undefined-function',
  summary: 'A built-in function called with argument types no version of it takes (or with aggregate syntax when it is not one), or a Citus procedure called as a function.',
  defaultSeverity: 'error',
  fixable: false,
});
