/**
 * removed-citus-setting: SET/RESET of a citus.* setting that Citus 13 no longer has (an error) or that has no effect.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/removed-citus-setting.md explains the rule.
 * Severity: error when the SET fails (the setting is gone), warning when it is accepted but does nothing.
 */
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'removed-citus-setting',
    summary: 'SET/RESET of a citus.* setting that Citus 13 no longer has (an error) or that has no effect.',
    defaultSeverity: 'error',
    fixable: true,
    citusMessage: 'invalid configuration parameter name "citus.<name>"',
  },
  check(ctx) {
    return ctx.plannerFindings
      .filter((f) => f.rule === 'removed-citus-setting')
      .map((f) => ({ message: f.message, range: f.range, explanation: f.explanation, citus: f.citus, fix: f.fix, severity: f.citus.level === 'ERROR' ? 'error' : 'warning' }));
  },
};
