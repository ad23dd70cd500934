/**
 * Lint throughput: the whole analysis (split, parse, schema, predictor, rules) over a file made of every
 * corpus statement, against raw libpg-query parsing of the same text in the same run.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { loadParser, parseSql } from '../src/core/parse/libpg';
import { SchemaModel } from '../src/core/schema/model';
import { applyDocumentDdl } from '../src/core/workspace';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const CORPUS = path.join(__dirname, '..', 'test', 'fixtures', 'citus-corpus');

function corpusText(): { text: string; statements: number } {
  const sqls = [...fs.readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8').split('\n'), ...fs.readFileSync(path.join(CORPUS, 'dml.jsonl'), 'utf8').split('\n')]
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, ''));
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

function median(xs: number[]): number {
  const s = [...xs].sort((x, y) => x - y);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

export async function run(): Promise<Figure[]> {
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
  const [rawMs, lintMs] = [t.a, t.b];
  return [
    { name: 'lint throughput (steady state, median of 60 rounds)', value: Math.round((statements / lintMs) * 1000), unit: 'statements/s' },
    { name: 'raw libpg-query parse throughput (same rounds)', value: Math.round((statements / rawMs) * 1000), unit: 'statements/s' },
    { name: 'lint time / raw parse time', value: Number((lintMs / rawMs).toFixed(2)), unit: 'ratio', target: '<= 2.0' },
    { name: 'first lint of the file in a fresh process (cold JIT)', value: Number(t.firstB.toFixed(1)), unit: 'ms' },
    { name: 'first raw parse of the file (same process)', value: Number(t.firstA.toFixed(1)), unit: 'ms' },
  ];
}
