/**
 * The metadata snapshot: a versioned JSON file that describes the tables of a cluster, so that the
 * CLI and the extension can analyse without a connection (documented in docs/snapshot-format.md).
 * `citus-rollups catalog dump` writes it; this module reads and writes it (pure: objects in, objects out).
 */
import { canonicalTypeName, typeSizeOfText } from './types';
import { qualifiedName, SchemaModel, type ColumnModel, type DefaultKind, type PartitionBound, type TableKind, type TableModel, type UniqueIndexShape } from './model';

export const SNAPSHOT_FORMAT = 'citus-rollups-snapshot';
export const SNAPSHOT_VERSION = 1;

export interface SnapshotColumn {
  name: string;
  type: string;
  notNull?: boolean;
  /** the DEFAULT expression as the catalog prints it */
  default?: string | null;
  defaultKind?: DefaultKind;
  /** `schema.name` of the column's enum type (one of the snapshot's `enums`) */
  enumType?: string;
}

export interface SnapshotTable {
  schema: string;
  name: string;
  kind: TableKind;
  distributionColumn?: string | null;
  colocationId?: number | null;
  shardCount?: number | null;
  partitionParent?: string | null;
  partitioned?: boolean;
  columns: SnapshotColumn[];
  primaryKey?: string[] | null;
  uniqueKeys?: string[][];
  /** unique indexes on expressions or partial ones: their key columns, and which they are (ON CONFLICT's inference) */
  otherUniqueIndexes?: UniqueIndexShape[];
  /** a view's query as the server prints it (`pg_get_viewdef`): the analysis expands the view into it */
  viewDefinition?: string | null;
  /** a table access method other than heap (pg_am.amname), e.g. `columnar` */
  accessMethod?: string | null;
  /** a partitioned table's partition key columns (absent when a part is an expression) */
  partitionKey?: string[] | null;
  /** a partition's bound, its constants as text (MINVALUE / MAXVALUE: null); absent for a hash partition */
  partitionBound?: PartitionBound | null;
  /** a BEFORE / INSTEAD OF row trigger on INSERT or UPDATE, or a rule (pg_trigger, pg_class.relhasrules) */
  rowHooks?: boolean;
  /** `schema.name` of the tables its foreign keys reference (pg_constraint) */
  foreignKeysTo?: string[];
}

export interface SnapshotGroup {
  id: number;
  shardCount: number;
  distributionColumnType?: string | null;
  kind: 'hash' | 'reference' | 'single_shard';
  /** pg_dist_colocation.replicationfactor, when above 1 */
  replicationFactor?: number;
}

export interface Snapshot {
  format: typeof SNAPSHOT_FORMAT;
  version: typeof SNAPSHOT_VERSION;
  /** where it was taken: server version, Citus version, time */
  source?: { citusVersion?: string | null; serverVersion?: string; takenAt?: string; database?: string };
  settings?: Record<string, string>;
  tables: SnapshotTable[];
  colocationGroups: SnapshotGroup[];
  distributedSchemas?: { schema: string; colocationId: number }[];
  sequences?: string[];
  /** volatility of the database's own functions (built-ins are known to the analysis) */
  functions?: { name: string; volatility: 'immutable' | 'stable' | 'volatile' }[];
  /** enum types and their labels in order (pg_enum) */
  enums?: { schema: string; name: string; labels: string[] }[];
}

export type SnapshotResult = { ok: true; model: SchemaModel } | { ok: false; error: string };

/** Reads a snapshot object (already JSON-parsed) into a model, validating what it relies on. */
export function modelFromSnapshot(data: unknown, label = 'snapshot'): SnapshotResult {
  if (!data || typeof data !== 'object') return { ok: false, error: `${label}: not a JSON object` };
  const s = data as Partial<Snapshot>;
  if (s.format !== SNAPSHOT_FORMAT) return { ok: false, error: `${label}: "format" must be "${SNAPSHOT_FORMAT}"` };
  if (s.version !== SNAPSHOT_VERSION) return { ok: false, error: `${label}: unsupported version ${String(s.version)} (this build reads version ${SNAPSHOT_VERSION})` };
  if (!Array.isArray(s.tables)) return { ok: false, error: `${label}: "tables" must be an array` };
  const model = new SchemaModel();
  model.sources = [label];
  // a snapshot lists every relation of the database: names it lacks do not exist
  model.complete = true;
  model.postgresMajor = postgresMajorOf(s.source?.serverVersion);
  for (const [k, v] of Object.entries(s.settings ?? {})) model.setClusterSetting(k, String(v));
  for (const g of s.colocationGroups ?? []) {
    model.addGroup({ id: g.id, shardCount: g.shardCount, distributionColumnType: g.distributionColumnType ?? undefined, kind: g.kind, ...(typeof g.replicationFactor === 'number' && g.replicationFactor > 1 ? { replicationFactor: g.replicationFactor } : {}) });
  }
  for (const d of s.distributedSchemas ?? []) model.distributedSchemas.set(d.schema, d.colocationId);
  for (const q of s.sequences ?? []) model.sequences.add(q.includes('.') ? q : `public.${q}`);
  for (const f of s.functions ?? []) {
    if (f && typeof f.name === 'string' && (f.volatility === 'immutable' || f.volatility === 'stable' || f.volatility === 'volatile')) {
      model.functions.set(f.name.toLowerCase(), f.volatility);
    }
  }
  for (const e of s.enums ?? []) {
    if (e && typeof e.schema === 'string' && typeof e.name === 'string' && Array.isArray(e.labels) && e.labels.every((l) => typeof l === 'string')) {
      model.enums.set(qualifiedName(e.schema, e.name), [...e.labels]);
    }
  }
  for (const [i, t] of s.tables.entries()) {
    if (!t || typeof t.name !== 'string' || typeof t.schema !== 'string' || !Array.isArray(t.columns)) {
      return { ok: false, error: `${label}: tables[${i}] needs "schema", "name" and "columns"` };
    }
    const table: TableModel = {
      schema: t.schema,
      name: t.name,
      kind: t.kind,
      columns: t.columns.map(
        (c): ColumnModel => ({
          name: c.name,
          type: canonicalTypeName(c.type),
          notNull: !!c.notNull,
          defaultKind: c.defaultKind ?? (c.default ? kindOfDefaultText(c.default) : 'none'),
          defaultText: c.default ?? undefined,
          ...(typeof c.type === 'string' ? typeSizeOfText(c.type) : {}),
          ...(typeof c.enumType === 'string' && s.enums?.some((e) => qualifiedName(e.schema, e.name) === c.enumType) ? { enumType: c.enumType } : {}),
        }),
      ),
      primaryKey: t.primaryKey ?? undefined,
      uniqueKeys: t.uniqueKeys ?? [],
      distributionColumn: t.distributionColumn ?? undefined,
      colocationId: t.colocationId ?? undefined,
      shardCount: t.shardCount ?? undefined,
      partitionParent: t.partitionParent ?? undefined,
      partitioned: !!t.partitioned,
      definedAt: { source: label },
      distributedAt: t.kind === 'local' ? undefined : { source: label },
    };
    if (t.kind === 'view' && typeof t.viewDefinition === 'string' && t.viewDefinition.trim()) table.viewDefinition = t.viewDefinition;
    if (typeof t.accessMethod === 'string' && t.accessMethod && t.accessMethod !== 'heap') table.accessMethod = t.accessMethod;
    if (Array.isArray(t.partitionKey) && t.partitionKey.length && t.partitionKey.every((c) => typeof c === 'string')) table.partitionKey = t.partitionKey;
    if (isPartitionBound(t.partitionBound)) table.partitionBound = t.partitionBound;
    if (t.rowHooks === true) table.rowHooks = true;
    const others = Array.isArray(t.otherUniqueIndexes) ? t.otherUniqueIndexes.filter((i) => Array.isArray(i?.columns) && i.columns.every((c) => typeof c === 'string')) : [];
    if (others.length) table.otherUniqueIndexes = others.map((i) => ({ columns: [...i.columns], ...(i.expressions === true ? { expressions: true } : {}), ...(i.partial === true ? { partial: true } : {}) }));
    if (Array.isArray(t.foreignKeysTo) && t.foreignKeysTo.length && t.foreignKeysTo.every((k) => typeof k === 'string')) table.foreignKeysTo = [...t.foreignKeysTo];
    model.put(table);
  }
  return { ok: true, model };
}

/** A partition bound as a snapshot holds it (anything else is left out: the model then does not check bounds). */
function isPartitionBound(b: unknown): b is PartitionBound {
  if (!b || typeof b !== 'object') return false;
  const x = b as Record<string, unknown>;
  const datums = (v: unknown, nulls: boolean): boolean => Array.isArray(v) && v.length > 0 && v.every((d) => typeof d === 'string' || (nulls && d === null));
  if (x.kind === 'default') return true;
  if (x.kind === 'list') return datums(x.values, false);
  return x.kind === 'range' && datums(x.from, true) && datums(x.to, true);
}

/** The major version of a `server_version` ("15.20 (Debian 15.20-0+deb12u1)", "16.4", "17devel"), or undefined. */
export function postgresMajorOf(serverVersion: unknown): number | undefined {
  const m = typeof serverVersion === 'string' ? /^\s*(\d+)/.exec(serverVersion) : null;
  return m ? Number(m[1]) : undefined;
}

/** Classifies a catalog DEFAULT text (`nextval('s'::regclass)`, `now()`, `0`). */
export function kindOfDefaultText(text: string): DefaultKind {
  if (/\bnextval\s*\(/i.test(text)) return 'sequence';
  if (/\b(random|clock_timestamp|gen_random_uuid|uuid_generate_v\w+|timeofday)\s*\(/i.test(text)) return 'volatile';
  if (/\b(now|transaction_timestamp|statement_timestamp|current_timestamp|current_date|localtimestamp)\b/i.test(text)) return 'stable';
  return 'immutable';
}

/** Writes a model as a snapshot object. */
export function snapshotFromModel(model: SchemaModel, source?: Snapshot['source']): Snapshot {
  const tables = [...model.tables.values()].sort((a, b) => `${a.schema}.${a.name}`.localeCompare(`${b.schema}.${b.name}`));
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    source,
    settings: Object.fromEntries(model.settings),
    tables: tables.map((t) => ({
      schema: t.schema,
      name: t.name,
      kind: t.kind,
      distributionColumn: t.distributionColumn ?? null,
      colocationId: t.colocationId ?? null,
      shardCount: t.shardCount ?? null,
      partitionParent: t.partitionParent ?? null,
      partitioned: t.partitioned,
      columns: t.columns.map((c) => ({
        name: c.name,
        type: c.length && !c.domain ? `${c.type}(${c.length})` : c.numericPrecision !== undefined && !c.domain ? `${c.type}(${c.numericPrecision},${c.numericScale ?? 0})` : c.type,
        notNull: c.notNull,
        default: c.defaultText ?? null,
        defaultKind: c.defaultKind,
        ...(c.enumType && model.enums.has(c.enumType) ? { enumType: c.enumType } : {}),
      })),
      primaryKey: t.primaryKey ?? null,
      uniqueKeys: t.uniqueKeys,
      ...(t.otherUniqueIndexes?.length ? { otherUniqueIndexes: t.otherUniqueIndexes.map((i) => ({ columns: [...i.columns], ...(i.expressions ? { expressions: true } : {}), ...(i.partial ? { partial: true } : {}) })) } : {}),
      ...(t.viewDefinition ? { viewDefinition: t.viewDefinition } : {}),
      ...(t.accessMethod ? { accessMethod: t.accessMethod } : {}),
      ...(t.partitionKey?.length ? { partitionKey: t.partitionKey } : {}),
      ...(t.partitionBound ? { partitionBound: t.partitionBound } : {}),
      ...(t.rowHooks ? { rowHooks: true } : {}),
      ...(t.foreignKeysTo?.length && !t.foreignKeysUncertain ? { foreignKeysTo: [...t.foreignKeysTo] } : {}),
    })),
    colocationGroups: [...model.groups.values()]
      .sort((a, b) => a.id - b.id)
      .map(({ replicationFactor, ...g }) => ({ ...g, distributionColumnType: g.distributionColumnType ?? null, ...(replicationFactor && replicationFactor > 1 ? { replicationFactor } : {}) })),
    distributedSchemas: [...model.distributedSchemas].map(([schema, colocationId]) => ({ schema, colocationId })),
    sequences: [...model.sequences].sort(),
    ...(model.functions.size ? { functions: [...model.functions].sort(([a], [b]) => a.localeCompare(b)).map(([name, volatility]) => ({ name, volatility })) } : {}),
    ...(model.enums.size
      ? {
          enums: [...model.enums].sort(([a], [b]) => a.localeCompare(b)).map(([key, labels]) => {
            const dot = key.indexOf('.');
            return { schema: key.slice(0, dot), name: key.slice(dot + 1), labels: [...labels] };
          }),
        }
      : {}),
  };
}
