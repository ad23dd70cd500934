/**
 * The names of a table's keys (PRIMARY KEY, UNIQUE constraints, unique indexes), so that `ALTER TABLE .. DROP
 * CONSTRAINT name` and `DROP INDEX name` take the key away, as PostgreSQL does. A key keeps the name it was given, or
 * the one PostgreSQL chooses (ChooseIndexName, ChooseRelationName in commands/indexcmds.c): `<table>_pkey`,
 * `<table>_<columns>_key` for a UNIQUE constraint, `<table>_<columns>_idx` for a unique index (an expression counts
 * as `expr`). A name PostgreSQL would have to shorten (over 63 bytes) or number (`_key1`, taken already) is not
 * recorded: the key is then one the model cannot name.
 *
 * A dropped name the model does not know takes away nothing it knows to be a key when every key of the table has a
 * name (it was a CHECK, a foreign key, an ordinary index). Otherwise it may have been a key: the table's keys are then
 * `keysUncertain`, and what the model would refuse because a key exists (Citus' refusal to distribute a table by a
 * column one of its keys lacks, a second primary key) is not said. Keys are kept then: what PostgreSQL refuses
 * because no key matches (ON CONFLICT's inference, a foreign key's referenced key) is refused on fewer keys still.
 */
import { noteKeyNamesChanged, type TableModel, type UniqueIndexShape } from './model';

/**
 * What a key name stands for: the primary key, a UNIQUE constraint's key, a unique index (a key or another shape), or an
 * ordinary index ('plain': no key, but its name is taken and DROP INDEX of it drops no key).
 */
export interface KeyName {
  kind: 'primary' | 'unique' | 'index' | 'plain';
  columns: readonly string[];
  /** an index on expressions or partial (in `otherUniqueIndexes`) */
  other?: boolean;
  /** a DEFERRABLE constraint: no arbiter for ON CONFLICT, no functional dependency, no key a foreign key references */
  deferrable?: boolean;
}

/** PostgreSQL's NAMEDATALEN - 1: a longer chosen name is shortened, which the model does not follow. */
const MAX_NAME_BYTES = 63;

/** Whether PostgreSQL keeps a name it chooses as it is (not over NAMEDATALEN - 1 bytes). */
export function fitsName(name: string): boolean {
  return new TextEncoder().encode(name).length <= MAX_NAME_BYTES;
}

/**
 * The name PostgreSQL chooses for a key or index made without one, when the model is sure of it. `parts`: the names of
 * its columns in order, INCLUDE columns too, `expr` for an expression (ChooseIndexColumnNames).
 */
export function chosenKeyName(table: TableModel, kind: KeyName['kind'], parts: readonly string[], taken: (name: string) => boolean): string | undefined {
  // (a name twice in the list is numbered: expr, expr1)
  if (new Set(parts).size !== parts.length) return undefined;
  const name = kind === 'primary' ? `${table.name}_pkey` : [table.name, ...parts, kind === 'unique' ? 'key' : 'idx'].join('_');
  return fitsName(name) && !taken(name) ? name : undefined;
}

/**
 * Records `name` for a key (or an index) just added to `table`. A key whose name the model does not know is recorded
 * under a name no statement can write (it is unnamed, see `allKeysNamed`, and dropping another name of the same
 * columns leaves the key); an ordinary index of an unknown name is not recorded.
 */
export function nameKey(table: TableModel, name: string | undefined, key: KeyName): void {
  if (!name && key.kind === 'plain') return;
  const recorded = name ?? `${UNNAMED}${Object.keys(table.keyNames ?? {}).length}`;
  table.keyNames = { ...table.keyNames, [recorded]: { ...key, columns: [...key.columns] } };
  noteKeyNamesChanged(table);
}

/** The prefix of the names `nameKey` records for keys it cannot name (no identifier has it). */
const UNNAMED = '\u0000';

const isKey = (n: KeyName): boolean => n.kind !== 'plain';

/** Whether every key of `table` has a name the model knows. */
export function allKeysNamed(table: TableModel): boolean {
  if (Object.keys(table.keyNames ?? {}).some((n) => n.startsWith(UNNAMED))) return false;
  const names = Object.values(table.keyNames ?? {}).filter(isKey);
  const named = (kind: (k: KeyName) => boolean, columns: readonly string[]): boolean => names.some((n) => kind(n) && sameColumns(n.columns, columns));
  if (table.primaryKey && !named((n) => n.kind === 'primary', table.primaryKey)) return false;
  if (!table.uniqueKeys.every((k) => named((n) => n.kind !== 'primary' && !n.other, k))) return false;
  return (table.otherUniqueIndexes ?? []).every((i) => named((n) => !!n.other, i.columns));
}

const sameColumns = (a: readonly string[], b: readonly string[]): boolean => a.length === b.length && a.every((c, i) => c === b[i]);

function hasKeys(table: TableModel): boolean {
  return !!table.primaryKey || table.uniqueKeys.length > 0 || (table.otherUniqueIndexes?.length ?? 0) > 0;
}

/**
 * `ALTER TABLE table DROP CONSTRAINT name` (`index`: false) or `DROP INDEX name` (`index`: true). 'dropped': the key
 * of that name is gone; 'refused': PostgreSQL refuses (DROP INDEX of a constraint's index); 'unknown': the name is
 * no key the model knows (the table's keys are uncertain when one of them has no name).
 */
export function dropKeyName(table: TableModel, name: string, index: boolean): 'dropped' | 'refused' | 'unknown' {
  const key = table.keyNames?.[name];
  if (!key) {
    if (hasKeys(table) && !allKeysNamed(table)) table.keysUncertain = true;
    return 'unknown';
  }
  // (DROP INDEX of a constraint's index, DROP CONSTRAINT of an ordinary index: PostgreSQL refuses both)
  if (index ? key.kind !== 'index' && key.kind !== 'plain' : key.kind === 'plain') return 'refused';
  const rest = { ...table.keyNames };
  delete rest[name];
  table.keyNames = rest;
  noteKeyNamesChanged(table);
  if (key.kind === 'plain') return 'dropped';
  // (another name may stand for the same key: a UNIQUE constraint and a unique index on the same columns)
  if (Object.values(rest).some((n) => isKey(n) && (n.kind === 'primary') === (key.kind === 'primary') && !!n.other === !!key.other && sameColumns(n.columns, key.columns))) return 'dropped';
  removeKey(table, key);
  return 'dropped';
}

/** Removes the key `key` stands for (a partition's copy of its parent's key too: see `dropInheritedKey`). */
function removeKey(table: TableModel, key: KeyName): void {
  if (key.kind === 'primary') {
    // (the columns stay NOT NULL: PostgreSQL 15 and 16 keep attnotnull when the primary key goes)
    for (const c of table.columns) if (key.columns.includes(c.name)) c.notNull = true;
    table.primaryKey = undefined;
    table.primaryKeyUnsure = undefined;
  } else if (key.other) {
    // (two indexes of the same columns may differ in their expressions or predicates: then both stay)
    const same = table.otherUniqueIndexes?.filter((x) => sameColumns(x.columns, key.columns)) ?? [];
    if (same.length === 1) table.otherUniqueIndexes = table.otherUniqueIndexes?.filter((x) => x !== same[0]);
  } else {
    table.uniqueKeys = table.uniqueKeys.filter((k) => !sameColumns(k, key.columns));
  }
}

/** A partition's copy of the key its parent dropped (PostgreSQL drops the partitions' indexes with the parent's). */
export function dropInheritedKey(partition: TableModel, key: KeyName): void {
  // (a key of the partition's own, of the same columns, stays: the model cannot tell them apart, so nothing goes)
  if (key.kind === 'plain' || Object.values(partition.keyNames ?? {}).some((n) => isKey(n) && sameColumns(n.columns, key.columns))) return;
  removeKey(partition, key);
}

/** `ALTER TABLE .. DROP COLUMN`: PostgreSQL drops the keys and indexes that include the column. */
export function dropKeysWithColumn(table: TableModel, column: string): void {
  if (table.primaryKey?.includes(column)) {
    table.primaryKey = undefined;
    table.primaryKeyUnsure = undefined;
  }
  table.uniqueKeys = table.uniqueKeys.filter((k) => !k.includes(column));
  if (table.otherUniqueIndexes?.some((i) => i.columns.includes(column))) table.otherUniqueIndexes = table.otherUniqueIndexes.filter((i) => !i.columns.includes(column));
  if (table.keyNames && Object.values(table.keyNames).some((n) => n.columns.includes(column))) {
    table.keyNames = Object.fromEntries(Object.entries(table.keyNames).filter(([, n]) => !n.columns.includes(column)));
    noteKeyNamesChanged(table);
  }
}

/** `ALTER TABLE .. RENAME CONSTRAINT` / `ALTER INDEX .. RENAME TO`: the key keeps its new name. */
export function renameKey(table: TableModel, from: string, to: string): boolean {
  const key = table.keyNames?.[from];
  if (!key) return false;
  const rest = { ...table.keyNames };
  delete rest[from];
  table.keyNames = { ...rest, [to]: key };
  noteKeyNamesChanged(table);
  return true;
}

/** `RENAME COLUMN`: the names' columns follow. */
export function renameKeyColumn(table: TableModel, from: string, to: string): void {
  if (!table.keyNames) return;
  table.keyNames = Object.fromEntries(Object.entries(table.keyNames).map(([name, n]) => [name, { ...n, columns: n.columns.map((c) => (c === from ? to : c)) }]));
  noteKeyNamesChanged(table);
}

/** The key a unique index's shape adds (see ddl.ts addUniqueIndex): in `otherUniqueIndexes` when on expressions or partial. */
export function indexKey(shape: UniqueIndexShape): KeyName {
  return { kind: 'index', columns: shape.columns, ...(shape.expressions || shape.partial ? { other: true } : {}) };
}

/**
 * The constraint `name` of a table whose constraint names the model knows all of (`constraintNamesComplete`): a
 * key's constraint ('primary', 'unique'), another constraint, or 'none' (no constraint of the table has that name: a
 * unique index that is not a constraint is none either). Undefined when the model does not know them all.
 */
export function constraintNamed(table: TableModel, name: string): 'primary' | 'unique' | 'check' | 'fkey' | 'exclusion' | 'none' | undefined {
  if (!table.constraintNamesComplete) return undefined;
  const key = table.keyNames?.[name];
  if (key?.kind === 'primary' || key?.kind === 'unique') return key.kind;
  return table.constraintNames?.[name] ?? 'none';
}

/** Records a constraint's name (or, when it is not known, that the table's names are no longer all known). */
export function nameConstraint(table: TableModel, name: string | undefined, kind: 'check' | 'fkey' | 'exclusion'): void {
  if (!table.constraintNamesComplete) return;
  if (!name || table.constraintNames?.[name] || table.keyNames?.[name]) {
    forgetConstraintNames(table);
    return;
  }
  table.constraintNames = { ...table.constraintNames, [name]: kind };
  noteKeyNamesChanged(table);
}

/** The model no longer knows every constraint name of the table. */
export function forgetConstraintNames(table: TableModel): void {
  table.constraintNamesComplete = undefined;
  table.constraintNames = undefined;
  noteKeyNamesChanged(table);
}

/** DROP CONSTRAINT / RENAME CONSTRAINT of a constraint that is not a key (`to` undefined: dropped). */
export function renameConstraint(table: TableModel, from: string, to: string | undefined): void {
  const kind = table.constraintNames?.[from];
  if (!kind) return;
  const rest = { ...table.constraintNames };
  delete rest[from];
  table.constraintNames = to === undefined ? rest : { ...rest, [to]: kind };
  noteKeyNamesChanged(table);
}

/**
 * Whether a key of `columns` (the primary key's with `primary`) is a DEFERRABLE constraint, by its name's record (a key
 * from a snapshot or the cluster is taken as immediate: the model does not know).
 */
export function deferrableKey(table: TableModel, columns: readonly string[], primary: boolean): boolean {
  return Object.values(table.keyNames ?? {}).some((n) => !!n.deferrable && (n.kind === 'primary') === primary && isKey(n) && !n.other && sameColumns(n.columns, columns));
}

/** The table's keys of columns: its primary key, then its UNIQUE constraints and unique indexes. */
export function columnKeys(table: TableModel): { columns: readonly string[]; primary: boolean }[] {
  return [...(table.primaryKey ? [{ columns: table.primaryKey, primary: true }] : []), ...table.uniqueKeys.map((columns) => ({ columns, primary: false }))];
}

/** Whether two column lists hold the same columns, in whatever order (a key as PostgreSQL matches it). */
export function sameColumnSet(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((c) => b.includes(c));
}
