/**
 * merge-via-coordinator: MERGE whose source cannot be pushed down: Citus repartitions the source or pulls it to the coordinator.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/merge-via-coordinator.md explains the rule.
 * Severity follows the cost: warning when the source is pulled to the coordinator, information when it is repartitioned.
 */
import type { Rule } from './rule';

export const rule: Rule = {
  meta: {
    id: 'merge-via-coordinator',
    summary: 'MERGE whose source cannot be pushed down: Citus repartitions the source or pulls it to the coordinator.',
    defaultSeverity: 'information',
    fixable: false,
    citusMessage: 'Creating MERGE repartition plan',
  },
  check(ctx) {
    return ctx.plannerFindings
      .filter((f) => f.rule === 'merge-via-coordinator')
      .map((f) => ({ message: f.message, range: f.range, explanation: f.explanation, citus: f.citus, severity: /pull/.test(f.summary) ? 'warning' : 'information' }));
  },
};
