/**
 * join-using-renamed-column: a join USING whose merged column is not a plain column, beside a Citus table whose column
 * of that name the statement reads: Citus' shard query names that column `<name>_1`, and the shard refuses it.
 * Findings come from the predictors (src/core/planner/joinUsing.ts); docs/rules/join-using-renamed-column.md explains it.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'join-using-renamed-column',
  summary: "A FULL JOIN .. USING (or a USING join of columns of different types) beside another Citus table whose column of that name the statement reads: the shard query renames that column, and the statement fails.",
  defaultSeverity: 'error',
  fixable: false,
});
