/**
 * modify-materialized-view: An INSERT, UPDATE or DELETE whose target is a materialized view: PostgreSQL refuses it.
 * Findings come from the DML predictor (src/core/planner/dml.ts); docs/rules/modify-materialized-view.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'modify-materialized-view',
  summary: 'An INSERT, UPDATE or DELETE whose target is a materialized view: PostgreSQL refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
