/**
 * on-conflict-mutable-function: ON CONFLICT DO UPDATE SET / WHERE uses a function that is not IMMUTABLE (now() included).
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/on-conflict-mutable-function.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'on-conflict-mutable-function',
  summary: 'ON CONFLICT DO UPDATE SET / WHERE uses a function that is not IMMUTABLE (now() included).',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'functions used in the DO UPDATE SET clause of INSERTs on distributed tables must be marked IMMUTABLE',
});
