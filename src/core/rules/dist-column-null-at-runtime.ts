/**
 * dist-column-null-at-runtime: the value an INSERT..SELECT gives the distribution column can be NULL at run
 * time (a nullable column, the nullable side of an outer join, an aggregate over no rows, a scalar subquery).
 * Findings come from the planner (src/core/planner/predict.ts); docs/rules/dist-column-null-at-runtime.md
 * explains the rule. Always a warning: the plan is what the statement's method says, the failure depends on
 * the rows.
 */
import type { Rule, RuleFinding } from './rule';

export const rule: Rule = {
  meta: {
    id: 'dist-column-null-at-runtime',
    summary: 'The distribution column may receive NULL from the data at run time.',
    defaultSeverity: 'warning',
    fixable: false,
    citusMessage: 'the partition column value cannot be NULL',
  },
  fromPlanner: true,
  check(ctx) {
    const out: RuleFinding[] = [];
    for (const f of ctx.plannerFindings) {
      if (f.rule !== 'dist-column-null-at-runtime') continue;
      out.push({ message: f.message, range: f.range, explanation: f.explanation, severity: 'warning' });
    }
    return out;
  },
};
