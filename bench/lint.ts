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
 * Runs both functions alternately so that load on the machine (other processes, GC) hits both alike,
 * and returns their mean times in milliseconds.
 */
function timeInterleaved(a: () => void, b: () => void, rounds = 40): [number, number] {
  for (let i = 0; i < 3; i++) {
    a();
    b();
  }
  let ta = 0n;
  let tb = 0n;
  for (let i = 0; i < rounds; i++) {
    let t = process.hrtime.bigint();
    a();
    ta += process.hrtime.bigint() - t;
    t = process.hrtime.bigint();
    b();
    tb += process.hrtime.bigint() - t;
  }
  return [Number(ta) / 1e6 / rounds, Number(tb) / 1e6 / rounds];
}

export async function run(): Promise<Figure[]> {
  await loadParser();
  const model = new SchemaModel();
  applyDocumentDdl(model, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS, 'schema.sql'), 'utf8') });
  const { text, statements } = corpusText();
  const [rawMs, lintMs] = timeInterleaved(
    () => {
      const r = parseSql(text);
      if (!r.ok) throw new Error(r.message);
    },
    () => {
      analyzeDocument(text, model, { source: 'bench.sql' });
    },
  );
  return [
    { name: 'lint throughput', value: Math.round((statements / lintMs) * 1000), unit: 'statements/s' },
    { name: 'raw libpg-query parse throughput', value: Math.round((statements / rawMs) * 1000), unit: 'statements/s' },
    { name: 'lint time / raw parse time', value: Number((lintMs / rawMs).toFixed(2)), unit: 'ratio', target: '<= 2.0' },
  ];
}
