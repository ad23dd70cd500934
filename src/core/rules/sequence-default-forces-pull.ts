/**
 * sequence-default-forces-pull: nextval(), serial/bigserial or identity defaults of omitted columns force pull to the coordinator.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/sequence-default-forces-pull.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'sequence-default-forces-pull',
  summary: 'nextval(), serial/bigserial or identity defaults of omitted columns force pull to the coordinator.',
  defaultSeverity: 'warning',
  fixable: false,
  citusMessage: 'volatile functions are not allowed in distributed INSERT ... SELECT queries',
});
