/**
 * Scores the predictor against the recorded Citus corpus (test/fixtures/citus-corpus): each
 * statement is analysed with the model built from the corpus' schema.sql, and the predicted method is
 * compared with the method the real cluster used. Shared by `npm run corpus` and the corpus test.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { SchemaModel } from '../src/core/schema/model';
import { applyDocumentDdl } from '../src/core/workspace';
import { METHODS, type Method } from '../src/core/types';

export const CORPUS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'citus-corpus');

export interface CorpusRecord {
  id: string;
  category: string;
  sql: string;
  method: Method;
  reasons: string[];
  error: string | null;
}

export interface ScoredRecord {
  record: CorpusRecord;
  predicted: Method;
  predictedReasons: string[];
}

export function loadCorpus(file = 'statements.jsonl'): CorpusRecord[] {
  return fs
    .readFileSync(path.join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as CorpusRecord);
}

export function corpusModel(): SchemaModel {
  const model = new SchemaModel();
  applyDocumentDdl(model, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS_DIR, 'schema.sql'), 'utf8') });
  return model;
}

export function scoreCorpus(records: CorpusRecord[], model: SchemaModel): ScoredRecord[] {
  return records.map((record) => {
    const analysis = analyzeDocument(record.sql, model, { source: record.id });
    const stmt = analysis.statements.find((s) => s.parentIndex === undefined);
    return { record, predicted: stmt?.prediction.method ?? 'not_applicable', predictedReasons: stmt?.prediction.reasons ?? [] };
  });
}

export function agreement(scored: ScoredRecord[]): number {
  return scored.length === 0 ? 0 : scored.filter((s) => s.predicted === s.record.method).length / scored.length;
}

export function formatReport(scored: ScoredRecord[], verbose = true): string {
  const lines: string[] = [];
  const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
  const ok = scored.filter((s) => s.predicted === s.record.method).length;
  lines.push(`INSERT..SELECT corpus: ${ok}/${scored.length} agree (${pct(ok, scored.length)})`, '');
  lines.push('per method (real):');
  for (const m of METHODS) {
    const of = scored.filter((s) => s.record.method === m);
    if (of.length) lines.push(`  ${m.padEnd(20)} ${String(of.filter((s) => s.predicted === m).length).padStart(4)}/${String(of.length).padEnd(4)} ${pct(of.filter((s) => s.predicted === m).length, of.length)}`);
  }
  lines.push('', 'per category:');
  const categories = [...new Set(scored.map((s) => s.record.category))].sort();
  for (const c of categories) {
    const of = scored.filter((s) => s.record.category === c);
    const good = of.filter((s) => s.predicted === s.record.method).length;
    lines.push(`  ${c.padEnd(30)} ${String(good).padStart(3)}/${String(of.length).padEnd(3)} ${pct(good, of.length)}`);
  }
  lines.push('', 'confusion matrix (rows: real, columns: predicted):');
  const short: Record<Method, string> = { pushdown: 'push', router: 'router', repartition: 'repart', pull_to_coordinator: 'pull', error: 'error', not_applicable: 'n/a' };
  lines.push('  ' + ''.padEnd(20) + METHODS.map((m) => short[m].padStart(8)).join(''));
  for (const real of METHODS) {
    const row = METHODS.map((p) => String(scored.filter((s) => s.record.method === real && s.predicted === p).length).padStart(8));
    lines.push('  ' + real.padEnd(20) + row.join(''));
  }
  const wrong = scored.filter((s) => s.predicted !== s.record.method);
  if (wrong.length && verbose) {
    lines.push('', `disagreements (${wrong.length}):`);
    for (const w of wrong) {
      lines.push(`- ${w.record.id}: real ${w.record.method}, predicted ${w.predicted}`);
      lines.push(`    ${w.record.sql.replace(/\s+/g, ' ')}`);
      const real = w.record.error ? [`ERROR: ${w.record.error}`] : w.record.reasons.filter((r) => !/Creating router plan|Router planner cannot handle/.test(r)).slice(0, 2);
      for (const r of real) lines.push(`    real:      ${r.replace(/\n/g, ' | ')}`);
      for (const r of w.predictedReasons.slice(0, 2)) lines.push(`    predicted: ${r.replace(/\n/g, ' | ')}`);
    }
  }
  return lines.join('\n');
}
