/**
 * domain-dist-column-constant: a constant for a distribution column whose type is a domain with constraints, not cast
 * to the domain. Citus 13.2's shard pruning cannot fold it: a one-row INSERT .. VALUES fails, an UPDATE or DELETE
 * filtered by it ends the server process. Findings come from the DML predictor (src/core/planner/dml.ts);
 * docs/rules/domain-dist-column-constant.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'domain-dist-column-constant',
  summary: 'A constant for a distribution column of a domain with constraints, not cast to the domain: a one-row INSERT fails, an UPDATE or DELETE filtered by it crashes the server process.',
  defaultSeverity: 'error',
  fixable: false,
});
