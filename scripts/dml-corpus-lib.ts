/**
 * Scores the DML predictor (src/core/planner/dml.ts) against the recorded DML corpus
 * (test/fixtures/citus-corpus/dml.jsonl: INSERT .. VALUES, UPDATE, DELETE, MERGE, SELECT .. FOR
 * UPDATE, COPY, SET citus.*, each run on a real Citus 13.2.2 cluster). Each record's `setup` and `sql`
 * (followed by its COPY data, as a psql script would carry it) are analysed as one document with the
 * corpus schema; the last statement's predicted outcome is compared with the real one. Shared by
 * `npm run corpus` and test/core/dml-corpus.test.ts.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { OUTCOMES, type Outcome } from '../src/core/planner/dml';
import type { SchemaModel } from '../src/core/schema/model';
import { CORPUS_DIR } from './corpus-lib';

export interface DmlRecord {
  id: string;
  category: string;
  sql: string;
  outcome: Outcome;
  reasons: string[];
  error: string | null;
  setup: string[] | null;
  copy_data: string | null;
  task_count: number | null;
  remote?: { target_shards?: string[] } | null;
}

export interface ScoredDml {
  record: DmlRecord;
  predicted: Outcome | 'none';
  predictedReasons: string[];
  shardCount?: number;
  upperBound?: boolean;
  /** shards the real run touched (task count, or the shards COPY wrote to) */
  realShards?: number;
}

export function loadDmlCorpus(file = 'dml.jsonl'): DmlRecord[] {
  return fs
    .readFileSync(path.join(CORPUS_DIR, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as DmlRecord);
}

/** The record as one psql document: setup statements, the statement, and inline COPY data. */
export function dmlDocument(r: DmlRecord): string {
  const setup = (r.setup ?? []).map((s) => `${s.replace(/;\s*$/, '')};\n`).join('');
  let doc = `${setup}${r.sql.replace(/;\s*$/, '')};\n`;
  if (r.copy_data !== null && r.copy_data !== undefined && /^\s*COPY\b[\s\S]*\bFROM\s+STDIN\b/i.test(r.sql)) {
    doc += `${r.copy_data.replace(/\n?$/, '\n')}\\.\n`;
  }
  return doc;
}

export function scoreDmlCorpus(records: DmlRecord[], model: SchemaModel): ScoredDml[] {
  return records.map((record) => {
    const analysis = analyzeDocument(dmlDocument(record), model, { source: record.id });
    const top = analysis.statements.filter((s) => s.parentIndex === undefined);
    const stmt = top[top.length - 1];
    const realShards = record.task_count ?? (record.remote?.target_shards ? record.remote.target_shards.length : undefined);
    return {
      record,
      predicted: stmt?.outcome ?? 'none',
      predictedReasons: stmt?.prediction.reasons ?? [],
      shardCount: stmt?.shardCount,
      upperBound: stmt?.shardCountUpperBound,
      realShards: realShards ?? undefined,
    };
  });
}

export function dmlAgreement(scored: ScoredDml[]): number {
  return scored.length === 0 ? 0 : scored.filter((s) => s.predicted === s.record.outcome).length / scored.length;
}

export function formatDmlReport(scored: ScoredDml[], verbose = true): string {
  const lines: string[] = [];
  const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
  const ok = scored.filter((s) => s.predicted === s.record.outcome).length;
  lines.push(`DML corpus: ${ok}/${scored.length} agree (${pct(ok, scored.length)})`, '');
  lines.push('per outcome (real):');
  for (const o of OUTCOMES) {
    const of = scored.filter((s) => s.record.outcome === o);
    if (of.length) lines.push(`  ${o.padEnd(20)} ${String(of.filter((s) => s.predicted === o).length).padStart(4)}/${String(of.length).padEnd(4)} ${pct(of.filter((s) => s.predicted === o).length, of.length)}`);
  }
  lines.push('', 'per category:');
  for (const c of [...new Set(scored.map((s) => s.record.category))].sort()) {
    const of = scored.filter((s) => s.record.category === c);
    const good = of.filter((s) => s.predicted === s.record.outcome).length;
    lines.push(`  ${c.padEnd(36)} ${String(good).padStart(3)}/${String(of.length).padEnd(3)} ${pct(good, of.length)}`);
  }
  const counted = scored.filter((s) => s.predicted === s.record.outcome && s.realShards !== undefined && s.shardCount !== undefined && (s.record.outcome === 'single_shard' || s.record.outcome === 'multi_shard'));
  const exact = counted.filter((s) => s.shardCount === s.realShards && !s.upperBound).length;
  lines.push('', `shard counts: ${exact}/${counted.length} exact (single/multi-shard statements with a known real count)`);
  const cols: (Outcome | 'none')[] = [...OUTCOMES, 'none'];
  const short: Record<string, string> = { single_shard: 'single', multi_shard: 'multi', coordinator: 'coord', local: 'local', error: 'error', ok_setting: 'ok_set', not_applicable: 'n/a', none: 'none' };
  lines.push('', 'confusion matrix (rows: real, columns: predicted):');
  lines.push('  ' + ''.padEnd(16) + cols.map((m) => short[m].padStart(8)).join(''));
  for (const real of OUTCOMES) {
    if (!scored.some((s) => s.record.outcome === real)) continue;
    const row = cols.map((p) => String(scored.filter((s) => s.record.outcome === real && s.predicted === p).length).padStart(8));
    lines.push('  ' + real.padEnd(16) + row.join(''));
  }
  const wrong = scored.filter((s) => s.predicted !== s.record.outcome);
  if (wrong.length && verbose) {
    lines.push('', `disagreements (${wrong.length}):`);
    for (const w of wrong) {
      lines.push(`- ${w.record.id}: real ${w.record.outcome}, predicted ${w.predicted}`);
      lines.push(`    ${w.record.sql.replace(/\s+/g, ' ')}`);
      const real = w.record.error ? [`ERROR: ${w.record.error}`] : w.record.reasons.filter((r) => !/Creating router plan/.test(r)).slice(0, 2);
      for (const r of real) lines.push(`    real:      ${r.replace(/\n/g, ' | ')}`);
      for (const r of w.predictedReasons.slice(0, 2)) lines.push(`    predicted: ${r.replace(/\n/g, ' | ')}`);
    }
  }
  const wrongCount = counted.filter((s) => s.shardCount !== s.realShards || s.upperBound);
  if (wrongCount.length && verbose) {
    lines.push('', `shard counts that differ (${wrongCount.length}):`);
    for (const w of wrongCount) lines.push(`- ${w.record.id}: real ${w.realShards}, predicted ${w.upperBound ? 'up to ' : ''}${w.shardCount}`);
  }
  return lines.join('\n');
}
