/**
 * The table model: what the analysis knows about tables, their columns, keys, distribution and
 * colocation. Built from DDL (./ddl.ts), from a metadata snapshot (./snapshot.ts), or both.
 */

import type { FunctionBody } from './functionReads';
import type { PgNode } from '../parse/ast';
import type { KeyName } from './keyNames';
import { normalizeSettingValue } from './settings';
import { isKnownBuiltinType } from './types';

/** How Citus (or plain PostgreSQL) stores a relation. */
export type TableKind =
  | 'local' // plain PostgreSQL table, not in Citus metadata
  | 'hash'
  | 'range'
  | 'append'
  | 'reference'
  | 'citus_local' // added to metadata with citus_add_local_table_to_metadata
  | 'single_shard' // create_distributed_table(t, NULL) or a table of a distributed schema
  | 'view'
  | 'matview';

/** A foreign key the model is sure exists (`TableModel.foreignKeys`). */
export interface ForeignKeyModel {
  /** `schema.name` of the referenced table */
  to: string;
  /** the referencing columns, in the constraint's order */
  columns: readonly string[];
  /** the referenced columns, in the same order */
  refColumns: readonly string[];
  /** pg_constraint's confdeltype and confupdtype: a (no action), r (restrict), c (cascade), n (set null), d (set default) */
  onDelete: string;
  onUpdate: string;
  /** `ON DELETE SET DEFAULT (cols)`: the columns it sets (PostgreSQL 15+); all of them when absent */
  onDeleteColumns?: readonly string[];
  /** the constraint's name, when the DDL gave one */
  name?: string;
  /** MATCH FULL: a key with NULL in some columns and values in others is refused */
  matchFull?: boolean;
  /** DEFERRABLE: checked at commit when deferred, not after the statement */
  deferrable?: boolean;
}

/** What a column default does when the column is omitted from an INSERT. */
export type DefaultKind = 'none' | 'sequence' | 'identity' | 'volatile' | 'stable' | 'immutable';

export interface ColumnModel {
  name: string;
  /** canonical type name, as PostgreSQL's format_type prints it (`integer`, `bigint`, `text`, ...) */
  type: string;
  notNull: boolean;
  defaultKind: DefaultKind;
  /** the default expression as written, for messages */
  defaultText?: string;
  generated?: boolean;
  /** an identity column GENERATED ALWAYS (not BY DEFAULT): INSERT may not give it a value */
  identityAlways?: boolean;
  /**
   * `schema.name` of the sequence the column's default draws from, when the model is sure of it: a serial or identity
   * column's own (`orders_id_seq`), or `DEFAULT nextval('name')`
   */
  sequence?: string;
  /** that sequence is the column's own (a serial or identity column's: OWNED BY it) */
  sequenceOwned?: boolean;
  /** `schema.name` of the column's domain, when its type is one the workspace DDL creates */
  domain?: string;
  /** the column has a COLLATE clause (a nondeterministic collation compares text otherwise than by its characters) */
  collated?: boolean;
  /**
   * the length of a `character varying(n)` or `character(n)` column (`char` alone is `character(1)`), or of a domain
   * over one
   */
  length?: number;
  /** `length` is a `character(n)`'s (blank-padded), not a `character varying(n)`'s */
  fixedLength?: boolean;
  /** a `numeric(precision, scale)` column's precision and scale (0 <= scale <= precision) */
  numericPrecision?: number;
  numericScale?: number;
  /** `schema.name` of the column's enum type, when the workspace DDL creates it (SchemaModel.enums) */
  enumType?: string;
}

/** A unique index as ON CONFLICT's inference sees it: its plain key columns, whether it has expressions, a predicate. */
export interface UniqueIndexShape {
  columns: string[];
  expressions?: boolean;
  partial?: boolean;
  /**
   * From CREATE UNIQUE INDEX (not kept in snapshots): its expressions' signatures (schema/arbiters.ts
   * expressionSignature), and, for a predicate that is an AND of comparisons of one column each with constants, those
   * columns (what ON CONFLICT's WHERE must speak of to imply it)
   */
  expressionKeys?: string[];
  predicateColumns?: string[];
}

export interface SourceLocation {
  /** file (workspace-relative path or URI) or `cluster` / `snapshot` */
  source: string;
  /** character offset in that file */
  offset?: number;
}

export interface TableModel {
  schema: string;
  name: string;
  kind: TableKind;
  columns: ColumnModel[];
  primaryKey?: string[];
  /** UNIQUE constraints and unique indexes of columns only, not partial (what a foreign key or a proof of uniqueness may use) */
  uniqueKeys: string[][];
  /**
   * The other unique indexes: on expressions (`(tenant_id, lower(email))`) or partial (`WHERE ..`). Only ON CONFLICT's
   * inference (./arbiters.ts) reads them: they are not keys a foreign key or a proof of uniqueness may use.
   */
  otherUniqueIndexes?: UniqueIndexShape[];
  distributionColumn?: string;
  /** Citus colocation group id (0 or absent: none) */
  colocationId?: number;
  shardCount?: number;
  /** `schema.name` of the partitioned parent when this is a partition */
  partitionParent?: string;
  partitioned: boolean;
  /** a partitioned table's partition key columns (PARTITION BY RANGE / LIST (col, ...)) */
  partitionKey?: string[];
  /** a partition's bound: FOR VALUES FROM .. TO, IN (..), or DEFAULT (constants as written) */
  partitionBound?: PartitionBound;
  definedAt?: SourceLocation;
  /**
   * A temporary table or view (CREATE TEMP ..): it lives in the session's own schema, and a read-only transaction may
   * still write it (schema/readOnly.ts).
   */
  temporary?: boolean;
  /** where the distribution was declared (create_distributed_table call, snapshot, cluster) */
  distributedAt?: SourceLocation;
  /**
   * A view's query as parsed from its CREATE VIEW (`{ SelectStmt: ... }`; shared, never mutated): PostgreSQL
   * expands a view into this subquery before Citus plans, so the query model does too. Views from a
   * snapshot or a cluster carry `viewDefinition` instead.
   */
  viewQuery?: Readonly<Record<string, unknown>>;
  /** A materialized view's query as parsed (shared, never mutated): what it depends on; it is never expanded. */
  matviewQuery?: Readonly<Record<string, unknown>>;
  /**
   * The table has a BEFORE or INSTEAD OF row trigger, or a rule: an INSERT's row may be changed (a NOT NULL column
   * filled in) or the INSERT rewritten, so the model does not say a constant row fails.
   */
  rowHooks?: boolean;
  /**
   * The table's CHECK constraints, with their names as PostgreSQL prints them (given, or chosen as PostgreSQL chooses
   * them) and their expressions as parsed (shared, never mutated). Only from workspace DDL.
   */
  checks?: readonly CheckConstraint[];
  /** other tables INHERIT from this one (not partitions) */
  inherited?: boolean;
  /** a partitioned table with partitions the model does not know (a foreign table, a table attached from elsewhere) */
  partitionsIncomplete?: boolean;
  /** columns that the table's triggers name (`UPDATE OF`, `WHEN`): PostgreSQL refuses to drop them without CASCADE */
  triggerColumns?: readonly string[];
  /**
   * The names of the triggers the document created on the table and did not drop (CREATE TRIGGER, CREATE CONSTRAINT
   * TRIGGER): Citus refuses to distribute a table that has any. Undefined when the document created none (a table from
   * a snapshot or a cluster may have some the model does not know).
   */
  triggerNames?: string[];
  /** a view's query as text (from a snapshot or a cluster: `pg_get_viewdef`), parsed when the view is read */
  viewDefinition?: string;
  /** a PostgreSQL or Citus catalog relation (pg_catalog, information_schema): local, columns unknown */
  catalog?: boolean;
  /**
   * The column list is not the whole table (inherited columns, LIKE or AS SELECT over something the model does
   * not know): a name that is not in it may still be a column, so the semantic layer says nothing about it.
   */
  columnsIncomplete?: boolean;
  /**
   * Column names an ALTER TABLE of the workspace added, dropped or renamed (from and to): PostgreSQL may have refused
   * that statement for a reason the model does not follow (rows, a dependent view, ONLY on a parent), so whether the
   * table has such a column is not sure (ddl-column-error says nothing about them).
   */
  columnsTouched?: readonly string[];
  /** `schema.name` of the tables this one's foreign keys reference (Citus converts local tables along them) */
  foreignKeysTo?: string[];
  /**
   * A constraint the model cannot name was dropped (ALTER TABLE .. DROP CONSTRAINT): it may have been one of the foreign
   * keys in `foreignKeysTo`, which then no longer vouches for them.
   */
  foreignKeysUncertain?: boolean;
  /**
   * The foreign keys (among `foreignKeysTo`) the model is sure exist, with their columns: those of a CREATE TABLE
   * PostgreSQL surely accepted, in the document's own DDL. Citus' checks of foreign keys (src/core/schema/foreignKeys.ts)
   * use these only. Never mutated: replaced.
   */
  foreignKeys?: readonly ForeignKeyModel[];
  /**
   * A Citus call changed the table while foreign keys the model is not sure of were involved: Citus may have refused
   * it (or done more), so the kind may not be what the model says. Checks of foreign keys that rest on it say nothing.
   */
  kindUncertain?: boolean;
  /**
   * ALTER TABLE, CREATE TRIGGER or CREATE RULE changed the table after its CREATE TABLE: Citus may refuse to distribute
   * it for what they added (an EXCLUDE constraint, a trigger, an identity column), so a call on it is not "surely" run.
   */
  alteredAfterCreate?: boolean;
  /**
   * The names of the table's keys (./keyNames.ts), given or as PostgreSQL chooses them, for DROP CONSTRAINT and DROP
   * INDEX; a key without an entry is one the model cannot name. Never mutated: replaced.
   */
  keyNames?: Readonly<Record<string, KeyName>>;
  /**
   * A constraint or index the model cannot name was dropped, and it may have been one of the keys: they are kept,
   * but nothing is refused because one of them exists.
   */
  keysUncertain?: boolean;
  /**
   * The names of the table's constraints other than its keys (whose names are in `keyNames`): CHECK, FOREIGN KEY,
   * EXCLUDE. Set, with `constraintNamesComplete`, only when the model knows every constraint name of the table (./keyNames.ts).
   */
  constraintNames?: Readonly<Record<string, 'check' | 'fkey' | 'exclusion'>>;
  /** every constraint of the table has a name in `keyNames` or `constraintNames` (a name in neither is no constraint of it) */
  constraintNamesComplete?: boolean;
  /**
   * The constraint names the table was created with and that no later statement dropped or renamed: names an ALTER
   * TABLE added may belong to a constraint PostgreSQL refused for the rows (a CHECK or foreign key they break), so
   * constraint-already-exists holds only these against a new constraint.
   */
  constraintsAtCreate?: readonly string[];
  /**
   * Keys may have been added out of the model's sight (a DO block's DDL): no error rests on a key being absent (ON
   * CONFLICT's inference, a foreign key's referenced key), as `keysUncertain` makes none rest on one being present.
   */
  keysIncomplete?: boolean;
  /** the primary key was added by an ALTER TABLE PostgreSQL may have refused (rows written before it, a transaction) */
  primaryKeyUnsure?: boolean;
  /** a table access method other than heap (`USING columnar`, ALTER TABLE .. SET ACCESS METHOD, Citus' alter_*_access_method) */
  accessMethod?: string;
}

/** A domain (CREATE DOMAIN): its base type, NOT NULL, default and CHECK constraints (`VALUE` in their expressions). */
export interface DomainModel {
  schema: string;
  name: string;
  /** canonical name of the base type */
  baseType: string;
  notNull: boolean;
  /** the base type's length (`varchar(3)`, `char(2)`) */
  length?: number;
  /** a COLLATE clause: its CHECKs are not evaluated on text (a nondeterministic collation compares otherwise) */
  collated?: boolean;
  /** the default as written when it is a constant (`0`, `'x'`, NULL: 'null'); undefined: none; 'other': not a constant */
  defaultValue?: string;
  checks: readonly CheckConstraint[];
}

export interface CheckConstraint {
  name: string;
  expr: Readonly<Record<string, unknown>>;
  /** the columns the expression reads */
  columns: readonly string[];
}

/**
 * A partition's bound. A range bound's value is a literal as written, RANGE_MIN / RANGE_MAX for MINVALUE / MAXVALUE, or
 * null for an expression the model does not read.
 */
export type PartitionBound = { kind: 'range'; from: (string | null)[]; to: (string | null)[] } | { kind: 'list'; values: string[] } | { kind: 'default' };

/** MINVALUE and MAXVALUE in a range bound (no literal can be these: they start with a NUL character). */
export const RANGE_MIN = '\u0000minvalue';
export const RANGE_MAX = '\u0000maxvalue';

export interface ColocationGroup {
  id: number;
  shardCount: number;
  /** distribution column type for hash/range groups */
  distributionColumnType?: string;
  kind: 'hash' | 'reference' | 'single_shard';
  /** citus.shard_replication_factor when the group was created (pg_dist_colocation.replicationfactor); 1 when absent */
  replicationFactor?: number;
  /**
   * The group of the tables distributed with `colocate_with => '<name>'` of a table the model does not know (created
   * elsewhere): colocated with each other, with nothing known of the rest (./colocation.ts)
   */
  colocatedWithUnknown?: string;
}

export function qualifiedName(schema: string, name: string): string {
  return `${schema}.${name}`;
}

export function displayName(table: TableModel): string {
  return table.schema === 'public' ? table.name : `${table.schema}.${table.name}`;
}

/** Tables with a distribution key (hash, range, append): the ones Citus' pushdown rules talk about. */
export function hasDistributionKey(table: TableModel): boolean {
  return table.kind === 'hash' || table.kind === 'range' || table.kind === 'append';
}

/** Citus tables that are sharded (everything in Citus metadata but reference and citus-local). */
export function isDistributed(table: TableModel): boolean {
  return hasDistributionKey(table) || table.kind === 'single_shard';
}

export function isCitusTable(table: TableModel): boolean {
  return isDistributed(table) || table.kind === 'reference' || table.kind === 'citus_local';
}

/**
 * A column that is NULL when an INSERT leaves it out: NOT NULL (a primary key's columns are), no default, not
 * generated or an identity, and of a built-in type (a domain's default may fill it: the model does not read domains).
 */
export function nullWhenLeftOut(col: ColumnModel): boolean {
  return col.notNull && col.defaultKind === 'none' && !col.generated && !col.identityAlways && isKnownBuiltinType(col.type);
}

export function findColumn(table: TableModel, name: string): ColumnModel | undefined {
  return table.columns.find((c) => c.name === name);
}

/** What the model knows of a workspace function's definition (CREATE FUNCTION). */
export interface FunctionDefinition {
  sql: boolean;
  returnsSet: boolean;
  /** a scalar SQL function PostgreSQL may inline (inline_function) */
  inlinable?: boolean;
  /** the expression an inlinable function's body is, its parameters as `$n` or by their names */
  expression?: PgNode;
  paramNames?: string[];
  /** its body, whose tables functionReads (./functionReads.ts) works out when a call asks */
  body?: FunctionBody;
  /**
   * a set-returning SQL function PostgreSQL inlines in FROM (inline_set_returning_function: not VOLATILE, not STRICT,
   * not SECURITY DEFINER, no SET clause, a body of one SELECT); see ../planner/inlinedFunctions.ts
   */
  inlinedInFrom?: boolean;
  /** the name was defined with other parameter types too: which one a call means is not followed */
  overloaded?: boolean;
  /** the parameter types as written, to tell overloads from a CREATE OR REPLACE */
  signature?: string;
}

/**
 * The schema model. Mutable while DDL is applied in order; `clone()` gives an independent copy so that
 * the analysis of one file never leaks into another.
 */
export class SchemaModel {
  readonly tables = new Map<string, TableModel>();
  readonly sequences = new Set<string>();
  readonly schemas = new Set<string>(['public']);
  readonly groups = new Map<number, ColocationGroup>();
  /** schemas distributed with citus_schema_distribute / schema-based sharding -> colocation id */
  readonly distributedSchemas = new Map<string, number>();
  /** Citus settings that change how DDL behaves (`citus.shard_count`, ...) */
  readonly settings = new Map<string, string>([['citus.shard_count', '32']]);
  /**
   * The settings the cluster itself runs with (a snapshot's, the project config's): what `RESET` and
   * `SET .. TO DEFAULT` return a session to. Citus' own defaults for the others.
   */
  readonly clusterSettings = new Map<string, string>();
  /** volatility of functions defined in the workspace (lower-case name) */
  readonly functions = new Map<string, 'immutable' | 'stable' | 'volatile'>();
  /**
   * how the workspace's CREATE FUNCTION statements define them (lower-case name): LANGUAGE SQL ones PostgreSQL may inline
   * (../semantic/resolver.ts rangeFunction); unknown for a function known from a snapshot or the cluster only
   */
  readonly functionDefinitions = new Map<string, FunctionDefinition>();
  /** operators the workspace defines (CREATE OPERATOR), by symbol: the semantic layer does not say one is missing */
  readonly operators = new Set<string>();
  /** names of temporary sequences the workspace creates (CREATE TEMP SEQUENCE) */
  readonly temporarySequences = new Set<string>();
  /** domains the workspace DDL creates, by `schema.name` (their values are checked on INSERT .. VALUES; never mutated: replaced) */
  readonly domains = new Map<string, DomainModel>();
  /** enum types (`schema.name`) and their labels in order, from CREATE TYPE .. AS ENUM and ALTER TYPE .. ADD / RENAME VALUE */
  readonly enums = new Map<string, readonly string[]>();
  /** where the model came from, for the status bar and messages */
  sources: string[] = [];
  /**
   * The model is a whole database (a metadata snapshot or a cluster, plus the workspace DDL): a relation it does
   * not know does not exist, and PostgreSQL's `relation "x" does not exist` is reported. Workspace DDL alone is
   * never complete (a table may exist only on the cluster).
   */
  complete = false;
  /**
   * The cluster's PostgreSQL major version when known (the project config's `cluster.postgresVersion`, a snapshot's
   * server version): syntax newer than it is PostgreSQL's syntax error (src/core/parse/libpg.ts). Unknown: the
   * analysis takes PostgreSQL 17's grammar, as the parser's.
   */
  postgresMajor: number | undefined;
  /**
   * A DO block, a function or a procedure of the workspace calls Citus' functions (create_reference_table, ...): the
   * model does not run bodies, so a table's kind may not be what it says, and checks that rest on other tables' kinds
   * (foreign keys) say nothing.
   */
  opaqueCitusCalls = false;
  /**
   * `schema.name` of the relations the files surely dropped or renamed away (and did not create again): PostgreSQL's
   * `relation "x" does not exist` for a later statement that names one, even when the model is not the whole database.
   */
  readonly goneRelations = new Set<string>();
  private nextGroupId = 1;
  /** `tables` indexed by schema, then name: lookups need no concatenated key (they run per table reference) */
  private readonly bySchema = new Map<string, Map<string, TableModel>>();

  clone(): SchemaModel {
    const copy = new SchemaModel();
    for (const t of this.tables.values()) copy.putTable(cloneTable(t), false);
    for (const s of this.sequences) copy.sequences.add(s);
    for (const s of this.schemas) copy.schemas.add(s);
    for (const [k, g] of this.groups) copy.groups.set(k, { ...g });
    for (const [k, v] of this.distributedSchemas) copy.distributedSchemas.set(k, v);
    copy.settings.clear();
    for (const [k, v] of this.settings) copy.settings.set(k, v);
    for (const [k, v] of this.clusterSettings) copy.clusterSettings.set(k, v);
    for (const [k, v] of this.functions) copy.functions.set(k, v);
    for (const [k, v] of this.functionDefinitions) copy.functionDefinitions.set(k, v);
    for (const o of this.operators) copy.operators.add(o);
    for (const q of this.temporarySequences) copy.temporarySequences.add(q);
    for (const [k, v] of this.domains) copy.domains.set(k, v);
    for (const [k, v] of this.enums) copy.enums.set(k, v);
    copy.sources = [...this.sources];
    copy.complete = this.complete;
    copy.postgresMajor = this.postgresMajor;
    copy.opaqueCitusCalls = this.opaqueCitusCalls;
    for (const g of this.goneRelations) copy.goneRelations.add(g);
    copy.nextGroupId = this.nextGroupId;
    return copy;
  }

  /** Makes this model the state `other` holds (ROLLBACK): `other` is consumed and must not be used again. */
  restoreFrom(other: SchemaModel): void {
    this.tables.clear();
    this.bySchema.clear();
    nameIndexes.delete(this);
    for (const t of other.tables.values()) this.putTable(t, false);
    for (const set of [this.sequences, this.schemas] as Set<string>[]) set.clear();
    for (const q of other.sequences) this.sequences.add(q);
    for (const q of other.schemas) this.schemas.add(q);
    this.groups.clear();
    for (const [k, g] of other.groups) this.groups.set(k, g);
    this.distributedSchemas.clear();
    for (const [k, v] of other.distributedSchemas) this.distributedSchemas.set(k, v);
    this.settings.clear();
    for (const [k, v] of other.settings) this.settings.set(k, v);
    this.clusterSettings.clear();
    for (const [k, v] of other.clusterSettings) this.clusterSettings.set(k, v);
    this.functions.clear();
    for (const [k, v] of other.functions) this.functions.set(k, v);
    this.functionDefinitions.clear();
    for (const [k, v] of other.functionDefinitions) this.functionDefinitions.set(k, v);
    this.operators.clear();
    for (const o of other.operators) this.operators.add(o);
    this.temporarySequences.clear();
    for (const q of other.temporarySequences) this.temporarySequences.add(q);
    this.domains.clear();
    for (const [k, v] of other.domains) this.domains.set(k, v);
    this.enums.clear();
    for (const [k, v] of other.enums) this.enums.set(k, v);
    this.sources = other.sources;
    this.complete = other.complete;
    this.postgresMajor = other.postgresMajor;
    this.opaqueCitusCalls = other.opaqueCitusCalls;
    this.goneRelations.clear();
    for (const g of other.goneRelations) this.goneRelations.add(g);
    this.nextGroupId = other.nextGroupId;
  }

  /** A setting of the cluster (not of a session): the value now, and the one RESET returns to. */
  setClusterSetting(name: string, value: string): void {
    const v = normalizeSettingValue(name, value);
    this.settings.set(name, v);
    this.clusterSettings.set(name, v);
  }

  /** citus.shard_replication_factor as set now (1 unless a workspace SET it) */
  get replicationFactor(): number {
    const n = Number(this.settings.get('citus.shard_replication_factor'));
    return Number.isFinite(n) && n > 0 ? n : 1;
  }

  get defaultShardCount(): number {
    const n = Number(this.settings.get('citus.shard_count'));
    return Number.isFinite(n) && n > 0 ? n : 32;
  }

  get(schema: string, name: string): TableModel | undefined {
    return this.bySchema.get(schema)?.get(name);
  }

  /**
   * Resolves an (optionally schema-qualified) name through a search path. Names no DDL defines in
   * `pg_catalog` or `information_schema`, and unqualified `pg_*` / `citus_*` names (PostgreSQL searches
   * pg_catalog first, where Citus keeps citus_tables, citus_shards, pg_dist_* ...), are catalog relations:
   * local to the coordinator, as Citus plans them.
   */
  resolve(schema: string | undefined, name: string, searchPath: readonly string[]): TableModel | undefined {
    if (schema) return this.get(schema, name) ?? catalogRelation(schema, name);
    for (const s of searchPath) {
      const t = this.get(s, name);
      if (t) return t;
    }
    return name.startsWith('pg_') || name.startsWith('citus_') || UNPREFIXED_CATALOGS.has(name) ? catalogRelation('pg_catalog', name) : undefined;
  }

  /** Whether a table of another schema has `table`'s name (by the schemas' indexes, not a pass over every table). */
  hasNamesake(table: TableModel): boolean {
    for (const names of this.bySchema.values()) {
      const t = names.get(table.name);
      if (t && t !== table) return true;
    }
    return false;
  }

  put(table: TableModel): void {
    this.putTable(table, true);
  }

  /** put, and (`log`) a note for the indexes of key names (a copy's or a restored model's are built afresh). */
  private putTable(table: TableModel, log: boolean): void {
    this.tables.set(qualifiedName(table.schema, table.name), table);
    this.goneRelations.delete(qualifiedName(table.schema, table.name));
    let names = this.bySchema.get(table.schema);
    if (!names) this.bySchema.set(table.schema, (names = new Map()));
    names.set(table.name, table);
    this.schemas.add(table.schema);
    if (log) noteKeyNamesChanged(table);
  }

  /**
   * Whether a table of `schema` has a key (or an index) or a constraint named `name`: a name PostgreSQL does not
   * choose for a new one (../schema/ddl.ts nameTaken). A model asked a few times passes over its tables; one asked more
   * (the model a folder's file gets, as the DDL of every other file is applied to it) builds an index of the names,
   * brought up to date from the log of tables whose names changed (noteKeyNamesChanged): a pass per new key made such
   * a folder quadratic in its tables, an index per model would cost a file that asks twice more than it saves. A holder
   * the index lists is checked, as a table may have dropped the name since.
   */
  keyNameTaken(schema: string, name: string): boolean {
    let index = nameIndexes.get(this);
    if (!index) nameIndexes.set(this, (index = { questions: 0, at: 0 }));
    if (++index.questions <= passesBeforeIndex) return this.keyNameInTables(schema, name);
    const holders = this.keyNameIndex(index).get(schema)?.get(name);
    const holds = (t: TableModel): boolean => t.schema === schema && this.get(schema, t.name) === t && !!(t.keyNames?.[name] || t.constraintNames?.[name]);
    const taken = holders === undefined ? false : Array.isArray(holders) ? holders.some(holds) : holds(holders);
    if (CHECK_INDEXES && this.keyNameInTables(schema, name) !== taken) indexMismatches.push(`keyNameTaken(${schema}, ${name}): index ${taken}, tables ${!taken}`);
    return taken;
  }

  /** keyNameTaken by a pass over every table. */
  private keyNameInTables(schema: string, name: string): boolean {
    for (const t of this.tables.values()) if (t.schema === schema && (t.keyNames?.[name] || t.constraintNames?.[name])) return true;
    return false;
  }

  private keyNameIndex(index: NameIndex): Map<string, Map<string, Holders>> {
    const end = keyNamesLog.base + keyNamesLog.tables.length;
    if (!index.bySchema || index.at < keyNamesLog.base) {
      // (new, or the log was trimmed since: built from every table)
      index.bySchema = new Map();
      index.at = end;
      for (const t of this.tables.values()) indexKeyNames(index.bySchema, t);
    } else if (index.at < end) {
      for (let k = index.at - keyNamesLog.base; k < keyNamesLog.tables.length; k++) {
        const t = keyNamesLog.tables[k];
        if (this.get(t.schema, t.name) === t) indexKeyNames(index.bySchema, t);
      }
      index.at = end;
    }
    return index.bySchema;
  }

  remove(table: TableModel): void {
    this.tables.delete(qualifiedName(table.schema, table.name));
    this.bySchema.get(table.schema)?.delete(table.name);
  }

  /** The partitioned table a partition belongs to, when the model has it. */
  parentOf(table: TableModel): TableModel | undefined {
    return table.partitionParent ? this.tables.get(table.partitionParent) : undefined;
  }

  /** The CHECK constraints a row of `table` must pass: its own and its parents' (partitions inherit them), in name order. */
  checksOf(table: TableModel): CheckConstraint[] {
    const out: CheckConstraint[] = [];
    for (let t: TableModel | undefined = table, n = 0; t && n < 16; t = this.parentOf(t), n++) {
      for (const k of t.checks ?? []) if (!out.some((o) => o.name === k.name)) out.push(k);
    }
    return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Partitions of a partitioned table. */
  partitionsOf(table: TableModel): TableModel[] {
    const key = qualifiedName(table.schema, table.name);
    return [...this.tables.values()].filter((t) => t.partitionParent === key);
  }

  /**
   * Whether a BEFORE / INSTEAD OF row trigger or a rule on the table, a parent or a partition can change a row
   * inserted into it (PostgreSQL checks NOT NULL after BEFORE triggers; a rule rewrites the command).
   */
  rowHooksReach(table: TableModel): boolean {
    for (let t: TableModel | undefined = table, n = 0; t && n < 16; t = this.parentOf(t), n++) if (t.rowHooks) return true;
    const down = (t: TableModel, depth: number): boolean => depth < 8 && this.partitionsOf(t).some((p) => !!p.rowHooks || (p.partitioned && down(p, depth + 1)));
    return table.partitioned && down(table, 0);
  }

  /** Members of a colocation group, in name order. */
  groupMembers(id: number): TableModel[] {
    return [...this.tables.values()]
      .filter((t) => t.colocationId === id)
      .sort((a, b) => qualifiedName(a.schema, a.name).localeCompare(qualifiedName(b.schema, b.name)));
  }

  newGroup(group: Omit<ColocationGroup, 'id'>): ColocationGroup {
    const g = { ...group, id: this.nextGroupId++ };
    this.groups.set(g.id, g);
    return g;
  }

  /** Registers a group with a known id (from a snapshot or the cluster). */
  addGroup(group: ColocationGroup): void {
    this.groups.set(group.id, group);
    this.nextGroupId = Math.max(this.nextGroupId, group.id + 1);
  }

  /**
   * The group Citus picks for `colocate_with => 'default'`: the existing hash group with the same
   * shard count and distribution column type (the lowest id), as `ColocationId()` does. A group created
   * with `colocate_with => 'none'` is a candidate too (the corpus shows it).
   */
  findDefaultGroup(shardCount: number, type: string, replicationFactor = 1): ColocationGroup | undefined {
    let best: ColocationGroup | undefined;
    for (const g of this.groups.values()) {
      // (not the group of a table the model does not know: whether it is the default one is unknown too)
      if (g.kind === 'hash' && !g.colocatedWithUnknown && g.shardCount === shardCount && g.distributionColumnType === type && (g.replicationFactor ?? 1) === replicationFactor) {
        if (!best || g.id < best.id) best = g;
      }
    }
    return best;
  }

  referenceGroup(): ColocationGroup {
    for (const g of this.groups.values()) if (g.kind === 'reference') return g;
    return this.newGroup({ kind: 'reference', shardCount: 1 });
  }
}

const CATALOG_SCHEMAS = new Set(['pg_catalog', 'information_schema']);
/** Citus' catalog views without a `citus_` / `pg_` prefix */
const UNPREFIXED_CATALOGS = new Set(['time_partitions']);

/** A catalog relation's model: a fresh object each time, never put in a SchemaModel (nor in snapshots). */
function catalogRelation(schema: string, name: string): TableModel | undefined {
  if (!CATALOG_SCHEMAS.has(schema)) return undefined;
  return { schema, name, kind: 'local', columns: [], uniqueKeys: [], partitioned: false, catalog: true };
}

/**
 * The tables whose key or constraint names changed, or that were put in a model, in order: what the models' indexes
 * of key names (SchemaModel.keyNameTaken) catch up from. Every writer of `keyNames` and `constraintNames` notes the
 * table here (./keyNames.ts, ./ddl.ts). Kept to KEY_NAMES_LOG_LIMIT tables (a long-running server must not hold
 * more), then cleared: an index that had not caught up is built again.
 */
const keyNamesLog: { base: number; tables: TableModel[] } = { base: 0, tables: [] };
const KEY_NAMES_LOG_LIMIT = 256;
/**
 * Each model's index of key names by schema, and how far into the log it is (SchemaModel.keyNameIndex): beside the
 * model, not in it, so that a model compares equal to one built another way (the tests do) whatever it was asked.
 */
const nameIndexes = new WeakMap<SchemaModel, NameIndex>();
/** How many questions, and the index once a model has been asked more than passesBeforeIndex (keyNameTaken). */
interface NameIndex {
  questions: number;
  at: number;
  bySchema?: Map<string, Map<string, Holders>>;
}
/** Questions a model answers by passes over its tables before it builds its index (none when checked). */
const PASSES_BEFORE_INDEX = 8;
let passesBeforeIndex = PASSES_BEFORE_INDEX;

export function noteKeyNamesChanged(table: TableModel): void {
  if (keyNamesLog.tables.length >= KEY_NAMES_LOG_LIMIT) {
    keyNamesLog.base += keyNamesLog.tables.length;
    keyNamesLog.tables = [];
  }
  keyNamesLog.tables.push(table);
}

/** The tables an index lists for a name: one (almost always), or several (kept small: an index is per model). */
type Holders = TableModel | TableModel[];

function indexKeyNames(bySchema: Map<string, Map<string, Holders>>, t: TableModel): void {
  if (!t.keyNames && !t.constraintNames) return;
  let names = bySchema.get(t.schema);
  if (!names) bySchema.set(t.schema, (names = new Map()));
  const add = (n: string): void => {
    const holders = names.get(n);
    if (holders === undefined) names.set(n, t);
    else if (Array.isArray(holders)) {
      if (!holders.includes(t)) holders.push(t);
    } else if (holders !== t) names.set(n, [holders, t]);
  };
  for (const n in t.keyNames) add(n);
  for (const n in t.constraintNames) add(n);
}

/**
 * When checked (the test suite turns it on: test/support/indexCheck.ts), the indexes answer from the first question
 * on, every answer is compared with a pass over the tables, and a difference is recorded in `indexMismatches`.
 */
let CHECK_INDEXES = false;
export const indexMismatches: string[] = [];
export function checkIndexes(on: boolean): void {
  CHECK_INDEXES = on;
  passesBeforeIndex = on ? 0 : PASSES_BEFORE_INDEX;
}
export function indexesChecked(): boolean {
  return CHECK_INDEXES;
}

function cloneTable(t: TableModel): TableModel {
  return {
    ...t,
    columns: t.columns.map((c) => ({ ...c })),
    primaryKey: t.primaryKey ? [...t.primaryKey] : undefined,
    uniqueKeys: t.uniqueKeys.map((k) => [...k]),
    otherUniqueIndexes: t.otherUniqueIndexes?.map((i) => ({ ...i, columns: [...i.columns] })),
    definedAt: t.definedAt ? { ...t.definedAt } : undefined,
    distributedAt: t.distributedAt ? { ...t.distributedAt } : undefined,
  };
}
