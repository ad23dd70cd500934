/**
 * Reads distribution metadata from a coordinator (Citus 11 to 13) or a plain PostgreSQL server (every table
 * local) into the snapshot format of src/core/schema/snapshot.ts, and merges a cluster model with the
 * workspace DDL model (the cluster wins; disagreements become messages).
 *
 * Catalogs (rules note §8): `pg_dist_partition` (+ `column_to_column_name`) is the source of truth, not the
 * `citus_tables` view (it skips tables without shards and contacts every node). `pg_dist_schema` exists since
 * 12.0, `autoconverted` since 11.0: both are checked before use. Shard relations on the coordinator are left out.
 */
import type { Client } from 'pg';
import { kindOfDefaultText, modelFromSnapshot, SNAPSHOT_FORMAT, SNAPSHOT_VERSION, type Snapshot, type SnapshotColumn, type SnapshotGroup, type SnapshotTable } from '../core/schema/snapshot';
import type { PartitionBound, SchemaModel, TableKind } from '../core/schema/model';
import { classifyError, DbError, withTimeout, destroy, type Session } from './connection';

/** Settings that change how Citus plans INSERT..SELECT or creates tables. */
const SETTINGS = ['citus.shard_count', 'citus.shard_replication_factor', 'citus.enable_repartition_joins', 'citus.enable_repartitioned_insert_select', 'citus.use_citus_managed_tables', 'citus.enable_schema_based_sharding'];

const SYSTEM_SCHEMAS = "('pg_catalog', 'information_schema', 'pg_toast', 'citus', 'citus_internal', 'columnar', 'columnar_internal')";

export interface ClusterNode {
  host: string;
  port: number;
  groupId: number;
  role: string;
  active: boolean;
  shouldHaveShards?: boolean;
}

export interface ClusterMetadata {
  snapshot: Snapshot;
  nodes: ClusterNode[];
  /** primary worker nodes (group id <> 0), active */
  workerCount: number;
  citusVersion: string | null;
  serverVersion: string;
}

interface Features {
  citus: boolean;
  distSchema: boolean;
  autoconverted: boolean;
  columnToColumnName: boolean;
  knownShard: boolean;
}

async function features(client: Client): Promise<Features> {
  const r = await client.query<Record<keyof Features, boolean>>(`
    SELECT to_regclass('pg_catalog.pg_dist_partition') IS NOT NULL AS citus,
           to_regclass('pg_catalog.pg_dist_schema') IS NOT NULL AS "distSchema",
           EXISTS (SELECT 1 FROM pg_catalog.pg_attribute WHERE attrelid = to_regclass('pg_catalog.pg_dist_partition') AND attname = 'autoconverted' AND NOT attisdropped) AS autoconverted,
           to_regprocedure('pg_catalog.column_to_column_name(regclass,text)') IS NOT NULL AS "columnToColumnName",
           to_regprocedure('pg_catalog.relation_is_a_known_shard(regclass)') IS NOT NULL AS "knownShard"`);
  return r.rows[0];
}

/** Reads the metadata of the connected database. Queries run read-only inside a transaction that is rolled back. */
export async function readMetadata(session: Session, timeoutMs = session.connection.statementTimeoutMs): Promise<ClusterMetadata> {
  const client = session.client;
  const run = async (): Promise<ClusterMetadata> => {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      return await readInTransaction(session);
    } finally {
      await client.query('ROLLBACK').catch(() => destroy(client));
    }
  };
  try {
    return await withTimeout(run(), timeoutMs + 2000, () => destroy(client), `reading the catalog took longer than ${(timeoutMs + 2000) / 1000} s`);
  } catch (e) {
    throw e instanceof DbError ? e : classifyError(e, session.connection, 'query');
  }
}

interface TableRow {
  oid: number;
  schema: string;
  name: string;
  relkind: string;
  is_partition: boolean;
  parent: string | null;
  viewdef: string | null;
}

interface ColumnRow {
  oid: number;
  name: string;
  type: string;
  not_null: boolean;
  default: string | null;
  identity: string;
  generated: string;
  /** `schema.name` of an enum type */
  enum_type?: string | null;
}

async function readInTransaction(session: Session): Promise<ClusterMetadata> {
  const client = session.client;
  const f = await features(client);
  const shardFilter = f.knownShard ? 'AND NOT pg_catalog.relation_is_a_known_shard(c.oid)' : '';
  const tables = (
    await client.query<TableRow>(`
      SELECT c.oid::int8::float8 AS oid, n.nspname AS schema, c.relname AS name, c.relkind::text AS relkind, c.relispartition AS is_partition,
             CASE WHEN c.relkind = 'v' THEN pg_catalog.pg_get_viewdef(c.oid) END AS viewdef,
             (SELECT am.amname::text FROM pg_catalog.pg_am am WHERE am.oid = c.relam) AS access_method,
             CASE WHEN c.relkind = 'p' THEN pg_catalog.pg_get_partkeydef(c.oid) END AS partkey,
             CASE WHEN c.relispartition THEN pg_catalog.pg_get_expr(c.relpartbound, c.oid) END AS partbound,
             c.relhasrules OR (c.relhastriggers AND EXISTS (SELECT 1 FROM pg_catalog.pg_trigger tg WHERE tg.tgrelid = c.oid
               AND (tg.tgtype & 1) <> 0 AND (tg.tgtype & 66) <> 0 AND (tg.tgtype & 20) <> 0)) AS row_hooks,
             (SELECT pg_catalog.array_agg(DISTINCT rn.nspname || '.' || rc.relname) FROM pg_catalog.pg_constraint fk
               JOIN pg_catalog.pg_class rc ON rc.oid = fk.confrelid JOIN pg_catalog.pg_namespace rn ON rn.oid = rc.relnamespace
               WHERE fk.conrelid = c.oid AND fk.contype = 'f') AS fkeys_to,
             (SELECT pn.nspname || '.' || pc.relname FROM pg_catalog.pg_inherits i JOIN pg_catalog.pg_class pc ON pc.oid = i.inhparent
               JOIN pg_catalog.pg_namespace pn ON pn.oid = pc.relnamespace WHERE i.inhrelid = c.oid AND c.relispartition LIMIT 1) AS parent
      FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind IN ('r', 'p', 'v', 'm', 'f')
        AND n.nspname NOT IN ${SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_temp%' AND n.nspname NOT LIKE 'pg_toast%'
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
        ${shardFilter}
      ORDER BY n.nspname, c.relname`)
  ).rows;
  const oids = tables.map((t) => t.oid);
  const columns = (
    await client.query<ColumnRow>(
      `SELECT a.attrelid::int8::float8 AS oid, a.attname AS name, pg_catalog.format_type(a.atttypid, a.atttypmod) AS type, a.attnotnull AS not_null,
              pg_catalog.pg_get_expr(d.adbin, d.adrelid) AS default, a.attidentity::text AS identity, a.attgenerated::text AS generated,
              (SELECT tn.nspname || '.' || t.typname FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace tn ON tn.oid = t.typnamespace
                WHERE t.oid = a.atttypid AND t.typtype = 'e') AS enum_type
       FROM pg_catalog.pg_attribute a LEFT JOIN pg_catalog.pg_attrdef d ON d.adrelid = a.attrelid AND d.adnum = a.attnum
       WHERE a.attrelid = ANY($1::oid[]) AND a.attnum > 0 AND NOT a.attisdropped
       ORDER BY a.attrelid, a.attnum`,
      [oids],
    )
  ).rows;
  const keys = (
    await client.query<{ oid: number; primary: boolean; cols: string[]; expressions: boolean; partial: boolean }>(
      // the key columns (not INCLUDE ones; an expression's attnum is 0), and whether there are expressions, a predicate
      `SELECT i.indrelid::int8::float8 AS oid, i.indisprimary AS primary,
              ARRAY(SELECT a.attname::text FROM unnest(i.indkey::int2[]) WITH ORDINALITY k(attnum, ord)
                    JOIN pg_catalog.pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = k.attnum
                    WHERE k.ord <= i.indnkeyatts ORDER BY k.ord) AS cols,
              i.indexprs IS NOT NULL AS expressions, i.indpred IS NOT NULL AS partial
       FROM pg_catalog.pg_index i
       WHERE i.indrelid = ANY($1::oid[]) AND i.indisunique AND i.indisvalid
       ORDER BY i.indrelid, NOT i.indisprimary, i.indexrelid`,
      [oids],
    )
  ).rows;
  const sequences = (
    await client.query<{ q: string }>(`
      SELECT n.nspname || '.' || c.relname AS q FROM pg_catalog.pg_class c JOIN pg_catalog.pg_namespace n ON n.oid = c.relnamespace
      WHERE c.relkind = 'S' AND n.nspname NOT IN ${SYSTEM_SCHEMAS}
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_class'::regclass AND d.objid = c.oid AND d.deptype = 'e')
      ORDER BY 1`)
  ).rows.map((r) => r.q);
  // user functions' volatility (the built-ins are in core/schema/functions.ts); of overloads, the most volatile
  const functions = (
    await client.query<{ name: string; volatility: 'immutable' | 'stable' | 'volatile' }>(`
      SELECT p.proname AS name,
             CASE max(CASE p.provolatile WHEN 'v' THEN 3 WHEN 's' THEN 2 ELSE 1 END) WHEN 3 THEN 'volatile' WHEN 2 THEN 'stable' ELSE 'immutable' END AS volatility
      FROM pg_catalog.pg_proc p JOIN pg_catalog.pg_namespace n ON n.oid = p.pronamespace
      WHERE n.nspname NOT IN ${SYSTEM_SCHEMAS} AND n.nspname NOT LIKE 'pg_temp%'
      GROUP BY p.proname ORDER BY 1`)
  ).rows;
  // enum types and their labels, in order (the extensions' own left out)
  const enums = (
    await client.query<{ schema: string; name: string; labels: string[] }>(`
      SELECT n.nspname AS schema, t.typname AS name, ARRAY(SELECT e.enumlabel::text FROM pg_catalog.pg_enum e WHERE e.enumtypid = t.oid ORDER BY e.enumsortorder) AS labels
      FROM pg_catalog.pg_type t JOIN pg_catalog.pg_namespace n ON n.oid = t.typnamespace
      WHERE t.typtype = 'e' AND n.nspname NOT IN ${SYSTEM_SCHEMAS}
        AND NOT EXISTS (SELECT 1 FROM pg_catalog.pg_depend d WHERE d.classid = 'pg_catalog.pg_type'::regclass AND d.objid = t.oid AND d.deptype = 'e')
      ORDER BY 1, 2`)
  ).rows;
  const settings: Record<string, string> = {};
  const settingRows = (await client.query<{ name: string; value: string | null }>(`SELECT s AS name, current_setting(s, true) AS value FROM unnest($1::text[]) s`, [SETTINGS])).rows;
  for (const r of settingRows) if (r.value !== null) settings[r.name] = r.value;

  interface PartRow {
    oid: number;
    partmethod: string;
    repmodel: string;
    colocationid: number;
    column: string | null;
    autoconverted: boolean | null;
    shard_count: number;
  }
  let parts: PartRow[] = [];
  let groups: SnapshotGroup[] = [];
  let schemas: { schema: string; colocationId: number }[] = [];
  let nodes: ClusterNode[] = [];
  if (f.citus) {
    const columnExpr = f.columnToColumnName
      ? 'CASE WHEN p.partkey IS NULL THEN NULL ELSE pg_catalog.column_to_column_name(p.logicalrelid, p.partkey) END'
      : "(SELECT a.attname FROM pg_catalog.pg_attribute a WHERE a.attrelid = p.logicalrelid AND a.attnum = substring(p.partkey from ':varattno (\\d+)')::int)";
    parts = (
      await client.query<PartRow>(`
        SELECT p.logicalrelid::oid::int8::float8 AS oid, p.partmethod::text AS partmethod, p.repmodel::text AS repmodel, p.colocationid,
               ${columnExpr}::text AS column, ${f.autoconverted ? 'p.autoconverted' : 'NULL::bool'} AS autoconverted,
               (SELECT count(*) FROM pg_catalog.pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid)::int AS shard_count
        FROM pg_catalog.pg_dist_partition p`)
    ).rows;
    const g = (
      await client.query<{ id: number; shardcount: number; replicationfactor: number; type: string | null; typeoid: number }>(`
        SELECT colocationid AS id, shardcount, replicationfactor, distributioncolumntype::int8::float8 AS typeoid,
               CASE WHEN distributioncolumntype = 0 THEN NULL ELSE pg_catalog.format_type(distributioncolumntype, NULL) END AS type
        FROM pg_catalog.pg_dist_colocation ORDER BY colocationid`)
    ).rows;
    groups = g.map((r) => ({
      id: r.id,
      shardCount: r.shardcount,
      distributionColumnType: r.type,
      kind: r.replicationfactor === -1 ? 'reference' : r.type === null && r.shardcount === 1 ? 'single_shard' : 'hash',
      ...(r.replicationfactor > 1 ? { replicationFactor: r.replicationfactor } : {}),
    }));
    if (f.distSchema) {
      schemas = (await client.query<{ schema: string; colocationid: number }>(`SELECT schemaid::regnamespace::text AS schema, colocationid FROM pg_catalog.pg_dist_schema ORDER BY 1`)).rows.map((r) => ({
        schema: r.schema.replace(/^"(.*)"$/, '$1'),
        colocationId: r.colocationid,
      }));
    }
    nodes = (
      await client.query<{ nodename: string; nodeport: number; groupid: number; noderole: string; isactive: boolean; shouldhaveshards: boolean }>(
        `SELECT nodename, nodeport, groupid, noderole::text AS noderole, isactive, shouldhaveshards FROM pg_catalog.pg_dist_node ORDER BY nodeid`,
      )
    ).rows.map((r) => ({ host: r.nodename, port: r.nodeport, groupId: r.groupid, role: r.noderole, active: r.isactive, shouldHaveShards: r.shouldhaveshards }));
  }
  const snapshot = buildSnapshot({
    tables,
    columns,
    keys,
    parts,
    groups,
    schemas,
    sequences,
    functions,
    enums,
    settings,
    source: { citusVersion: session.citusVersion, serverVersion: session.serverVersion, takenAt: new Date().toISOString(), database: session.connection.database },
  });
  return {
    snapshot,
    nodes,
    workerCount: nodes.filter((n) => n.groupId !== 0 && n.role === 'primary' && n.active).length,
    citusVersion: session.citusVersion,
    serverVersion: session.serverVersion,
  };
}

/** Catalog rows as read (exported for tests of the pure assembly). */
export interface CatalogRows {
  tables: Array<{ oid: number; schema: string; name: string; relkind: string; is_partition: boolean; parent: string | null; viewdef?: string | null; access_method?: string | null; partkey?: string | null; partbound?: string | null; row_hooks?: boolean | null; fkeys_to?: string[] | null }>;
  columns: Array<{ oid: number; name: string; type: string; not_null: boolean; default: string | null; identity: string; generated: string; enum_type?: string | null }>;
  /** unique indexes (valid ones): key columns, and whether the index has expressions or a predicate */
  keys: Array<{ oid: number; primary: boolean; cols: string[]; expressions?: boolean; partial?: boolean }>;
  parts: Array<{ oid: number; partmethod: string; repmodel: string; colocationid: number; column: string | null; shard_count?: number }>;
  groups: SnapshotGroup[];
  schemas: { schema: string; colocationId: number }[];
  sequences: string[];
  functions?: { name: string; volatility: 'immutable' | 'stable' | 'volatile' }[];
  enums?: { schema: string; name: string; labels: string[] }[];
  settings: Record<string, string>;
  source?: Snapshot['source'];
}

/** Classifies a pg_dist_partition row like Citus' IsCitusTableTypeInternal (rules note §8). */
export function citusKind(p: { partmethod: string; repmodel: string; colocationid: number }): TableKind {
  switch (p.partmethod) {
    case 'h':
      return 'hash';
    case 'r':
      return 'range';
    case 'a':
      return 'append';
    default:
      if (p.repmodel === 't') return 'reference';
      return p.colocationid === 0 ? 'citus_local' : 'single_shard';
  }
}

/** Assembles catalog rows into a snapshot (pure). */
export function buildSnapshot(rows: CatalogRows): Snapshot {
  const colsByOid = new Map<number, SnapshotColumn[]>();
  for (const c of rows.columns) {
    const list = colsByOid.get(c.oid) ?? [];
    const identity = c.identity === 'a' || c.identity === 'd';
    const generated = c.generated === 's';
    list.push({
      name: c.name,
      type: c.type,
      notNull: c.not_null,
      default: identity ? `GENERATED ${c.identity === 'a' ? 'ALWAYS' : 'BY DEFAULT'} AS IDENTITY` : generated ? null : c.default,
      defaultKind: identity ? 'identity' : generated || !c.default ? 'none' : kindOfDefaultText(c.default),
      ...(c.enum_type ? { enumType: c.enum_type } : {}),
    });
    colsByOid.set(c.oid, list);
  }
  const partByOid = new Map(rows.parts.map((p) => [p.oid, p]));
  const groupById = new Map(rows.groups.map((g) => [g.id, g]));
  const out: SnapshotTable[] = [];
  for (const t of rows.tables) {
    const p = partByOid.get(t.oid);
    const kind: TableKind = t.relkind === 'v' ? 'view' : t.relkind === 'm' ? 'matview' : p ? citusKind(p) : 'local';
    const allKeys = rows.keys.filter((k) => k.oid === t.oid);
    const tableKeys = allKeys.filter((k) => !k.expressions && !k.partial);
    const others = allKeys.filter((k) => k.expressions || k.partial);
    const pk = tableKeys.find((k) => k.primary);
    const table: SnapshotTable = {
      schema: t.schema,
      name: t.name,
      kind,
      distributionColumn: p?.column ?? null,
      colocationId: p && p.colocationid !== 0 ? p.colocationid : null,
      shardCount: p ? (p.shard_count ?? groupById.get(p.colocationid)?.shardCount ?? null) : null,
      partitionParent: t.is_partition ? t.parent : null,
      partitioned: t.relkind === 'p',
      columns: colsByOid.get(t.oid) ?? [],
      primaryKey: pk ? pk.cols : null,
      uniqueKeys: tableKeys.filter((k) => !k.primary).map((k) => k.cols),
    };
    if (others.length) table.otherUniqueIndexes = others.map((k) => ({ columns: k.cols, ...(k.expressions ? { expressions: true } : {}), ...(k.partial ? { partial: true } : {}) }));
    if (kind === 'view' && t.viewdef) table.viewDefinition = t.viewdef.trim();
    if (t.access_method && t.access_method !== 'heap') table.accessMethod = t.access_method;
    const key = partitionKeyColumns(t.partkey);
    if (key) table.partitionKey = key;
    const bound = partitionBoundOf(t.partbound);
    if (bound) table.partitionBound = bound;
    if (t.row_hooks) table.rowHooks = true;
    if (t.fkeys_to?.length) table.foreignKeysTo = [...t.fkeys_to].sort();
    out.push(table);
  }
  return {
    format: SNAPSHOT_FORMAT,
    version: SNAPSHOT_VERSION,
    source: rows.source,
    settings: rows.settings,
    tables: out,
    colocationGroups: rows.groups,
    distributedSchemas: rows.schemas,
    sequences: rows.sequences,
    ...(rows.functions?.length ? { functions: rows.functions } : {}),
    ...(rows.enums?.length ? { enums: rows.enums } : {}),
  };
}

// ---------------------------------------------------------------------------------------------------------
// Merging the cluster model with the workspace DDL model (pure)

// The merge is pure and lives in the core (the language server uses it too).
export { mergeModels, type MergeMessage } from '../core/schema/merge';

/** Reads the cluster into a model (snapshot -> model). */
export async function readClusterModel(session: Session): Promise<{ metadata: ClusterMetadata; model: SchemaModel }> {
  const metadata = await readMetadata(session);
  const r = modelFromSnapshot(metadata.snapshot, 'cluster');
  if (!r.ok) throw new DbError('sql', `the cluster's catalog could not be read into a model: ${r.error}`);
  return { metadata, model: r.model };
}

/**
 * A partition's bound as pg_get_expr(relpartbound) prints it: `FOR VALUES FROM ('2024-01-01 00:00:00+00') TO (MAXVALUE)`,
 * `FOR VALUES IN ('a', NULL)`, `DEFAULT`. The constants stay text (MINVALUE / MAXVALUE: null; a NULL list value is
 * left out, as the workspace DDL does); a hash partition (`FOR VALUES WITH (modulus 4, remainder 0)`) or anything
 * else gives undefined.
 */
export function partitionBoundOf(text: string | null | undefined): PartitionBound | undefined {
  if (!text) return undefined;
  if (text === 'DEFAULT') return { kind: 'default' };
  const datums = (list: string): (string | null)[] | undefined => {
    const out: (string | null)[] = [];
    const re = /\s*(?:'((?:[^']|'')*)'(?:::[\w\s".]+(?:\([\d,]+\))?)?|(-?[\d.]+(?:e[+-]?\d+)?)|(MINVALUE|MAXVALUE|NULL|true|false))\s*(,|$)/giy;
    for (let m = re.exec(list); m; m = re.exec(list)) {
      out.push(m[1] !== undefined ? m[1].replace(/''/g, "'") : m[2] !== undefined ? m[2] : /^(MINVALUE|MAXVALUE|NULL)$/i.test(m[3]) ? null : m[3].toLowerCase());
      if (m[4] === '') return re.lastIndex >= list.length ? out : undefined;
    }
    return undefined;
  };
  const range = /^FOR VALUES FROM \((.*)\) TO \((.*)\)$/.exec(text);
  if (range) {
    const from = datums(range[1]);
    const to = datums(range[2]);
    return from?.length && to?.length ? { kind: 'range', from, to } : undefined;
  }
  const list = /^FOR VALUES IN \((.*)\)$/.exec(text);
  if (list) {
    const values = datums(list[1])?.filter((v): v is string => v !== null);
    return values?.length ? { kind: 'list', values } : undefined;
  }
  return undefined;
}

/**
 * The columns of a partition key as pg_get_partkeydef prints it (`RANGE (ts)`, `LIST (region, "Kind")`); undefined
 * when a part is an expression (`RANGE ((ts::date))`), which the model does not prune by.
 */
export function partitionKeyColumns(def: string | null | undefined): string[] | undefined {
  const m = def ? /^(?:RANGE|LIST|HASH) \((.*)\)$/.exec(def) : null;
  if (!m) return undefined;
  const parts = m[1].split(', ');
  const names = parts.map((p) => (/^[a-z_][a-z0-9_$]*$/.test(p) ? p : /^"(?:[^"]|"")+"$/.test(p) ? p.slice(1, -1).replace(/""/g, '"') : undefined));
  return names.every((n): n is string => n !== undefined) ? names : undefined;
}
