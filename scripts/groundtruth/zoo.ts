/**
 * The table zoo of the generated ground truth: every kind of table Citus 13 has (hash-distributed with
 * different shard counts, types and colocation groups, reference, local, citus-local, single-shard,
 * schema-based, partitioned distributed tables and their partitions, tables with sequences, identity and
 * volatile defaults, views), described once as data. The generator (./generate.ts) composes statements
 * from the roles given here; the DDL and the data are rendered from the same list, so the recorded
 * cluster and the fixture's schema.sql cannot drift apart.
 *
 * Nothing here says how Citus plans anything: `family` only biases the generator towards table pairs a
 * user would combine (so that not every join is between unrelated tables); the labels come from the
 * cluster.
 */

export type ZooKind = 'hash' | 'reference' | 'local' | 'citus_local' | 'single_shard' | 'schema' | 'view';

/** The column layouts the generator composes with: facts (events-like rows) and rollups (counters). */
export type Layout = 'fact' | 'rollup' | 'text_fact' | 'text_rollup';

export interface ZooTable {
  name: string; // possibly schema-qualified
  kind: ZooKind;
  layout: Layout;
  /** distribution column for hash tables */
  dist?: string;
  /** the key slot's column (first rollup column / fact tenant column) */
  key: string;
  family: string;
  pk: boolean;
  /** a partitioned table (its partitions are separate entries with `partitionOf`) */
  partitioned?: boolean;
  partitionOf?: string;
  /** extra columns the generator leaves out (they have defaults) */
  defaulted?: 'serial' | 'identity' | 'uuid' | 'timestamp' | 'day';
  /** the rollup's unique key columns (ON CONFLICT arbiters), when it has one */
  conflictKey?: string[];
  /** data rows loaded before recording */
  rows: number;
  /** this table may be a source of the SELECT */
  source: boolean;
  /** this table may be an INSERT/UPDATE/DELETE/MERGE target */
  target: boolean;
}

const fact = (name: string, kind: ZooKind, family: string, extra: Partial<ZooTable> = {}): ZooTable => ({
  name,
  kind,
  layout: 'fact',
  dist: kind === 'hash' ? 'tenant_id' : undefined,
  key: 'tenant_id',
  family,
  pk: true,
  rows: 600,
  source: true,
  target: false,
  ...extra,
});

const rollup = (name: string, kind: ZooKind, family: string, extra: Partial<ZooTable> = {}): ZooTable => ({
  name,
  kind,
  layout: 'rollup',
  dist: kind === 'hash' ? 'tenant_id' : undefined,
  key: 'tenant_id',
  family,
  pk: true,
  conflictKey: ['tenant_id', 'kind'],
  rows: 40,
  source: false,
  target: true,
  ...extra,
});

/** The zoo, in creation order (colocation groups depend on it). */
export const ZOO: ZooTable[] = [
  fact('events', 'hash', 'A', { rows: 1500, target: true }),
  fact('users', 'hash', 'A', { rows: 800 }),
  fact('clicks', 'hash', 'A', { pk: false, rows: 900, target: true }),
  fact('by_user', 'hash', 'A', { dist: 'user_id', key: 'user_id', pk: false }),
  fact('events_part', 'hash', 'A', { partitioned: true, rows: 900, target: true }),
  fact('events_part_2024_01', 'hash', 'A', { partitionOf: 'events_part', rows: 0 }),
  fact('events_part_2024_02', 'hash', 'A', { partitionOf: 'events_part', rows: 0 }),
  fact('events_part_rest', 'hash', 'A', { partitionOf: 'events_part', rows: 0 }),
  fact('events16', 'hash', 'B', { rows: 500 }),
  fact('events_nc', 'hash', 'C', { rows: 400 }),
  fact('events_int', 'hash', 'D', { rows: 400 }),
  fact('events_ref', 'reference', 'R', { rows: 300, target: true }),
  fact('events_local', 'local', 'L', { rows: 300, target: true }),
  fact('events_cl', 'citus_local', 'CL', { rows: 300 }),
  fact('ss_events', 'single_shard', 'S', { rows: 400, target: true }),
  fact('ss_users', 'single_shard', 'S', { rows: 300 }),
  fact('ss_other', 'single_shard', 'S2', { rows: 300 }),
  fact('tenant_a.events', 'schema', 'TA', { rows: 300, target: true }),
  fact('tenant_a.users', 'schema', 'TA', { rows: 200 }),
  fact('tenant_b.events', 'schema', 'TB', { rows: 200 }),
  fact('events_view', 'view', 'A', { rows: 0 }),
  fact('events_archive', 'hash', 'A', { rows: 100, source: false, target: true }),
  { name: 'text_events', kind: 'hash', layout: 'text_fact', dist: 'key', key: 'key', family: 'E', pk: true, rows: 500, source: true, target: false },
  { name: 'text_daily', kind: 'hash', layout: 'text_rollup', dist: 'key', key: 'key', family: 'E', pk: true, conflictKey: ['key', 'kind'], rows: 20, source: false, target: true },
  rollup('daily', 'hash', 'A'),
  rollup('daily_nokey', 'hash', 'A', { pk: false, conflictKey: undefined }),
  rollup('daily16', 'hash', 'B'),
  rollup('daily_int', 'hash', 'D'),
  rollup('daily_nc', 'hash', 'C'),
  rollup('daily_ref', 'reference', 'R'),
  rollup('daily_local', 'local', 'L'),
  rollup('daily_cl', 'citus_local', 'CL'),
  rollup('daily_ss', 'single_shard', 'S'),
  rollup('daily_ss_own', 'single_shard', 'S3'),
  rollup('tenant_a.daily', 'schema', 'TA'),
  rollup('daily_seq', 'hash', 'A', { defaulted: 'serial', conflictKey: ['tenant_id', 'kind'] }),
  rollup('daily_ident', 'hash', 'A', { defaulted: 'identity' }),
  rollup('daily_uuid', 'hash', 'A', { defaulted: 'uuid' }),
  rollup('daily_ts', 'hash', 'A', { defaulted: 'timestamp' }),
  rollup('daily_part', 'hash', 'A', { partitioned: true, defaulted: 'day', conflictKey: ['tenant_id', 'kind', 'day'] }),
  rollup('daily_part_2024_01', 'hash', 'A', { partitionOf: 'daily_part', defaulted: 'day', conflictKey: ['tenant_id', 'kind', 'day'], rows: 0 }),
  rollup('daily_part_2024_02', 'hash', 'A', { partitionOf: 'daily_part', defaulted: 'day', conflictKey: ['tenant_id', 'kind', 'day'], rows: 0 }),
  rollup('daily_by_user', 'hash', 'A', { dist: 'user_id', key: 'user_id', conflictKey: ['user_id', 'kind'] }),
];

export function zooTable(name: string): ZooTable {
  const t = ZOO.find((z) => z.name === name);
  if (!t) throw new Error(`no zoo table ${name}`);
  return t;
}

/** The settings a zoo is created and recorded with. */
export interface ZooSettings {
  id: 'default' | 'regress';
  /** SET lines at the top of the schema (and of every recording session) */
  settings: [string, string][];
}

export const DEFAULT_ZOO: ZooSettings = { id: 'default', settings: [] };
/** Citus' regression harness (pg_regress_multi.pl) runs with these for the whole database. */
export const REGRESS_ZOO: ZooSettings = {
  id: 'regress',
  settings: [
    ['citus.shard_count', '4'],
    ['citus.shard_replication_factor', '2'],
  ],
};

const FACT_COLUMNS = (keyType: string, nullableKey: boolean): string =>
  `${keyType === 'text' ? 'key text' : `tenant_id ${keyType}`}${nullableKey ? '' : ' NOT NULL'}, id bigint NOT NULL, user_id bigint, kind text, amount int, created_at timestamptz NOT NULL DEFAULT now()`;

function columnsOf(t: ZooTable): string {
  if (t.layout === 'fact' || t.layout === 'text_fact') {
    const keyType = t.layout === 'text_fact' ? 'text' : t.name === 'events_int' ? 'int' : 'bigint';
    const cols = FACT_COLUMNS(keyType, !t.pk);
    const pk = !t.pk ? '' : t.partitioned ? ', PRIMARY KEY (tenant_id, id, created_at)' : `, PRIMARY KEY (${t.key === 'key' ? 'key' : 'tenant_id'}, id)`;
    return `${cols}${pk}`;
  }
  const keyCol = t.layout === 'text_rollup' ? 'key text' : `${t.key} ${t.name === 'daily_int' ? 'int' : 'bigint'}`;
  const extra =
    t.defaulted === 'serial'
      ? 'id bigserial, '
      : t.defaulted === 'identity'
        ? 'id bigint GENERATED BY DEFAULT AS IDENTITY, '
        : t.defaulted === 'uuid'
          ? 'id uuid DEFAULT gen_random_uuid(), '
          : '';
  const tail = t.defaulted === 'timestamp' ? ', updated_at timestamptz DEFAULT now()' : t.defaulted === 'day' ? ", day date NOT NULL DEFAULT '2024-01-15'" : '';
  const key = t.conflictKey && t.pk ? `, PRIMARY KEY (${t.conflictKey.join(', ')})` : '';
  return `${extra}${keyCol}${t.pk ? ' NOT NULL' : ''}, kind text${t.pk ? ' NOT NULL' : ''}, n bigint, total bigint${tail}${key}`;
}

/** The zoo's DDL: what the cluster runs and what the scorer's schema model is built from. */
export function zooDdl(settings: ZooSettings): string {
  const out: string[] = [
    '-- Generated ground truth: the table zoo (scripts/groundtruth/zoo.ts renders this file; do not edit by hand).',
    `-- Zoo "${settings.id}": Citus 13.2.2 on PostgreSQL 15, 1 coordinator (no shards) + 2 workers.`,
  ];
  for (const [k, v] of settings.settings) out.push(`SET ${k} = ${v};`);
  const rf = settings.settings.find(([k]) => k === 'citus.shard_replication_factor')?.[1] ?? '1';
  out.push('CREATE SEQUENCE counter_seq;');
  for (const t of ZOO) {
    if (t.kind === 'view') {
      out.push(`CREATE VIEW ${t.name} AS SELECT * FROM events WHERE amount >= 0;`);
      continue;
    }
    if (t.kind === 'schema') continue;
    if (t.partitionOf) {
      const parent = zooTable(t.partitionOf);
      const bounds = partitionBounds(t.name, parent.layout);
      out.push(`CREATE TABLE ${t.name} PARTITION OF ${t.partitionOf} ${bounds};`);
      continue;
    }
    const by = t.partitioned ? (t.layout === 'fact' ? ' PARTITION BY RANGE (created_at)' : ' PARTITION BY RANGE (day)') : '';
    out.push(`CREATE TABLE ${t.name} (${columnsOf(t)})${by};`);
    out.push(...distribute(t, rf));
  }
  // schema-based sharding: every table created in these schemas is a single-shard table of the schema's group
  const schemaTables = ZOO.filter((t) => t.kind === 'schema');
  if (rf !== '1') out.push('SET citus.shard_replication_factor = 1;');
  out.push('SET citus.enable_schema_based_sharding = on;', 'CREATE SCHEMA tenant_a;', 'CREATE SCHEMA tenant_b;');
  for (const t of schemaTables) out.push(`CREATE TABLE ${t.name} (${columnsOf(t)});`);
  out.push('SET citus.enable_schema_based_sharding = off;');
  if (rf !== '1') out.push(`SET citus.shard_replication_factor = ${rf};`);
  return out.join('\n') + '\n';
}

function partitionBounds(name: string, layout: Layout): string {
  if (name.endsWith('_rest')) return 'DEFAULT';
  const month = name.endsWith('2024_01') ? ['2024-01-01', '2024-02-01'] : ['2024-02-01', '2024-03-01'];
  void layout;
  return `FOR VALUES FROM ('${month[0]}') TO ('${month[1]}')`;
}

function distribute(t: ZooTable, rf: string): string[] {
  const q = `'${t.name}'`;
  switch (t.kind) {
    case 'hash': {
      const opts: string[] = [];
      if (t.family === 'B') opts.push(t.name === 'events16' ? 'shard_count => 16' : "colocate_with => 'events16'");
      if (t.family === 'C') opts.push(t.name === 'events_nc' ? "colocate_with => 'none'" : "colocate_with => 'events_nc'");
      if (t.family === 'E' && t.name !== 'text_events') opts.push("colocate_with => 'text_events'");
      return [`SELECT create_distributed_table(${q}, '${t.dist}'${opts.map((o) => `, ${o}`).join('')});`];
    }
    case 'reference':
      return [`SELECT create_reference_table(${q});`];
    case 'citus_local':
      return [`SELECT citus_add_local_table_to_metadata(${q});`];
    case 'single_shard': {
      // ss_other is in a group of its own; daily_ss_own takes the default colocation (Citus puts it with ss_events)
      const colocate = t.family === 'S' && t.name !== 'ss_events' ? ", colocate_with => 'ss_events'" : t.family === 'S2' ? ", colocate_with => 'none'" : '';
      const call = `SELECT create_distributed_table(${q}, NULL${colocate});`;
      // single-shard tables need a replication factor of 1 (create_distributed_table.c)
      return rf === '1' ? [call] : ['SET citus.shard_replication_factor = 1;', call, `SET citus.shard_replication_factor = ${rf};`];
    }
    default:
      return [];
  }
}

/** Deterministic data (no random()): small, with NULLs in the nullable columns, spanning the partitions. */
export function zooData(): string {
  const out: string[] = ["SELECT setval('counter_seq', 1000);"];
  for (const t of ZOO) {
    if (t.rows === 0 || t.kind === 'view') continue;
    const n = t.rows;
    if (t.layout === 'fact' || t.layout === 'text_fact') {
      const tenants = t.name === 'events16' || t.name === 'events_nc' ? 30 : 50;
      const key = t.layout === 'text_fact' ? `'t' || ((i % ${tenants}) + 1)` : `(i % ${tenants}) + 1`;
      const user = t.dist === 'user_id' ? '(i % 200) + 1' : 'CASE WHEN i % 53 = 0 THEN NULL ELSE (i % 200) + 1 END';
      out.push(
        `INSERT INTO ${t.name} SELECT ${key}, i, ${user}, (ARRAY['click','view','buy'])[(i % 3) + 1], i % 89, timestamptz '2024-01-01 00:00+00' + (i % 80) * interval '1 day' FROM generate_series(1, ${n}) i;`,
      );
    } else {
      const cols = t.layout === 'text_rollup' ? 'key, kind, n, total' : `${t.key}, kind, n, total`;
      // a few rows in the last tenants only: most inserts meet no existing key (ON CONFLICT still has rows to meet)
      const key = t.layout === 'text_rollup' ? `'t' || ((i % 5) + 46)` : '(i % 5) + 46';
      const rows = Math.min(n, 15);
      out.push(`INSERT INTO ${t.name} (${cols}) SELECT ${key}, (ARRAY['click','view','buy'])[(i / 5) % 3 + 1], i, i * 10 FROM generate_series(0, ${rows - 1}) i;`);
    }
  }
  return out.join('\n') + '\n';
}
