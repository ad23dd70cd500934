/**
 * on-conflict-without-matching-key: ON CONFLICT (..) names no unique index of the target (as PostgreSQL infers one), or DO UPDATE names no key.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/on-conflict-without-matching-key.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'on-conflict-without-matching-key',
  summary: 'ON CONFLICT (..) names no unique index of the target (as PostgreSQL infers one), or DO UPDATE names no key.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'there is no unique or exclusion constraint matching the ON CONFLICT specification',
});
