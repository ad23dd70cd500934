/**
 * Citus' checks of foreign keys, on the foreign keys the model is sure exist (`TableModel.foreignKeys`):
 *
 * - ErrorIfUnsupportedForeignConstraintExists (commands/foreign_constraint.c), which create_distributed_table,
 *   create_reference_table and ALTER TABLE .. ADD FOREIGN KEY on a Citus table run over the table's foreign keys: no
 *   SET DEFAULT action on a column that defaults to a sequence; a
 *   distributed table references a distributed table colocated with it, on the distribution columns at the same
 *   position, or a reference table; a reference or citus-local table references no distributed table; no SET NULL /
 *   SET DEFAULT (nor ON UPDATE CASCADE) on a distribution column; a reference table references a citus-local table
 *   with NO ACTION or RESTRICT only; none from a table whose shards are replicated;
 * - the conversion of plain tables to citus-local tables along foreign keys (ConvertPostgresLocalTablesToCitusLocalTables
 *   in commands/table.c, and CreateReferenceTable, which drops and re-creates its foreign keys with plain tables so
 *   that the conversion runs): it is refused whole when one of the tables it would convert references a distributed table;
 * - citus_add_local_table_to_metadata refuses a table with foreign keys to or from other tables unless
 *   cascade_via_foreign_keys is true.
 *
 * A false error costs more than a missed one: a colocation is "surely different" only when the kinds, the distribution
 * column types (both built-in types the model knows), a `colocate_with => 'none'` or an explicit `shard_count` tell it;
 * a table whose kind came from a body the model does not run (`SchemaModel.opaqueCitusCalls`) is not checked.
 * Messages as Citus 13.2.2 prints them (checked on a cluster: test/fixtures/fk-refusals).
 */
import { nameList, type PgNode } from '../parse/ast';
import { findColumn, qualifiedName, type ForeignKeyModel, type SchemaModel, type TableKind, type TableModel } from './model';
import { builtins, NO_TYPE } from '../semantic/catalog';
import { canCoerce } from '../semantic/coerce';
import { typeOfColumnType } from '../semantic/types';
import { columnKeys, deferrableKey, sameColumnSet } from './keyNames';
import { knownBuiltinType } from './types';
import type { KnownRow, SessionState } from './ddl';

export interface ForeignKeyRefusal {
  message: string;
  detail?: string;
  hint?: string;
}

/** What a table is, or would be after the call that is checked. */
export interface Prospect {
  kind: TableKind;
  distributionColumn?: string;
  /** the model's colocation group */
  colocationId?: number;
  /** `colocate_with => 'none'`: a group of its own */
  ownGroup?: boolean;
  /** an explicit `shard_count` */
  shardCount?: number;
  /** citus.shard_replication_factor of its shards */
  replicationFactor: number;
}

/** NO ACTION or RESTRICT */
const restrict = (action: string): boolean => action === 'a' || action === 'r';

const DISTRIBUTED: ReadonlySet<TableKind> = new Set(['hash', 'range', 'append', 'single_shard']);

const TO_DISTRIBUTED = 'cannot create foreign key constraint since foreign keys from reference tables and local tables to distributed tables are not supported';
const NOT_COLOCATED: ForeignKeyRefusal = {
  message: 'cannot create foreign key constraint since relations are not colocated or not referencing a reference table',
  detail: 'A distributed table can only have foreign keys if it is referencing another colocated hash distributed table or a reference table',
};
const NOT_ON_DISTRIBUTION_COLUMN: ForeignKeyRefusal = {
  message: 'cannot create foreign key constraint',
  detail: 'Foreign keys are supported in two cases, either in between two colocated tables including partition column in the same ordinal in the both tables or from distributed to reference tables',
};

/**
 * A FOREIGN KEY constraint's columns and actions (`ownColumn`: the column of a column constraint `REFERENCES ..`);
 * without a referenced column list, the referenced table's primary key. Undefined when they cannot be told.
 */
export function foreignKeyOf(con: PgNode, ownColumn: string | undefined, referenced: TableModel, columnConstraints?: readonly PgNode[]): ForeignKeyModel | undefined {
  const columns = con.fk_attrs?.length ? nameList(con.fk_attrs) : ownColumn ? [ownColumn] : [];
  const refColumns = con.pk_attrs?.length ? nameList(con.pk_attrs) : (referenced.primaryKey ?? []);
  if (!columns.length || columns.length !== refColumns.length) return undefined;
  return {
    to: qualifiedName(referenced.schema, referenced.name),
    columns,
    refColumns: [...refColumns],
    onDelete: String(con.fk_del_action || 'a'),
    onUpdate: String(con.fk_upd_action || 'a'),
    ...(con.fk_del_set_cols?.length ? { onDeleteColumns: nameList(con.fk_del_set_cols) } : {}),
    ...(con.conname ? { name: String(con.conname) } : {}),
    ...(con.fk_matchtype === 'f' ? { matchFull: true } : {}),
    ...(con.deferrable || (columnConstraints && attrDeferrable(columnConstraints, con)) ? { deferrable: true } : {}),
  };
}

/**
 * A column constraint's DEFERRABLE, which the grammar gives as a node of its own after it in the column's constraints
 * (`b int REFERENCES t DEFERRABLE`; PostgreSQL's transformConstraintAttrs applies it to the constraint before it).
 */
function attrDeferrable(constraints: readonly PgNode[], con: PgNode): boolean {
  const i = constraints.findIndex((c) => c.Constraint === con);
  for (let k = i + 1; i >= 0 && k < constraints.length; k++) {
    const type = String(constraints[k].Constraint?.contype ?? '');
    if (!type.startsWith('CONSTR_ATTR_')) break;
    if (type === 'CONSTR_ATTR_DEFERRABLE') return true;
  }
  return false;
}

/**
 * Whether PostgreSQL surely accepts the foreign key: its columns are columns of the table, the referenced columns are
 * exactly a primary key or unique key of the referenced table, column for column of a known type PostgreSQL compares
 * with the other's (the same, or integers of two sizes, text and varchar).
 */
export function foreignKeyValid(fk: ForeignKeyModel, table: TableModel, referenced: TableModel): boolean {
  if (referenced.kind === 'view' || referenced.kind === 'matview' || referenced.columnsIncomplete || table.columnsIncomplete || referenced.keysIncomplete) return false;
  // (a DEFERRABLE key is refused: `cannot use a deferrable unique constraint for referenced table`)
  if (!columnKeys(referenced).some((k) => sameColumnSet(k.columns, fk.refColumns) && !deferrableKey(referenced, k.columns, k.primary))) return false;
  return fk.columns.every((c, i) => {
    const a = findColumn(table, c)?.type;
    const b = findColumn(referenced, fk.refColumns[i])?.type;
    const x = knownBuiltinType(a);
    const y = knownBuiltinType(b);
    return x !== undefined && y !== undefined && (x === y || (INTEGERS.has(x) && INTEGERS.has(y)) || (STRINGS.has(x) && STRINGS.has(y)));
  });
}

// types PostgreSQL compares across in one B-tree operator family (a key of one may reference a key of another); a
// narrower test than fkTypesCompatible's: what it leaves out (int referencing numeric) is not vouched for
const INTEGERS = new Set(['smallint', 'integer', 'bigint']);
const STRINGS = new Set(['text', 'character varying']);

/** btree operator families with equality operators across their types (integer_ops, float_ops, datetime_ops, text_ops). */
const FAMILIES: readonly (readonly string[])[] = [
  ['smallint', 'integer', 'bigint'],
  ['real', 'double precision'],
  ['date', 'timestamp without time zone', 'timestamp with time zone'],
  ['text', 'name'],
];

/**
 * Whether a referencing column of type `fk` can reference a key column of type `pk` (ATAddForeignKeyConstraint in
 * commands/tablecmds.c): the key's btree operator family holds an equality operator between the two types, or `fk`
 * converts implicitly to the type the key's index compares (varchar's is text's). Undefined when a type is not a
 * built-in the model knows (a domain, an enum, an extension's).
 */
export function fkTypesCompatible(fk: string, pk: string): boolean | undefined {
  const keyType = pk === 'character varying' ? 'text' : pk;
  if (fk === pk || fk === keyType || FAMILIES.find((f) => f.includes(keyType))?.includes(fk)) return true;
  const f = typeOfColumnType(fk);
  const p = typeOfColumnType(keyType);
  if (f === NO_TYPE || p === NO_TYPE) return undefined;
  return canCoerce(f, p, 'i');
}

/**
 * PostgreSQL's refusal of a foreign key whose column types cannot be compared with the referenced key's (rule
 * foreign-key-type-mismatch), for a foreign key whose target PostgreSQL accepts (foreignKeyTargetError found nothing):
 * `foreign key constraint "<name>" cannot be implemented`, with the pair of columns in the DETAIL. `name`: the
 * constraint's, when the model is sure of it (the message names it); undefined otherwise.
 */
export function foreignKeyTypeError(fk: ForeignKeyModel, table: TableModel, referenced: TableModel, name: string | undefined): { message: string; detail: string } | undefined {
  if (!name) return undefined;
  for (let i = 0; i < fk.columns.length; i++) {
    const own = findColumn(table, fk.columns[i])?.type;
    const ref = findColumn(referenced, fk.refColumns[i])?.type;
    if (!own || !ref || fkTypesCompatible(own, ref) !== false) continue;
    const display = (canonical: string): string => builtins().display(typeOfColumnType(canonical));
    return {
      message: `foreign key constraint "${name}" cannot be implemented`,
      detail: `Key columns "${fk.columns[i]}" and "${fk.refColumns[i]}" are of incompatible types: ${display(own)} and ${display(ref)}.`,
    };
  }
  return undefined;
}

/**
 * ErrorIfUnsupportedForeignConstraintExists for `t` as `as`, over the foreign keys `fks` (its sure ones, or the one a
 * statement adds): Citus' refusal of the first it refuses, or undefined.
 */
export function unsupportedForeignKey(t: TableModel, as: Prospect, fks: readonly ForeignKeyModel[], model: SchemaModel): ForeignKeyRefusal | undefined {
  if (model.opaqueCitusCalls || t.kindUncertain) return undefined;
  const own = qualifiedName(t.schema, t.name);
  for (const fk of fks) {
    const self = fk.to === own;
    const r = self ? t : model.tables.get(fk.to);
    if (!r || r.kindUncertain) continue;
    const rKind = self ? as.kind : r.kind;
    if (rKind === 'view' || rKind === 'matview') continue;
    if (rKind === 'local' && !self) {
      // a reference or citus-local table's foreign key to a plain table converts that one to a citus-local table
      // (conversionRefusal checks the conversion), then checks the foreign key as one to a citus-local table
      if (as.kind === 'reference' && !(restrict(fk.onDelete) && restrict(fk.onUpdate))) return referenceToLocalActions(r.name);
      if (as.kind === 'citus_local' || as.kind === 'reference') continue;
      return {
        message: `referenced table "${r.name}" must be a distributed table or a reference table`,
        detail: 'To enforce foreign keys, the referencing and referenced rows need to be stored on the same node.',
        hint: `You could use SELECT create_reference_table('${r.name}') to replicate the referenced table to all nodes or consider dropping the foreign key`,
      };
    }
    // ForeignKeySetsNextValColumnToDefault: SET DEFAULT on a column whose default is a sequence's nextval()
    const setToDefault = fk.onUpdate === 'd' ? fk.columns : fk.onDelete === 'd' ? (fk.onDeleteColumns ?? fk.columns) : [];
    if (setToDefault.some((c) => findColumn(t, c)?.defaultKind === 'sequence')) {
      return { message: 'cannot create foreign key constraint since Citus does not support ON DELETE / UPDATE SET DEFAULT actions on the columns that default to sequences' };
    }
    const referencingLocalOrRef = as.kind === 'reference' || as.kind === 'citus_local';
    const referencedLocalOrRef = rKind === 'reference' || rKind === 'citus_local';
    if (referencingLocalOrRef && referencedLocalOrRef) {
      if (as.kind === 'reference' && rKind === 'citus_local' && !(restrict(fk.onDelete) && restrict(fk.onUpdate))) return referenceToLocalActions(r.name);
      continue;
    }
    if (referencingLocalOrRef) return { message: TO_DISTRIBUTED, detail: 'Reference tables and local tables can only have foreign keys to reference tables and local tables' };
    // a distributed table (range and append tables are not followed)
    if (as.kind !== 'hash' && as.kind !== 'single_shard') return undefined;
    if (rKind === 'range' || rKind === 'append') continue;
    if (rKind !== 'reference' && !self && surelyNotColocated(as, t, r, model)) return NOT_COLOCATED;
    const tColumn = as.distributionColumn;
    const rColumn = self ? as.distributionColumn : r.distributionColumn;
    // (ForeignConstraintFindDistKeys: the last position of each)
    const i = tColumn ? fk.columns.lastIndexOf(tColumn) : -1;
    const j = rColumn ? fk.refColumns.lastIndexOf(rColumn) : -1;
    if (i !== -1) {
      const refusal = actionsOnDistributionColumn(fk);
      if (refusal) return refusal;
    }
    if (!referencedLocalOrRef && rKind !== 'single_shard' && !(i !== -1 && i === j)) return NOT_ON_DISTRIBUTION_COLUMN;
    if (as.replicationFactor > 1) {
      return {
        message: 'cannot create foreign key constraint',
        detail: 'Citus currently supports foreign key constraints only for "citus.shard_replication_factor = 1".',
        hint: 'Please change "citus.shard_replication_factor to 1". To learn more about using foreign keys with other replication factors, please contact us at https://citusdata.com/about/contact_us.',
      };
    }
  }
  return undefined;
}

/**
 * The conversion of plain tables to citus-local tables that a foreign key with a reference or citus-local table starts
 * from `start` (plain tables), along sure foreign keys and `extra` (a statement's own): refused whole when a table it
 * would convert references a distributed table.
 */
export function conversionRefusal(start: readonly TableModel[], model: SchemaModel, extra: readonly { from: TableModel; to: TableModel }[] = []): ForeignKeyRefusal | undefined {
  if (model.opaqueCitusCalls || model.settings.get('citus.enable_local_reference_table_foreign_keys') === 'off') return undefined;
  const seen = new Set<TableModel>();
  const queue = start.filter((t) => t.kind === 'local' && !t.partitionParent);
  for (const t of queue) seen.add(t);
  while (queue.length) {
    const t = queue.pop() as TableModel;
    if (t.kindUncertain) return undefined;
    const referenced = sureReferenced(t, model, extra);
    if (referenced.some((to) => DISTRIBUTED.has(to.kind) && !to.kindUncertain)) {
      return { message: TO_DISTRIBUTED, detail: 'When adding a foreign key from a local table to a reference table, Citus applies a conversion to all the local tables in the foreign key graph' };
    }
    for (const n of [...referenced, ...sureReferencing(t, model, extra)]) {
      if (n.kind === 'local' && !n.partitionParent && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return undefined;
}

/** citus_add_local_table_to_metadata without cascade_via_foreign_keys: refused for a table with foreign keys to or from others. */
export function hasSureForeignKeysWithOthers(t: TableModel, model: SchemaModel): boolean {
  const own = qualifiedName(t.schema, t.name);
  if (model.opaqueCitusCalls || t.kindUncertain) return false;
  return (t.foreignKeys ?? []).some((fk) => fk.to !== own && model.tables.has(fk.to)) || sureReferencing(t, model, []).some((o) => o !== t);
}

/**
 * Whether the model is sure of every foreign key from and to `t` (none dropped that it could not name, each with its
 * columns): then Citus' checks of them are the model's.
 */
export function foreignKeysAllSure(t: TableModel, model: SchemaModel): boolean {
  if (t.foreignKeysUncertain || !(t.foreignKeysTo ?? []).every((k) => t.foreignKeys?.some((fk) => fk.to === k))) return false;
  const key = qualifiedName(t.schema, t.name);
  for (const o of model.tables.values()) {
    if (o.foreignKeysTo?.includes(key) && (o.foreignKeysUncertain || !o.foreignKeys?.some((fk) => fk.to === key))) return false;
  }
  return true;
}

/** A reference table's foreign key to a citus-local table with an action other than NO ACTION or RESTRICT. */
function referenceToLocalActions(name: string): ForeignKeyRefusal {
  return {
    message: 'cannot define foreign key constraint, foreign keys from reference tables to local tables can only be defined with NO ACTION or RESTRICT behaviors',
    hint: `You could use SELECT create_reference_table('${name}') to replicate the referenced table to all nodes or consider dropping the foreign key`,
  };
}

/** EnsureSupportedFKeyOnDistKey: what a foreign key on the distribution column may not do. */
function actionsOnDistributionColumn(fk: ForeignKeyModel): ForeignKeyRefusal | undefined {
  if (fk.onDelete === 'n' || fk.onDelete === 'd') {
    return { message: 'cannot create foreign key constraint', detail: 'SET NULL or SET DEFAULT is not supported in ON DELETE operation when distribution key is included in the foreign key constraint' };
  }
  if (fk.onUpdate === 'n' || fk.onUpdate === 'd' || fk.onUpdate === 'c') {
    return { message: 'cannot create foreign key constraint', detail: 'SET NULL, SET DEFAULT or CASCADE is not supported in ON UPDATE operation when distribution key included in the foreign constraint.' };
  }
  return undefined;
}

/** Whether `t` (as `as`) is surely in another colocation group than the distributed table `r`. */
function surelyNotColocated(as: Prospect, t: TableModel, r: TableModel, model: SchemaModel): boolean {
  if (r.kind === 'citus_local') return true;
  if (as.kind !== r.kind) return true; // hash against single-shard
  if (as.ownGroup) return true;
  if (as.kind === 'single_shard') {
    // (the default single-shard group is never a distributed schema's)
    return as.colocationId !== r.colocationId && [...model.distributedSchemas.values()].includes(r.colocationId ?? -1);
  }
  if (as.shardCount !== undefined && r.shardCount !== undefined && r.shardCount > 0 && as.shardCount !== r.shardCount) return true;
  const mine = as.distributionColumn ? knownBuiltinType(findColumn(t, as.distributionColumn)?.type) : undefined;
  const theirs = r.distributionColumn ? knownBuiltinType(findColumn(r, r.distributionColumn)?.type) : undefined;
  return mine !== undefined && theirs !== undefined && mine !== theirs;
}

/** The tables `t`'s sure foreign keys (and `extra` edges from it) reference. */
function sureReferenced(t: TableModel, model: SchemaModel, extra: readonly { from: TableModel; to: TableModel }[]): TableModel[] {
  const out: TableModel[] = [];
  for (const fk of t.foreignKeys ?? []) {
    const to = model.tables.get(fk.to);
    if (to) out.push(to);
  }
  for (const e of extra) if (e.from === t) out.push(e.to);
  return out;
}

/** The tables whose sure foreign keys (and `extra` edges) reference `t`. */
function sureReferencing(t: TableModel, model: SchemaModel, extra: readonly { from: TableModel; to: TableModel }[]): TableModel[] {
  const key = qualifiedName(t.schema, t.name);
  const out: TableModel[] = [];
  for (const o of model.tables.values()) if (o.foreignKeys?.some((fk) => fk.to === key)) out.push(o);
  for (const e of extra) if (e.to === t) out.push(e.from);
  return out;
}

/**
 * PostgreSQL's refusal of a foreign key for what the referenced table's keys are (ATAddForeignKeyConstraint,
 * transformFkeyGetPrimaryKey / transformFkeyCheckAttrs): the referenced columns must be exactly (as a set) a primary
 * key or unique key that is not DEFERRABLE, partial or on expressions; with none written, the primary key; then as
 * many as the referencing columns. Only against keys from the workspace's DDL (a snapshot's or the cluster's may be
 * incomplete: said nothing of); undefined when PostgreSQL accepts it or the model cannot tell.
 */
export function foreignKeyTargetError(con: PgNode, ownColumn: string | undefined, table: TableModel, referenced: TableModel): string | undefined {
  const source = referenced.definedAt?.source;
  if (source === undefined || source === 'cluster' || source === 'snapshot' || referenced.catalog || referenced.keysIncomplete) return undefined;
  if (referenced.kind === 'view' || referenced.kind === 'matview') return undefined;
  const name = referenced.name;
  // (a column that does not exist, a system column: PostgreSQL says so first)
  const columns = con.fk_attrs?.length ? nameList(con.fk_attrs) : ownColumn ? [ownColumn] : [];
  if (table.columnsIncomplete || referenced.columnsIncomplete || !columns.every((c) => findColumn(table, c)) || !nameList(con.pk_attrs).every((c) => findColumn(referenced, c))) return undefined;
  let refColumns = nameList(con.pk_attrs);
  if (!refColumns.length) {
    if (!referenced.primaryKey?.length) return `there is no primary key for referenced table "${name}"`;
    if (deferrableKey(referenced, referenced.primaryKey, true)) return `cannot use a deferrable primary key for referenced table "${name}"`;
    refColumns = [...referenced.primaryKey];
  } else {
    if (new Set(refColumns).size !== refColumns.length) return undefined;
    const keys = columnKeys(referenced).filter((k) => sameColumnSet(k.columns, refColumns));
    if (!keys.length) return `there is no unique constraint matching given keys for referenced table "${name}"`;
    if (keys.every((k) => deferrableKey(referenced, k.columns, k.primary))) return `cannot use a deferrable unique constraint for referenced table "${name}"`;
  }
  if (columns.length && columns.length !== refColumns.length) return 'number of referencing and referenced columns for foreign key disagree';
  return undefined;
}

/** A foreign key's name: given, or the one PostgreSQL chose when the model noted it (noteConstraint). */
export function foreignKeyName(table: TableModel, fk: ForeignKeyModel): string | undefined {
  const chosen = `${table.name}_${fk.columns.join('_')}_fkey`;
  return fk.name ?? (table.constraintNames?.[chosen] === 'fkey' ? chosen : undefined);
}

/**
 * The rows `table` may hold at this point of the file (a superset: SessionState.rowKeys), or undefined when the model
 * cannot tell: the file surely created it (SessionState.created), it has no parent, partitions or children, and every
 * statement since that may have written a row to it is an INSERT .. VALUES the session followed. Writes are followed as
 * noteRowsWritten follows them (each write's one table, or anywhere); a write counts as elsewhere only to tables the
 * file itself created new (SessionState.createdFresh: no view, nothing the model does not know, no trigger from
 * elsewhere) and on which, and on whose partition tree, the file created no trigger or rule (SessionState.hookTables:
 * a write would then reach others), in a file that runs no SQL out of sight (SessionState.writesOutOfSight). A
 * foreign key's key that no row of it may hold refuses the row (planner/dml.ts).
 */
export function referencedRows(model: SchemaModel, session: SessionState, table: TableModel): readonly KnownRow[] | undefined {
  if (!session.created?.has(qualifiedName(table.schema, table.name))) return undefined;
  if (table.partitioned || table.partitionParent || table.inherited || table.kind === 'view' || table.kind === 'matview') return undefined;
  if (session.rowsWrittenBetween || session.writesOutOfSight) return undefined;
  // (a key of its own whose action writes a value into its rows, ON UPDATE CASCADE or SET DEFAULT, changes them when
  // another table's rows change: every key of it must be known, with no such action)
  const keys = table.foreignKeys ?? [];
  if ((table.foreignKeysTo?.length ?? 0) > keys.length || table.foreignKeysUncertain) return undefined;
  if (keys.some((fk) => fk.onUpdate === 'c' || fk.onUpdate === 'd' || fk.onDelete === 'd')) return undefined;
  if (!session.rowsWritten || session.freshTables?.has(table.name)) return [];
  if (session.rowsWrittenTo === undefined) return undefined;
  // (a table written to elsewhere: new in the file, no view, with no trigger or rule, nor any in its partition tree)
  const plain = (t: TableModel): boolean => t.kind !== 'view' && t.kind !== 'matview' && !!session.createdFresh?.has(qualifiedName(t.schema, t.name)) && !session.hookTables?.has(t.name);
  const tree = (t: TableModel): TableModel[] => {
    let root = t;
    for (let p = model.parentOf(root), n = 0; p && n < 16; p = model.parentOf(p), n++) root = p;
    const out: TableModel[] = [];
    const down = (x: TableModel, depth: number): void => {
      out.push(x);
      if (depth < 8) for (const c of model.partitionsOf(x)) down(c, depth + 1);
    };
    down(root, 0);
    return out;
  };
  if (session.hookTables?.has(table.name)) return undefined;
  const byName = new Map<string, TableModel[]>();
  for (const t of model.tables.values()) if (session.rowsWrittenTo.has(t.name)) byName.set(t.name, [...(byName.get(t.name) ?? []), t]);
  for (const name of session.rowsWrittenTo) {
    if (name === table.name) continue;
    const same = byName.get(name);
    if (!same || !same.every((t) => tree(t).every(plain))) return undefined;
  }
  if (!session.rowsWrittenTo.has(table.name)) return [];
  const rows = session.rowKeys?.get(table.name);
  return rows === 'unknown' ? undefined : rows;
}
