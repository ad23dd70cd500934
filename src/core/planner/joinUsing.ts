/**
 * Citus' HasDangerousJoinUsing (multi_router_planner.c): a multi-shard UPDATE / DELETE whose FROM / USING has an
 * unaliased `JOIN .. USING` whose merged column is not a plain column (PostgreSQL's buildMergedJoinVar: a FULL JOIN's
 * is COALESCE(left, right); a LEFT JOIN's is the left column, a RIGHT JOIN's the right one, an inner join's either
 * one, converted to the columns' common type and typmod when it has another) is refused: `a join with USING causes an
 * internal naming conflict, use ON instead`. Only the statement's own join tree is looked at (not its subqueries), and
 * only sides that are tables the model knows: a subquery's or a join's column types are not followed (nothing said).
 */
import { nameList, type PgNode } from '../parse/ast';
import { findColumn, type SchemaModel } from '../schema/model';
import { NO_TYPE, type TypeId } from '../semantic/catalog';
import { selectCommonType } from '../semantic/coerce';
import { typeOfColumnType } from '../semantic/types';

/** The first such join (its JoinExpr) of a FROM / USING list. */
export function dangerousJoinUsing(items: PgNode[] | undefined, model: SchemaModel, searchPath: readonly string[]): PgNode | undefined {
  for (const item of items ?? []) {
    const found = inJoin(item, model, searchPath);
    if (found) return found;
  }
  return undefined;
}

function inJoin(node: PgNode | undefined, model: SchemaModel, searchPath: readonly string[]): PgNode | undefined {
  const j = node?.JoinExpr;
  if (!j) return undefined;
  if (!j.alias && j.usingClause?.length && mergedNotPlain(j, model, searchPath)) return node;
  return inJoin(j.larg, model, searchPath) ?? inJoin(j.rarg, model, searchPath);
}

function mergedNotPlain(j: PgNode, model: SchemaModel, searchPath: readonly string[]): boolean {
  if (j.jointype === 'JOIN_FULL') return true;
  const table = (side: PgNode | undefined) => (side?.RangeVar ? model.resolve(side.RangeVar.schemaname, side.RangeVar.relname, searchPath) : undefined);
  const left = table(j.larg);
  const right = table(j.rarg);
  if (!left || !right) return false;
  for (const name of nameList(j.usingClause)) {
    const l = columnType(findColumn(left, name)?.type);
    const r = columnType(findColumn(right, name)?.type);
    if (!l || !r) continue;
    if (l.type === r.type && l.typmod === r.typmod) continue;
    const common = l.type === r.type ? { type: l.type } : selectCommonType([l.type, r.type], 'JOIN/USING');
    if ('error' in common || common.type === NO_TYPE) continue;
    // select_common_typmod: the inputs' typmod when they share type and typmod, else none
    const typmod = l.type === r.type && l.typmod === r.typmod ? l.typmod : '';
    const converted = (c: { type: TypeId; typmod: string }): boolean => c.type !== common.type || c.typmod !== typmod;
    if (j.jointype === 'JOIN_LEFT' ? converted(l) : j.jointype === 'JOIN_RIGHT' ? converted(r) : converted(l) && converted(r)) return true;
  }
  return false;
}

/** A column type as a catalog type and its typmod text (`character varying(5)`: varchar, `(5)`); undefined when unknown. */
function columnType(canonical: string | undefined): { type: TypeId; typmod: string } | undefined {
  const m = /^([^()[\]]+?)(\([^()]*\))?$/.exec(canonical ?? '');
  if (!m) return undefined;
  const type = typeOfColumnType(m[1]);
  return type === NO_TYPE ? undefined : { type, typmod: m[2] ?? '' };
}
