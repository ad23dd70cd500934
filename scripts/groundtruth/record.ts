/**
 * Records the generated ground truth on a real Citus cluster, the way the shared corpus was recorded
 * (test/fixtures/citus-corpus/README.md): for every statement, three transactions that are rolled back,
 * each with `SET LOCAL client_min_messages TO DEBUG2`:
 *   1. EXPLAIN (COSTS OFF) <statement>                -> plan text, DEBUG messages, or the planning ERROR
 *   2. EXPLAIN (COSTS OFF, FORMAT JSON) <statement>   -> the top-level Task Count
 *   3. <statement>, really executed                    -> DEBUG messages, the execution ERROR
 * and labels it with ./label.ts. Writes test/fixtures/generated-corpus/ (or --out).
 *
 *   npx tsx scripts/groundtruth/record.ts --url postgres://postgres@HOST:PORT/postgres --setup
 *       [--zoo default,regress] [--insert-select N] [--dml N] [--seed S] [--out DIR] [--db-prefix P] [--catalog-only]
 *
 * --setup (re)creates the databases PREFIX (default zoo) and PREFIX_regress (--db-prefix, default citus_rollups_gt)
 * (Citus' regression-harness settings) on the coordinator and every worker listed in pg_dist_node of
 * the database in --url, creates the Citus extension, adds the workers, and loads the zoo and its data.
 * Nothing outside those databases is touched. Needs a cluster: never run in CI.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { DML_SHAPES, INSERT_SELECT_SHAPES, generate, type GenStatement } from './generate';
import { dmlFields, insertSelectFields, Recorder, recorderArgs } from './recorder';
import { DEFAULT_ZOO, REGRESS_ZOO, ZOO, zooData, zooDdl, type ZooSettings } from './zoo';


interface Args {
  url: string;
  setup: boolean;
  /** only write the catalog files (no statements) */
  catalogOnly: boolean;
  zoos: ZooSettings[];
  insertSelect: number;
  dml: number;
  seed: number;
  out: string;
  /** database names: PREFIX (default zoo) and PREFIX_regress */
  dbPrefix: string;
}

function parseArgs(argv: string[]): Args {
  const { get, url } = recorderArgs(argv);
  const zoos = (get('zoo') ?? 'default,regress').split(',').map((z) => (z === 'regress' ? REGRESS_ZOO : DEFAULT_ZOO));
  return {
    url,
    setup: argv.includes('--setup'),
    catalogOnly: argv.includes('--catalog-only'),
    zoos,
    insertSelect: Number(get('insert-select') ?? 4000),
    dml: Number(get('dml') ?? 1200),
    seed: Number(get('seed') ?? 15),
    out: get('out') ?? path.join(__dirname, '..', '..', 'test', 'fixtures', 'generated-corpus'),
    dbPrefix: get('db-prefix') ?? 'citus_rollups_gt',
  };
}

function dbName(args: Args, zoo: ZooSettings): string {
  if (!/^[a-z_][a-z0-9_]*$/.test(args.dbPrefix)) throw new Error('--db-prefix must be a plain lower-case identifier');
  return zoo.id === 'default' ? args.dbPrefix : `${args.dbPrefix}_${zoo.id}`;
}

function configFor(url: string, database?: string): ClientConfig {
  const u = new URL(url);
  if (database) u.pathname = `/${database}`;
  return { connectionString: u.toString(), application_name: 'citus-rollups-groundtruth' };
}

async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client(config);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end();
  }
}

/** Drops and creates the zoo's database on every node, creates Citus, adds the workers, loads the zoo. */
async function setup(args: Args, zoo: ZooSettings): Promise<void> {
  const db = dbName(args, zoo);
  const nodes = await withClient(configFor(args.url), async (c) => (await c.query<{ nodename: string; nodeport: number; groupid: number }>('SELECT nodename, nodeport, groupid FROM pg_dist_node ORDER BY groupid')).rows);
  if (!nodes.length) throw new Error('pg_dist_node is empty in the --url database: is it a Citus coordinator?');
  const base = new URL(args.url);
  for (const n of nodes) {
    const nodeUrl = new URL(base.toString());
    nodeUrl.hostname = n.nodename;
    nodeUrl.port = String(n.nodeport);
    await withClient(configFor(nodeUrl.toString()), async (c) => {
      c.on('notice', () => undefined);
      await c.query(`DROP DATABASE IF EXISTS ${db} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${db}`);
    });
    await withClient(configFor(nodeUrl.toString(), db), (c) => c.query('CREATE EXTENSION citus'));
  }
  const coordinator = nodes.find((n) => n.groupid === 0);
  await withClient(configFor(args.url, db), async (c) => {
    if (coordinator) await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.nodename, coordinator.nodeport]);
    for (const n of nodes.filter((x) => x.groupid !== 0)) await c.query('SELECT citus_add_node($1, $2)', [n.nodename, n.nodeport]);
    c.on('notice', () => undefined);
    // one statement at a time: Citus refuses some DDL after a parallel operation in the same transaction
    for (const line of `${zooDdl(zoo)}${zooData()}`.split('\n')) if (line.trim() && !line.startsWith('--')) await c.query(line);
  });
  // the same tables in plain PostgreSQL (no Citus), to tell PostgreSQL's own analysis errors from Citus'
  const plain = `${args.dbPrefix}_plain`;
  await withClient(configFor(args.url), async (c) => {
    c.on('notice', () => undefined);
    await c.query(`DROP DATABASE IF EXISTS ${plain} WITH (FORCE)`);
    await c.query(`CREATE DATABASE ${plain}`);
  });
  await withClient(configFor(args.url, plain), async (c) => {
    for (const line of zooDdl(zoo).split('\n')) if (line.trim() && !line.startsWith('--') && !/^(SELECT (create_|citus_)|SET citus\.)/.test(line)) await c.query(line);
  });
  process.stderr.write(`set up ${db} on ${nodes.length} nodes, and ${plain}\n`);
}

/** Whether plain PostgreSQL (the zoo without Citus) rejects the statement too: then it is the generator's fault. */
async function postgresRejects(args: Args, sql: string): Promise<string | undefined> {
  return withClient(configFor(args.url, `${args.dbPrefix}_plain`), async (c) => {
    try {
      await c.query(`EXPLAIN (COSTS OFF) ${sql}`);
      return undefined;
    } catch (e) {
      return `${(e as { code?: string }).code} ${(e as Error).message}`;
    }
  });
}

/** A generated statement's record: its fields, then the cluster's labels (./recorder.ts). */
async function record(rec: Recorder, s: GenStatement): Promise<Record<string, unknown>> {
  const o = await rec.observe(s.recordSql ?? s.sql, s.setup ?? []);
  const base: Record<string, unknown> = { id: s.id, shape: s.shape, features: s.features, sql: s.sql };
  if (s.recordSql) base.record_sql = s.recordSql;
  if (s.setup) base.setup = s.setup;
  if (s.kind === 'insert_select') return { ...base, ...insertSelectFields(o, s.structuralNull), ...(s.structuralNull ? { structural_null: true } : {}) };
  return { ...base, ...dmlFields(o) };
}

/**
 * An error that may be PostgreSQL's own analysis error (the generator's fault, not Citus'): SQLSTATE
 * class 42, except 42P10 (ON CONFLICT without a matching key, kept on purpose: the shared corpus has it).
 */
function maybePostgresError(r: Record<string, unknown>): boolean {
  const state = r.error_sqlstate as string | null;
  return !!state && state.startsWith('42') && state !== '42P10';
}

/** Leaves out empty fields (null, false) to keep the fixture small. */
function compact(r: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(r).filter(([, v]) => v !== null && v !== undefined && v !== false));
}

async function recordZoo(args: Args, zoo: ZooSettings): Promise<void> {
  const rec = new Recorder(configFor(args.url, dbName(args, zoo)), zoo.settings);
  await rec.connect();
  const seed = args.seed + (zoo.id === 'regress' ? 1000 : 0);
  const scale = zoo.id === 'regress' ? 0.3 : 1;
  const sets: [string, GenStatement[]][] = [
    [`${zoo.id}-insert-select.jsonl`, generate(seed, zoo.id, Math.round(args.insertSelect * scale), INSERT_SELECT_SHAPES)],
    [`${zoo.id}-dml.jsonl`, generate(seed + 1, zoo.id, Math.round(args.dml * scale), DML_SHAPES)],
  ];
  fs.mkdirSync(args.out, { recursive: true });
  for (const [file, statements] of sets) {
    const lines: string[] = [];
    const left: string[] = [];
    const started = Date.now();
    for (const [k, s] of statements.entries()) {
      const r = await record(rec, s);
      const rejected = maybePostgresError(r) && (await postgresRejects(args, s.recordSql ?? s.sql));
      if (rejected) left.push(`${s.id} ${rejected}\n    ${s.sql}`);
      else lines.push(JSON.stringify(compact(r)));
      if ((k + 1) % 100 === 0) process.stderr.write(`${file}: ${k + 1}/${statements.length} (${((Date.now() - started) / (k + 1)).toFixed(0)} ms each)\n`);
    }
    fs.writeFileSync(path.join(args.out, file), lines.join('\n') + '\n');
    process.stderr.write(`${file}: ${lines.length} recorded, ${left.length} left out (plain PostgreSQL rejects them too)\n`);
    if (left.length) process.stderr.write(left.slice(0, 40).join('\n') + '\n');
  }
  fs.writeFileSync(path.join(args.out, `${zoo.id}-schema.sql`), zooDdl(zoo));
  await rec.close();
}

/** The distribution metadata the cluster ended up with (for the test that compares the DDL model with it). */
async function catalog(args: Args, zoo: ZooSettings): Promise<void> {
  const rows = await withClient(configFor(args.url, dbName(args, zoo)), async (c) =>
    (
      await c.query<{ rel: string; method: string; repmodel: string; colocationid: number; shards: number; dist: string | null }>(
        `SELECT logicalrelid::regclass::text AS rel, partmethod AS method, repmodel, colocationid,
                (SELECT count(*)::int FROM pg_dist_shard s WHERE s.logicalrelid = p.logicalrelid) AS shards,
                column_to_column_name(logicalrelid, partkey) AS dist
           FROM pg_dist_partition p ORDER BY 1`,
      )
    ).rows,
  );
  const local = ZOO.filter((t) => t.kind === 'local' || t.kind === 'view').map((t) => t.name);
  fs.writeFileSync(path.join(args.out, `${zoo.id}-catalog.json`), JSON.stringify({ citus_tables: rows, local_tables: local }, null, 1) + '\n');
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  fs.mkdirSync(args.out, { recursive: true });
  for (const zoo of args.zoos) {
    if (args.setup) await setup(args, zoo);
    await catalog(args, zoo);
    if (!args.catalogOnly) await recordZoo(args, zoo);
  }
  if (!args.catalogOnly) fs.writeFileSync(path.join(args.out, 'data.sql'), zooData());
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
