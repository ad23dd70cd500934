/**
 * volatile-function-in-modification: A volatile function in UPDATE SET / WHERE of a modification, or a non-IMMUTABLE one in ON CONFLICT DO UPDATE of INSERT .. VALUES.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/volatile-function-in-modification.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'volatile-function-in-modification',
  summary: 'A volatile function in UPDATE SET / WHERE of a modification, or a non-IMMUTABLE one in ON CONFLICT DO UPDATE of INSERT .. VALUES.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'functions used in UPDATE queries on distributed tables must not be VOLATILE',
});
