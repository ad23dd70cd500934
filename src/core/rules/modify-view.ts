/**
 * modify-view: An INSERT, UPDATE or DELETE on a view in a statement with Citus tables: Citus (or PostgreSQL, for a view
 * that is not automatically updatable) refuses it. Findings come from the DML predictor (src/core/planner/dml.ts);
 * docs/rules/modify-view.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'modify-view',
  summary: 'An INSERT, UPDATE or DELETE on a view in a statement with Citus tables: Citus refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
