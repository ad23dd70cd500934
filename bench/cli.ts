/**
 * The CLI as CI and pre-commit hooks meet it: whole processes (`node dist/cli.js lint ...`), timed from
 * spawn to exit, against two floors measured in the same interleaved rounds:
 * - a bare `node -e ''` (what any Node.js tool pays to start);
 * - a bare libpg-query parse of the same file in one process (out/bare-parse.js: load the WebAssembly
 *   module, parse the text, exit), the least a tool built on the real PostgreSQL parser can do.
 * Wall time is the median of interleaved rounds; CPU time and peak memory come from GNU time.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { CORPUS_SCHEMA, corpusStatements, hasGnuTime, interleaved, medianOf, round, type Figure, type ProcessRun } from './measure';

const ROOT = path.join(__dirname, '..');

/** The files the CLI benchmarks lint: one statement, the 248 corpus statements, and those 20 times (4,960). */
export interface CliFiles {
  dir: string;
  schema: string;
  one: string;
  s248: string;
  s4960: string;
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
  };
  fs.copyFileSync(CORPUS_SCHEMA, files.schema);
  fs.writeFileSync(files.one, statements[0]);
  fs.writeFileSync(files.s248, statements.join(''));
  fs.writeFileSync(files.s4960, statements.join('').repeat(20));
  return files;
}

export function bundles(): { cli: string; bareParse: string } {
  const cli = path.join(ROOT, 'dist', 'cli.js');
  const bareParse = path.join(ROOT, 'out', 'bare-parse.js');
  if (!fs.existsSync(cli)) throw new Error('dist/cli.js is missing: run npm run build first');
  if (!fs.existsSync(bareParse)) throw new Error('out/bare-parse.js is missing: run node scripts/build.mjs --bench');
  return { cli, bareParse };
}

export async function run(): Promise<Figure[]> {
  const rounds = Number(process.env.CITUS_ROLLUPS_BENCH_ROUNDS ?? 7);
  const { cli, bareParse } = bundles();
  const f = cliFiles();
  const node = process.execPath;
  const commands = {
    nodeE: { command: node, args: ['-e', ''], cwd: f.dir },
    bareOne: { command: node, args: [bareParse, f.one], cwd: f.dir },
    bare4960: { command: node, args: [bareParse, f.s4960], cwd: f.dir },
    one: { command: node, args: [cli, 'lint', f.one], cwd: f.dir },
    s248: { command: node, args: [cli, 'lint', '--schema', f.schema, f.s248], cwd: f.dir },
    s4960: { command: node, args: [cli, 'lint', '--schema', f.schema, f.s4960], cwd: f.dir },
    s4960json: { command: node, args: [cli, 'lint', '--format', 'json', '--schema', f.schema, f.s4960], cwd: f.dir },
  };
  const keys = Object.keys(commands) as (keyof typeof commands)[];
  let runs: ProcessRun[][];
  try {
    runs = await interleaved(
      keys.map((k) => commands[k]),
      rounds,
    );
  } finally {
    fs.rmSync(f.dir, { recursive: true, force: true });
  }
  const r = Object.fromEntries(keys.map((k, i) => [k, runs[i]])) as Record<keyof typeof commands, ProcessRun[]>;
  for (const k of ['bareOne', 'bare4960'] as const) {
    if (r[k].some((x) => x.exitCode !== 0)) throw new Error(`the bare parse (${k}) failed`);
  }
  const wall = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.wallMs));
  const cpu = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.cpuMs));
  const peak = (k: keyof typeof commands): number => round(medianOf(r[k], (x) => x.peakRssMiB));
  const ratio = (a: number, b: number): number => round(a / b, 2);
  const out: Figure[] = [
    { name: `node -e '' (median of ${rounds} interleaved rounds)`, value: wall('nodeE'), unit: `ms, CPU ${cpu('nodeE')} ms, peak ${peak('nodeE')} MiB` },
    { name: 'bare libpg-query parse, one statement', value: wall('bareOne'), unit: `ms, CPU ${cpu('bareOne')} ms, peak ${peak('bareOne')} MiB` },
    { name: 'bare libpg-query parse, 4,960 statements', value: wall('bare4960'), unit: `ms, CPU ${cpu('bare4960')} ms, peak ${peak('bare4960')} MiB` },
    { name: 'lint, one-statement file', value: wall('one'), unit: `ms, CPU ${cpu('one')} ms, peak ${peak('one')} MiB` },
    { name: "  / node -e '' (wall)", value: ratio(wall('one'), wall('nodeE')), unit: 'ratio', target: '<= 2.0' },
    { name: 'lint, 248 statements (+ schema)', value: wall('s248'), unit: `ms, CPU ${cpu('s248')} ms, peak ${peak('s248')} MiB` },
    { name: 'lint, 4,960 statements (+ schema)', value: wall('s4960'), unit: `ms, CPU ${cpu('s4960')} ms, peak ${peak('s4960')} MiB` },
    { name: '  / bare parse (wall)', value: ratio(wall('s4960'), wall('bare4960')), unit: 'ratio', target: '<= 1.5' },
    { name: '  / bare parse (CPU)', value: ratio(cpu('s4960'), cpu('bare4960')), unit: 'ratio' },
    { name: '  peak memory / bare parse peak', value: ratio(peak('s4960'), peak('bare4960')), unit: 'ratio', target: '<= 1.5' },
    { name: 'lint --format json, 4,960 statements', value: wall('s4960json'), unit: `ms, CPU ${cpu('s4960json')} ms, peak ${peak('s4960json')} MiB` },
  ];
  if (!hasGnuTime()) out.push({ name: 'CPU and peak memory need GNU time (/usr/bin/time): not found', value: 0, unit: '' });
  return out;
}
