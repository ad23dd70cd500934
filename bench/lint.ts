/**
 * Lint throughput: the whole analysis (split, parse, schema, predictor, rules) over a file made of every
 * corpus statement, against raw libpg-query parsing of the same text in the same run.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { loadParser, parseSql } from '../src/core/parse/libpg';
import { SchemaModel } from '../src/core/schema/model';
import { applyDocumentDdl } from '../src/core/workspace';
import { median, type Figure } from './measure';

const CORPUS = path.join(__dirname, '..', 'test', 'fixtures', 'citus-corpus');

/**
 * Every corpus statement but `COPY ... FROM STDIN`: in a script its data follows it (up to `\.`), which raw
 * parsing cannot read, and without the data the linter (which reads scripts as psql does) would take the
 * statements after it for COPY data, so both sides would not parse the same statements.
 */
export function corpusText(): { text: string; statements: number } {
  const sqls = [...fs.readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8').split('\n'), ...fs.readFileSync(path.join(CORPUS, 'dml.jsonl'), 'utf8').split('\n')]
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, ''))
    .filter((sql) => !/\bFROM\s+STDIN\b/i.test(sql));
  return { text: sqls.map((s) => s + ';\n').join(''), statements: sqls.length };
}

/**
 * Runs both functions alternately so that load on the machine (other processes, GC) hits both alike.
 * The first `warmup` rounds are not measured: V8 compiles the analysis (a lot of JavaScript) to
 * optimised code over the first ~30 rounds, while the parser is WebAssembly and fast from the start;
 * the steady state is what linting a repository of files sees. Returns the median round time of each
 * (a GC pause in one round does not move a median) and the time of the very first call of each.
 */
function timeInterleaved(a: () => void, b: () => void, warmup = 30, rounds = 60): { a: number; b: number; firstA: number; firstB: number } {
  const time = (f: () => void): number => {
    const t = process.hrtime.bigint();
    f();
    return Number(process.hrtime.bigint() - t) / 1e6;
  };
  const firstA = time(a);
  const firstB = time(b);
  for (let i = 0; i < warmup; i++) {
    a();
    b();
  }
  const ta: number[] = [];
  const tb: number[] = [];
  for (let i = 0; i < rounds; i++) {
    ta.push(time(a));
    tb.push(time(b));
  }
  return { a: median(ta), b: median(tb), firstA, firstB };
}


/** One process' measurement (the times in milliseconds). */
export interface LintMeasurement {
  statements: number;
  rawMs: number;
  lintMs: number;
  firstRawMs: number;
  firstLintMs: number;
}

/** Measures in this process: what a child process of {@link run} does. */
export async function measure(): Promise<LintMeasurement> {
  await loadParser();
  const model = new SchemaModel();
  applyDocumentDdl(model, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8') });
  const { text, statements } = corpusText();
  const t = timeInterleaved(
    () => {
      const r = parseSql(text);
      if (!r.ok) throw new Error(r.message);
    },
    () => {
      analyzeDocument(text, model, { source: 'bench.sql' });
    },
  );
  return { statements, rawMs: t.a, lintMs: t.b, firstRawMs: t.firstA, firstLintMs: t.firstB };
}

/** The environment variable that makes the bench bundle measure the lint suite once and print JSON. */
export const CHILD_ENV = 'CITUS_ROLLUPS_BENCH_LINT_CHILD';
const PROCESSES = 3;

function child(): Promise<LintMeasurement> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, [process.argv[1]], { env: { ...process.env, [CHILD_ENV]: '1' }, stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    p.stdout.on('data', (d: Buffer) => (out += d.toString()));
    p.on('error', reject);
    p.on('close', (code) => {
      if (code !== 0) reject(new Error(`the lint benchmark process exited with ${String(code)}`));
      else resolve(JSON.parse(out) as LintMeasurement);
    });
  });
}

/**
 * V8 makes different optimisation decisions in different processes, which moves a process' steady state by up
 * to ±5%: the suite measures in three fresh processes and reports the one with the median ratio (and the range).
 */
export async function run(): Promise<Figure[]> {
  const runs: LintMeasurement[] = [];
  for (let i = 0; i < PROCESSES; i++) runs.push(await child());
  const ratio = (m: LintMeasurement): number => m.lintMs / m.rawMs;
  runs.sort((a, b) => ratio(a) - ratio(b));
  const m = runs[Math.floor(runs.length / 2)];
  const fmt = (x: number): string => x.toFixed(2);
  return [
    { name: 'lint throughput (steady state, median of 60 rounds)', value: Math.round((m.statements / m.lintMs) * 1000), unit: 'statements/s' },
    { name: 'raw libpg-query parse throughput (same rounds)', value: Math.round((m.statements / m.rawMs) * 1000), unit: 'statements/s' },
    { name: `lint time / raw parse time (median of ${PROCESSES} processes)`, value: Number(fmt(ratio(m))), unit: 'ratio', target: '<= 2.0' },
    { name: '  lowest / highest ratio of the processes', value: Number(fmt(ratio(runs[0]))), unit: `/ ${fmt(ratio(runs[runs.length - 1]))}` },
    { name: 'first lint of the file in a fresh process (cold JIT)', value: Number(m.firstLintMs.toFixed(1)), unit: 'ms' },
    { name: 'first raw parse of the file (same process)', value: Number(m.firstRawMs.toFixed(1)), unit: 'ms' },
  ];
}
