/**
 * The CLI as CI and pre-commit hooks meet it: whole processes (`node dist/cli.js lint ...`), timed from
 * spawn to exit, against two floors measured in the same interleaved rounds:
 * - a bare `node -e ''` (what any Node.js tool pays to start);
 * - a bare libpg-query parse of the same file in one process (out/bare-parse.js: load the WebAssembly
 *   module, parse the text, exit), the least a tool built on the real PostgreSQL parser can do.
 * Wall time is the median of interleaved rounds; CPU time and peak memory come from GNU time; the phases of the
 * 4,960-statement lint come from the CLI itself (CITUS_ROLLUPS_TIMINGS).
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS_SCHEMA, corpusStatements, hasGnuTime, interleaved, medianOf, round, type Command, type Figure, type ProcessRun } from './measure';

const ROOT = path.join(__dirname, '..');

/** The files the CLI benchmarks lint: one statement, the 248 corpus statements, and those 20 times (4,960). */
export interface CliFiles {
  dir: string;
  schema: string;
  one: string;
  s248: string;
  s4960: string;
  /** a folder of 20 files of the 248 statements (4,960 in all) */
  many: string;
  /** a folder of 300 migrations (`0001_t1.sql` ..), each creating a distributed table, altering the one before and copying rows */
  migrations: string;
  /** a project folder: `schema/` with a file per pair of tables (DDL only), `rollups/` with a script per rollup (DML only) */
  project: string;
}

/** How many migrations the migrations folder holds. */
const MIGRATIONS = 300;

/** How many table files, and as many rollup scripts, the project folder holds. */
const PROJECT_TABLES = 100;

/** Table file `k` of the project: an events table and its rollup table, distributed and colocated, and an index. */
function tableFile(k: number): string {
  return (
    `CREATE TABLE events_${k} (tenant_id bigint NOT NULL, event_time timestamptz NOT NULL, kind text, payload jsonb);\n` +
    `SELECT create_distributed_table('events_${k}', 'tenant_id');\n` +
    `CREATE TABLE rollup_${k} (tenant_id bigint NOT NULL, day date NOT NULL, kind text, n bigint, PRIMARY KEY (tenant_id, day, kind));\n` +
    `SELECT create_distributed_table('rollup_${k}', 'tenant_id', colocate_with => 'events_${k}');\n` +
    `CREATE INDEX ON events_${k} (tenant_id, event_time);\n`
  );
}

/** Rollup script `k` of the project: the INSERT..SELECT .. ON CONFLICT of table file `k`'s tables. */
function rollupFile(k: number): string {
  return `INSERT INTO rollup_${k} SELECT tenant_id, event_time::date, kind, count(*) FROM events_${k} GROUP BY 1, 2, 3\nON CONFLICT (tenant_id, day, kind) DO UPDATE SET n = rollup_${k}.n + EXCLUDED.n;\n`;
}

/** Migration `k` of the folder: a table, a column and an index added to the one before, a Citus call and an INSERT..SELECT. */
function migration(k: number): string {
  const prev = Math.max(k - 1, 0);
  return (
    `CREATE TABLE t_${k} (id bigint PRIMARY KEY, tenant_id int NOT NULL, v text, created_at timestamptz DEFAULT now());\n` +
    (k > 0 ? `ALTER TABLE t_${prev} ADD COLUMN c_${k} int;\nCREATE INDEX ON t_${prev} (c_${k});\n` : '') +
    `SELECT create_distributed_table('t_${k}', 'id');\n` +
    `INSERT INTO t_${k} (id, tenant_id, v) SELECT id, tenant_id, v FROM t_${prev};\n`
  );
}

export function cliFiles(): CliFiles {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-bench-cli-'));
  const statements = corpusStatements().map((s) => s + ';\n');
  const files: CliFiles = {
    dir,
    schema: path.join(dir, 'schema.sql'),
    one: path.join(dir, 'one.sql'),
    s248: path.join(dir, 'statements-248.sql'),
    s4960: path.join(dir, 'statements-4960.sql'),
    many: path.join(dir, 'files-20'),
    migrations: path.join(dir, 'migrations'),
    project: path.join(dir, 'project'),
  };
  fs.copyFileSync(CORPUS_SCHEMA, files.schema);
  fs.writeFileSync(files.one, statements[0]);
  fs.writeFileSync(files.s248, statements.join(''));
  fs.writeFileSync(files.s4960, statements.join('').repeat(20));
  fs.mkdirSync(files.many);
  for (let i = 1; i <= 20; i++) fs.writeFileSync(path.join(files.many, `f${String(i).padStart(2, '0')}.sql`), statements.join(''));
  fs.mkdirSync(files.migrations);
  for (let k = 0; k < MIGRATIONS; k++) fs.writeFileSync(path.join(files.migrations, `${String(k + 1).padStart(4, '0')}_t${k}.sql`), migration(k));
  fs.mkdirSync(path.join(files.project, 'schema'), { recursive: true });
  fs.mkdirSync(path.join(files.project, 'rollups'));
  for (let k = 0; k < PROJECT_TABLES; k++) {
    fs.writeFileSync(path.join(files.project, 'schema', `t${String(k).padStart(4, '0')}.sql`), tableFile(k));
    fs.writeFileSync(path.join(files.project, 'rollups', `r${String(k).padStart(4, '0')}.sql`), rollupFile(k));
  }
  return files;
}

export function bundles(): { cli: string; bareParse: string } {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const bareParse = path.join(ROOT, 'out', 'bare-parse.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  if (!fs.existsSync(bareParse)) throw new Error('out/bare-parse.js is missing: run node scripts/build.mjs --bench');
  return { cli, bareParse };
}

/** The phases `lint` reports with CITUS_ROLLUPS_TIMINGS (src/cli/lint.ts), in milliseconds. */
type Phases = Record<string, number>;

function phasesOf(run: ProcessRun): Phases | undefined {
  const line = run.stderr.split('\n').find((l) => l.startsWith('{'));
  return line ? (JSON.parse(line) as Phases) : undefined;
}

export async function run(): Promise<Figure[]> {
  const rounds = Number(process.env.CITUS_ROLLUPS_BENCH_ROUNDS ?? 7);
  const { cli, bareParse } = bundles();
  const f = cliFiles();
  const node = process.execPath;
  const lint = (...args: string[]): Command => ({ command: node, args: [cli, 'lint', ...args], cwd: f.dir, env: { CITUS_ROLLUPS_TIMINGS: '1' } });
  const commands = {
    nodeE: { command: node, args: ['-e', ''], cwd: f.dir },
    bareOne: { command: node, args: [bareParse, f.one], cwd: f.dir },
    bare4960: { command: node, args: [bareParse, f.s4960], cwd: f.dir },
    bare4960Default: { command: node, args: [bareParse, '--default-tiering', f.s4960], cwd: f.dir },
    one: lint(f.one),
    oneNoCache: { ...lint(f.one), env: { CITUS_ROLLUPS_TIMINGS: '1', CITUS_ROLLUPS_NO_CODE_CACHE: '1' } },
    s248: lint('--schema', f.schema, f.s248),
    s4960: lint('--schema', f.schema, f.s4960),
    s4960json: lint('--format', 'json', '--schema', f.schema, f.s4960),
    s4960j2: lint('--jobs', '2', '--schema', f.schema, f.s4960),
    many: lint('--schema', f.schema, f.many),
    manyJ2: lint('--jobs', '2', '--schema', f.schema, f.many),
    migrations: lint(f.migrations),
    project: lint(f.project),
    // --cache with every file's results in it (the warm-up run below writes them): a second run on unchanged files
    s4960Cached: lint('--cache', '--cache-location', path.join(f.dir, 'cache-4960.json'), '--schema', f.schema, f.s4960),
    migrationsCached: lint('--cache', '--cache-location', path.join(f.dir, 'cache-migrations.json'), f.migrations),
  } satisfies Record<string, Command>;
  const keys = Object.keys(commands) as (keyof typeof commands)[];
  let runs: ProcessRun[][];
  try {
    // one run first, so that the code cache exists (as it does from a user's second run on), and the --cache files
    await interleaved([commands.one, commands.s4960, commands.s4960Cached, commands.migrationsCached], 1);
    runs = await interleaved(
      keys.map((k) => commands[k]),
      rounds,
    );
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
  const r = Object.fromEntries(keys.map((k, i) => [k, runs[i]])) as Record<keyof typeof commands, ProcessRun[]>;
  for (const k of ['bareOne', 'bare4960', 'bare4960Default'] as const) {
    if (r[k].some((x) => x.exitCode !== 0)) throw new Error(`the bare parse (${k}) failed`);
  }
  const wall = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.wallMs));
  const cpu = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.cpuMs));
  const peak = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.peakRssMiB));
  const ratio = (a: number, b: number): number => round(a / b, 2);
  const line = (k: keyof typeof commands): string => `ms, CPU ${cpu(k)} ms, peak ${peak(k)} MiB`;
  // where the 4,960-statement lint's time goes (medians of the phases lint reports)
  const phase = (name: string): number => round(medianOf(r.s4960, (x) => phasesOf(x)?.[name]));
  const startup = phase('start') + phase('read') + phase('parser') + phase('model');
  const out: Figure[] = [
    { name: `node -e '' (median of ${rounds} interleaved rounds)`, value: wall('nodeE'), unit: line('nodeE') },
    { name: 'bare libpg-query parse, one statement', value: wall('bareOne'), unit: line('bareOne') },
    { name: 'bare libpg-query parse, 4,960 statements', value: wall('bare4960'), unit: line('bare4960') },
    { name: "  the same with V8's default WebAssembly tiering", value: wall('bare4960Default'), unit: line('bare4960Default') },
    { name: 'lint, one-statement file', value: wall('one'), unit: line('one') },
    { name: "  / node -e '' (wall)", value: ratio(wall('one'), wall('nodeE')), unit: 'ratio', target: '<= 2.0' },
    { name: '  the same without the code cache (a first run)', value: wall('oneNoCache'), unit: line('oneNoCache') },
    { name: 'lint, 248 statements (+ schema)', value: wall('s248'), unit: line('s248') },
    { name: 'lint, 4,960 statements (+ schema)', value: wall('s4960'), unit: line('s4960') },
    { name: '  / bare parse (wall)', value: ratio(wall('s4960'), wall('bare4960')), unit: 'ratio', target: '<= 1.5' },
    { name: '  / bare parse (CPU)', value: ratio(cpu('s4960'), cpu('bare4960')), unit: 'ratio' },
    { name: '  peak memory / bare parse peak', value: ratio(peak('s4960'), peak('bare4960')), unit: 'ratio', target: '<= 1.5' },
    { name: '  of which: start, read, load parser, schema', value: round(startup), unit: `ms (Node.js and bundles ${phase('start')}, parser wait ${phase('parser')}, schema ${phase('model')})` },
    { name: '  of which: the analysis (core: parse + predict + rules)', value: phase('analysis'), unit: 'ms' },
    { name: '  of which: report and write', value: round(phase('report') + phase('write')), unit: 'ms (then process exit)' },
    { name: 'lint --format json, 4,960 statements', value: wall('s4960json'), unit: line('s4960json') },
    { name: 'lint --jobs 2, 4,960 statements', value: wall('s4960j2'), unit: line('s4960j2') },
    { name: '  / one thread (wall)', value: ratio(wall('s4960j2'), wall('s4960')), unit: 'ratio' },
    { name: 'lint, 20 files of 248 statements', value: wall('many'), unit: line('many') },
    { name: 'lint --jobs 2, 20 files of 248 statements', value: wall('manyJ2'), unit: line('manyJ2') },
    { name: '  / one thread (wall)', value: ratio(wall('manyJ2'), wall('many')), unit: 'ratio' },
    { name: `lint, a folder of ${MIGRATIONS} migrations (${MIGRATIONS * 5 - 2} statements)`, value: wall('migrations'), unit: line('migrations') },
    { name: '  per file', value: round(wall('migrations') / MIGRATIONS, 2), unit: 'ms' },
    { name: `lint, a project of ${PROJECT_TABLES} table files and ${PROJECT_TABLES} rollup scripts`, value: wall('project'), unit: line('project') },
    { name: '  per file', value: round(wall('project') / (2 * PROJECT_TABLES), 2), unit: 'ms' },
    { name: 'lint --cache, 4,960 statements, unchanged since the last run', value: wall('s4960Cached'), unit: line('s4960Cached') },
    { name: '  / without the cache (wall)', value: ratio(wall('s4960Cached'), wall('s4960')), unit: 'ratio' },
    { name: `lint --cache, the ${MIGRATIONS} migrations, unchanged since the last run`, value: wall('migrationsCached'), unit: line('migrationsCached') },
    { name: '  / without the cache (wall)', value: ratio(wall('migrationsCached'), wall('migrations')), unit: 'ratio' },
  ];
  if (!hasGnuTime()) out.push({ name: 'CPU and peak memory need GNU time (/usr/bin/time): not found', value: 0, unit: '' });
  return out;
}
