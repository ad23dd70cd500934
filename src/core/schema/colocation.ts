/**
 * Colocation the model does not know: a table distributed with `colocate_with => '<name>'` of a table no file, snapshot
 * or cluster defines is colocated with that table, which may itself be colocated with any other group. A statement
 * that reads such a table with a table of another group cannot be predicted (joined or not, colocated or not): the
 * predictors say nothing about it rather than guess (a join Citus pushes down would be reported as refused).
 */
import { walk, type PgNode } from '../parse/ast';
import { isDistributed, type SchemaModel } from './model';

export function unknownColocation(ast: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): boolean {
  if (!ast) return false;
  let any = false;
  for (const g of model.groups.values()) if (g.colocatedWithUnknown) any = true;
  if (!any) return false;
  const groups = new Set<number>();
  let unknown = false;
  const add = (rv: PgNode | undefined): void => {
    if (!rv?.relname) return;
    const t = model.resolve(rv.schemaname, rv.relname, searchPath);
    if (!t || !isDistributed(t) || t.colocationId === undefined) return;
    groups.add(t.colocationId);
    if (model.groups.get(t.colocationId)?.colocatedWithUnknown) unknown = true;
  };
  walk(ast, (type, f) => {
    if (type === 'RangeVar') add(f);
    // (a modification's target is a bare RangeVar in libpg-query's tree: no wrapper)
    else if (type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt' || type === 'MergeStmt') add(f.relation);
    return undefined;
  });
  return unknown && groups.size > 1;
}
