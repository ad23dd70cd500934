/**
 * Records Citus' own regression files on a real Citus cluster: each file on its own, the way the product
 * lints it. Citus' files are read from a checkout given on the command line and never copied here; the
 * fixture keeps, for every top-level INSERT..SELECT, the file name, its ordinal in the file, a hash of its
 * text and what the cluster did (no SQL).
 *
 *   npx tsx scripts/groundtruth/regress-files.ts --url postgres://postgres@HOST:PORT/postgres \
 *       --suite CITUS_CHECKOUT/src/test/regress [--files REGEX] [--out FILE] [--db NAME] [--settings default]
 *       [--prelude FILE[,FILE]] [--select-out FILE] [--ddl-out FILE [--ddl-only]]
 *
 * For each file of `sql/` with an INSERT..SELECT: a fresh database (--db, default citus_rollups_rf) on the
 * coordinator and every worker, with the Citus extension, the workers added and the regression harness'
 * settings for the database (pg_regress_multi.pl: citus.shard_count = 4, citus.shard_replication_factor = 2,
 * citus.sort_returning) and the helpers multi_schedule creates first (multi_test_helpers*.sql,
 * multi_test_catalog_views.sql); then the file runs statement by statement in one session, as psql runs it:
 * `\set`, `\gset` and `:variables` (the harness' worker_N_port, master_port, ...), `\c` back to the
 * coordinator (statements run on a worker are skipped), COPY FROM stdin / `\copy` skipped (no data).
 * Before a top-level INSERT..SELECT runs, it is recorded as the generated ground truth is (./recorder.ts:
 * EXPLAIN, EXPLAIN JSON, execution, each rolled back — to a savepoint inside the file's own transaction)
 * and labelled with ./label.ts. ALTER SYSTEM and database-level statements are skipped: nothing outside
 * the file's database changes. `--settings default` runs other folders of SQL files (a `sql/` folder of them: Citus'
 * documentation, demos, test/fixtures/probes) with Citus' default settings instead of the harness'; `--prelude` runs
 * shared SQL files first in each file's database (test/fixtures/probes reads the corpus schema and data). `--ddl-out`
 * records, for every top-level DDL statement and Citus call (what the schema model applies), whether it ran or the
 * error it raised; `--ddl-only` records only those (the other statements run unrecorded, and the other outputs are
 * not written). Needs a cluster: never run in CI. Scored by `npm run corpus -- --regress-suite DIR`.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client, type ClientConfig } from 'pg';
import { loadParser } from '../../src/core/parse/libpg';
import type { PgNode } from '../../src/core/parse/ast';
import { parseDocument, type ParsedStatement } from '../../src/core/parse/document';
import { isTopLevelDml, isTopLevelInsertSelect as isInsertSelect, isTopLevelSchemaStatement, isTopLevelSelect, statementHash } from '../corpus-lib';
import { errorText, Recorder, recorderArgs } from './recorder';

interface Args {
  url: string;
  suite: string;
  files?: RegExp;
  out: string;
  dmlOut: string;
  db: string;
  fileTimeoutMs: number;
  /** the harness' settings (Citus' regression files), or Citus' defaults (other SQL files: docs, demos) */
  settings: 'harness' | 'default';
  /** SQL files run (not recorded) before each file, in the file's fresh database: a shared schema and its data */
  prelude: string[];
  /** with --select-out: top-level SELECTs are recorded too, into this file (as DML is) */
  selectOut?: string;
  /** with --ddl-out: the outcome of each top-level DDL statement and Citus call, into this file */
  ddlOut?: string;
  /** --ddl-only: record nothing else */
  ddlOnly: boolean;
}

function parseArgs(argv: string[]): Args {
  const { get, url } = recorderArgs(argv);
  const suite = get('suite');
  if (!suite || !fs.existsSync(path.join(suite, 'sql'))) throw new Error('--suite must be the src/test/regress folder of a Citus checkout (with sql/)');
  const db = get('db') ?? 'citus_rollups_rf';
  if (!/^[a-z_][a-z0-9_]*$/.test(db)) throw new Error('--db must be a plain lower-case identifier');
  const files = get('files');
  return {
    url,
    suite,
    files: files ? new RegExp(files) : undefined,
    out: get('out') ?? path.join(__dirname, '..', '..', 'test', 'fixtures', 'regress-files', 'insert-select.jsonl'),
    dmlOut: get('dml-out') ?? path.join(__dirname, '..', '..', 'test', 'fixtures', 'regress-files', 'dml.jsonl'),
    db,
    fileTimeoutMs: Number(get('file-timeout') ?? 240) * 1000,
    settings: get('settings') === 'default' ? 'default' : 'harness',
    prelude: (get('prelude') ?? '').split(',').filter(Boolean),
    selectOut: get('select-out'),
    ddlOut: get('ddl-out'),
    ddlOnly: argv.includes('--ddl-only'),
  };
}

function configFor(url: string, database?: string, port?: number): ClientConfig {
  const u = new URL(url);
  if (database) u.pathname = `/${database}`;
  if (port) u.port = String(port);
  return { connectionString: u.toString(), application_name: 'citus-rollups-groundtruth' };
}

async function withClient<T>(config: ClientConfig, fn: (c: Client) => Promise<T>): Promise<T> {
  const c = new Client(config);
  c.on('notice', () => undefined);
  c.on('error', () => undefined);
  await c.connect();
  try {
    return await fn(c);
  } finally {
    await c.end().catch(() => undefined);
  }
}

interface Node {
  nodename: string;
  nodeport: number;
  groupid: number;
}

/** the regression harness' database settings (pg_regress_multi.pl) that change how Citus plans */
const HARNESS_SETTINGS: [string, string][] = [
  ['citus.shard_count', '4'],
  ['citus.shard_replication_factor', '2'],
  ['citus.sort_returning', 'on'],
  ['citus.enable_manual_changes_to_shards', 'on'],
  ['statement_timeout', "'30s'"],
  ['lock_timeout', "'10s'"],
];

/** with `--settings default`: Citus' defaults, and the same timeouts */
const TIMEOUTS = HARNESS_SETTINGS.filter(([k]) => !k.startsWith('citus.'));

/** Waits until every node accepts connections again (a file may crash a backend: the node then recovers). */
async function nodesUp(args: Args, nodes: Node[], timeoutMs = 180000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (const n of nodes) {
    for (;;) {
      try {
        await withClient(configFor(args.url, undefined, n.nodeport), (c) => c.query('SELECT 1'));
        break;
      } catch (e) {
        if (Date.now() > until) throw e;
        await new Promise((r) => setTimeout(r, 2000));
      }
    }
  }
}

async function freshDatabase(args: Args, nodes: Node[]): Promise<void> {
  await nodesUp(args, nodes);
  for (const n of nodes) {
    await withClient(configFor(args.url, undefined, n.nodeport), async (c) => {
      await c.query(`DROP DATABASE IF EXISTS ${args.db} WITH (FORCE)`);
      await c.query(`CREATE DATABASE ${args.db}`);
      for (const [k, v] of args.settings === 'harness' ? HARNESS_SETTINGS : TIMEOUTS) await c.query(`ALTER DATABASE ${args.db} SET ${k} = ${v}`);
    });
    await withClient(configFor(args.url, args.db, n.nodeport), async (c) => {
      await c.query('CREATE EXTENSION citus');
      // the harness' databases have columnar too (USING columnar tables)
      await c.query('CREATE EXTENSION IF NOT EXISTS citus_columnar');
    });
  }
  await withClient(configFor(args.url, args.db), async (c) => {
    const coordinator = nodes.find((n) => n.groupid === 0);
    if (coordinator) await c.query('SELECT citus_set_coordinator_host($1, $2)', [coordinator.nodename, coordinator.nodeport]);
    for (const n of nodes.filter((x) => x.groupid !== 0)) await c.query('SELECT citus_add_node($1, $2)', [n.nodename, n.nodeport]);
  });
}

/** The files multi_schedule runs first: the helper functions and views the other files call. */
const PRELUDE = ['multi_test_helpers.sql', 'multi_test_helpers_superuser.sql', 'multi_test_catalog_views.sql'];

/** DML statements recorded per file at most (files that load data have hundreds of INSERT .. VALUES) */
const MAX_DML_PER_FILE = 80;

/** Statements that would change more than the file's database, or that a Node client cannot run. */
const SKIPPED = /^\s*(ALTER\s+SYSTEM|CREATE\s+DATABASE|DROP\s+DATABASE|ALTER\s+DATABASE|CHECKPOINT|VACUUM\s+FULL\b|COPY\b[^;]*\bFROM\s+STDIN|LOAD\b)/i;

function substitute(text: string, stmt: ParsedStatement, vars: Map<string, string>): string | undefined {
  let out = '';
  let at = stmt.start;
  const doc = text;
  for (const v of stmt.psqlVariables) {
    const value = vars.get(v.name);
    if (value === undefined) return undefined;
    out += doc.slice(at, v.start);
    out += v.form === 'literal' ? `'${value.replace(/'/g, "''")}'` : v.form === 'identifier' ? `"${value.replace(/"/g, '""')}"` : value;
    at = v.end;
  }
  return out + doc.slice(at, stmt.end);
}

interface FileResult {
  records: Record<string, unknown>[];
  executed: number;
  skipped: number;
}

/**
 * Whether the SELECT gives the target's distribution column a literal NULL (as the generator's
 * `structuralNull`): then Citus' "partition column ... cannot be NULL" fails every row, whatever the data
 * (./label.ts). Read from the cluster's metadata, with to_regclass so that no error reaches the file's
 * transaction.
 */
async function structuralNull(rec: Recorder, s: ParsedStatement): Promise<boolean> {
  const ins = s.ast?.InsertStmt;
  const targets: PgNode[] | undefined = ins?.selectStmt?.SelectStmt?.targetList;
  const rel = ins?.relation;
  if (!targets || !rel?.relname) return false;
  const name = `${rel.schemaname ? `"${rel.schemaname}".` : ''}"${rel.relname}"`;
  const r = await rec.run(
    `SELECT column_to_column_name(p.logicalrelid, p.partkey) AS dist,
            array(SELECT attname::text FROM pg_attribute WHERE attrelid = p.logicalrelid AND attnum > 0 AND NOT attisdropped ORDER BY attnum) AS cols
       FROM pg_dist_partition p WHERE p.logicalrelid = to_regclass('${name.replace(/'/g, "''")}') AND p.partkey IS NOT NULL`,
  );
  const row = r.rows?.[0] as { dist?: string; cols?: string[] } | undefined;
  if (!row?.dist) return false;
  const given: string[] = ins.cols?.length ? ins.cols.map((c: PgNode) => c.ResTarget?.name) : (row.cols ?? []);
  const at = given.indexOf(row.dist);
  let v: PgNode | undefined = at >= 0 ? targets[at]?.ResTarget?.val : undefined;
  while (v?.TypeCast) v = v.TypeCast.arg;
  return !!v?.A_Const?.isnull;
}

async function runFile(args: Args, file: string, text: string, nodes: Node[], record = true): Promise<FileResult> {
  const coordinator = nodes.find((n) => n.groupid === 0);
  const workers = nodes.filter((n) => n.groupid !== 0);
  const vars = new Map<string, string>([
    ['master_port', String(coordinator?.nodeport ?? new URL(args.url).port)],
    ['master_host', coordinator?.nodename ?? 'localhost'],
    ['default_user', 'postgres'],
    ['VERBOSITY', 'default'],
    ['dev_null', '/dev/null'],
  ]);
  workers.forEach((w, i) => {
    vars.set(`worker_${i + 1}_port`, String(w.nodeport));
    vars.set(`worker_${i + 1}_host`, w.nodename);
  });
  const doc = parseDocument(text);
  const top = doc.statements.filter((s) => s.parentIndex === undefined);
  const rec = new Recorder(configFor(args.url, args.db), []);
  await rec.connect();
  const records: Record<string, unknown>[] = [];
  let onWorker = false;
  const ordinals = { insert_select: 0, dml: 0, select: 0, ddl: 0 };
  let executed = 0;
  let skipped = 0;
  const started = Date.now();
  let prevEnd = 0;
  for (const s of top) {
    // psql meta-commands between the previous statement and this one
    for (const line of text.slice(prevEnd, s.start).split('\n')) {
      const m = /^\s*\\(\w+)\s*(.*)$/.exec(line);
      if (!m) continue;
      const [, cmd, rest] = m;
      if (cmd === 'set') {
        const sm = /^(\w+)\s*(.*)$/.exec(rest.trim());
        if (sm) vars.set(sm[1], sm[2].replace(/^'(.*)'$/, '$1').replace(/:(\w+)/g, (all, v: string) => vars.get(v) ?? all));
      } else if (cmd === 'c' || cmd === 'connect') {
        const parts = rest.trim().split(/\s+/).map((p) => (p.startsWith(':') ? (vars.get(p.slice(1)) ?? p) : p));
        const port = parts[3] && parts[3] !== '-' ? Number(parts[3]) : undefined;
        const dbArg = parts[0] && parts[0] !== '-' ? parts[0] : undefined;
        onWorker = (port !== undefined && port !== coordinator?.nodeport) || (dbArg !== undefined && dbArg !== 'regression');
        if (!onWorker) {
          await rec.close();
          await rec.connect();
        }
      }
    }
    prevEnd = s.end;
    const sql = substitute(text, s, vars);
    const kind = !record || args.ddlOnly ? undefined : isInsertSelect(s) ? 'insert_select' : isTopLevelDml(s) ? 'dml' : args.selectOut && isTopLevelSelect(s) ? 'select' : undefined;
    const n = kind ? ordinals[kind]++ : -1;
    const ddl = record && args.ddlOut && isTopLevelSchemaStatement(s) ? { kind: 'ddl', file, n: ordinals.ddl++, hash: statementHash(text.slice(s.start, s.end)) } : undefined;
    const base = { kind, file, n, hash: statementHash(text.slice(s.start, s.end)) };
    if (Date.now() - started > args.fileTimeoutMs) {
      if (kind) records.push({ ...base, skipped: 'file took too long' });
      continue;
    }
    if (onWorker || sql === undefined || SKIPPED.test(sql) || /^\s*\\copy/i.test(sql)) {
      skipped++;
      if (kind) records.push({ ...base, skipped: onWorker ? 'run on a worker' : 'not run' });
      if (ddl) records.push({ ...ddl, skipped: onWorker ? 'run on a worker' : 'not run' });
      continue;
    }
    if (kind && (kind === 'insert_select' || n < MAX_DML_PER_FILE)) {
      // (a SELECT is recorded as DML is: EXPLAIN, EXPLAIN JSON, the statement, each rolled back)
      const state = rec.transactionStatus();
      if (state === 'failed') records.push({ ...base, skipped: 'inside a failed transaction' });
      else {
        const inTx = state === 'transaction';
        const fields = kind === 'insert_select' ? await rec.recordInsertSelect(sql, inTx, [], await structuralNull(rec, s)) : await rec.recordDml(sql, inTx);
        // the recording's own savepoints can leave a distributed transaction unusable: not the statement's doing
        if (/current transaction is aborted/.test(String(fields.error ?? ''))) records.push({ ...base, skipped: 'the recording disturbed the file\'s transaction' });
        else records.push({ ...base, ...(inTx ? { in_transaction: true } : {}), ...fields });
      }
    }
    // then the statement itself, as psql runs it
    const gset = /^\s*\\gset\b\s*(\w*)/.exec(text.slice(s.end, s.end + 80));
    const inFailedTransaction = ddl && rec.transactionStatus() === 'failed';
    const result = await rec.run(sql);
    executed++;
    if (ddl) records.push(inFailedTransaction ? { ...ddl, skipped: 'inside a failed transaction' } : { ...ddl, ...(result.error ? { error: errorText(result.error), error_sqlstate: result.error.sqlstate ?? null } : {}) });
    if (gset && result.rows?.[0]) for (const [k, v] of Object.entries(result.rows[0])) vars.set(`${gset[1]}${k}`, String(v));
    if (result.lost) {
      await rec.close();
      await rec.connect();
    }
  }
  await rec.close();
  return { records, executed, skipped };
}

async function main(): Promise<void> {
  const args = parseArgs(process.argv.slice(2));
  await loadParser();
  const nodes = await withClient(configFor(args.url), async (c) => (await c.query<Node>('SELECT nodename, nodeport, groupid FROM pg_dist_node ORDER BY groupid')).rows);
  if (!nodes.length) throw new Error('pg_dist_node is empty in the --url database: is it a Citus coordinator?');
  const files = fs
    .readdirSync(path.join(args.suite, 'sql'))
    .filter((f) => f.endsWith('.sql') && (!args.files || args.files.test(f)))
    .sort();
  fs.mkdirSync(path.dirname(args.out), { recursive: true });
  const lines: string[] = [];
  const dmlLines: string[] = [];
  const ddlLines: string[] = [];
  const selectLines: string[] = [];
  let total = 0;
  let totalDml = 0;
  let totalSelect = 0;
  for (const f of files) {
    const text = fs.readFileSync(path.join(args.suite, 'sql', f), 'utf8');
    const doc = parseDocument(text);
    if (!doc.statements.some((s) => (!args.ddlOnly && (isInsertSelect(s) || isTopLevelDml(s) || (args.selectOut && isTopLevelSelect(s)))) || (args.ddlOut && isTopLevelSchemaStatement(s)))) continue;
    const t0 = Date.now();
    try {
      await freshDatabase(args, nodes);
      // the helpers every schedule starts with (create_range_partitioned_shards, ...)
      for (const p of PRELUDE) if (fs.existsSync(path.join(args.suite, 'sql', p))) await runFile(args, p, fs.readFileSync(path.join(args.suite, 'sql', p), 'utf8'), nodes, false);
      // --prelude: a schema (and data) every file of the suite reads
      for (const p of args.prelude) await runFile(args, path.basename(p), fs.readFileSync(p, 'utf8'), nodes, false);
      const r = await runFile(args, f, text, nodes);
      for (const { kind, ...rec } of r.records) (kind === 'dml' ? dmlLines : kind === 'select' ? selectLines : kind === 'ddl' ? ddlLines : lines).push(JSON.stringify(rec));
      const inserts = r.records.filter((x) => x.kind === 'insert_select').length;
      const selects = r.records.filter((x) => x.kind === 'select').length;
      const ddls = r.records.filter((x) => x.kind === 'ddl').length;
      total += inserts;
      totalDml += r.records.length - inserts - selects - ddls;
      totalSelect += selects;
      process.stderr.write(`${f}: ${inserts} INSERT..SELECT, ${r.records.length - inserts - selects - ddls} DML, ${args.ddlOut ? `${ddls} DDL, ` : ''}${args.selectOut ? `${selects} SELECT, ` : ''}${r.executed} statements run, ${r.skipped} skipped, ${((Date.now() - t0) / 1000).toFixed(1)} s\n`);
    } catch (e) {
      process.stderr.write(`${f}: FAILED ${(e as Error).message}\n`);
    }
    if (!args.ddlOnly) {
      fs.writeFileSync(args.out, lines.join('\n') + '\n');
      fs.writeFileSync(args.dmlOut, dmlLines.join('\n') + '\n');
      if (args.selectOut) fs.writeFileSync(args.selectOut, selectLines.join('\n') + '\n');
    }
    if (args.ddlOut) fs.writeFileSync(args.ddlOut, ddlLines.join('\n') + '\n');
  }
  for (const n of nodes) await withClient(configFor(args.url, undefined, n.nodeport), (c) => c.query(`DROP DATABASE IF EXISTS ${args.db} WITH (FORCE)`)).catch(() => undefined);
  process.stderr.write(`${total} INSERT..SELECT, ${totalDml} DML${args.selectOut ? ` and ${totalSelect} SELECT` : ''} statements recorded from ${files.length} files into ${args.out}, ${args.dmlOut}${args.selectOut ? ` and ${args.selectOut}` : ''}\n`);
}

main().catch((e: unknown) => {
  process.stderr.write(`${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
  process.exitCode = 1;
});
