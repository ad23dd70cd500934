/**
 * copy-refused: A COPY .. FROM that Citus or PostgreSQL refuses whatever the rows: WHERE into a Citus table, a
 * materialized view as the target. Findings come from the DML predictor (src/core/planner/dml.ts);
 * docs/rules/copy-refused.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'copy-refused',
  summary: 'A COPY .. FROM that Citus or PostgreSQL refuses whatever the rows: WHERE into a Citus table, a materialized view as the target.',
  defaultSeverity: 'error',
  fixable: false,
  citusMessage: 'Citus does not support COPY FROM with WHERE',
});
