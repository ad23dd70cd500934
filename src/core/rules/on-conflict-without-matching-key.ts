/**
 * on-conflict-without-matching-key: ON CONFLICT (columns) names columns that no PRIMARY KEY or UNIQUE constraint covers exactly, or DO UPDATE names no key.
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/on-conflict-without-matching-key.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'on-conflict-without-matching-key',
  summary: 'ON CONFLICT (columns) names columns that no PRIMARY KEY or UNIQUE constraint covers exactly, or DO UPDATE names no key.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'there is no unique or exclusion constraint matching the ON CONFLICT specification',
});
