/**
 * Scores the DML predictor (src/core/planner/dml.ts) against the recorded DML corpus
 * (test/fixtures/citus-corpus/dml.jsonl: INSERT .. VALUES, UPDATE, DELETE, MERGE, SELECT .. FOR
 * UPDATE, COPY, SET citus.*, each run on a real Citus 13.2.2 cluster). Each record's `setup` and `sql`
 * (followed by its COPY data, as a psql script would carry it) are analysed as one document with the
 * corpus schema; the last statement's predicted outcome is compared with the real one. Shared by
 * `npm run corpus` and test/core/dml-corpus.test.ts.
 */
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { OUTCOMES, type Outcome } from '../src/core/planner/dml';
import type { SchemaModel } from '../src/core/schema/model';
import { agreementTable, CORPUS_DIR, disagreement, readJsonl, statementOf, TODAY, unshard } from './corpus-lib';

export interface DmlRecord {
  id: string;
  /** the shared corpus' category; generated records have `shape` and `features` instead */
  category?: string;
  shape?: string;
  features?: string[];
  sql: string;
  outcome: Outcome;
  reasons: string[];
  error: string | null;
  setup?: string[] | null;
  copy_data?: string | null;
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
  /** it failed when it ran with the error a warning of ours names (counted as predicted: see scoreRegressFiles) */
  warned?: boolean;
  /** it ran, and a warning of ours (this rule's) names an error for it */
  ranDespiteWarning?: string;
}

export function loadDmlCorpus(file = 'dml.jsonl', dir = CORPUS_DIR): DmlRecord[] {
  return readJsonl<DmlRecord>(path.join(dir, file));
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
    const analysis = analyzeDocument(dmlDocument(record), model, { source: record.id, today: TODAY });
    // the last top-level statement (after the record's setup), or the DML inside a PL/pgSQL block
    const top = analysis.statements.filter((s) => s.parentIndex === undefined);
    const last = top[top.length - 1];
    const stmt = last?.outcome !== undefined ? last : statementOf(analysis.statements, (s) => s.outcome !== undefined);
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

/** The first line of the ERROR among our reasons. */
function ourError(s: ScoredDml): string | undefined {
  return s.predictedReasons.find((x) => x.startsWith('ERROR:'))?.replace(/^ERROR:\s+/, '').split('\n')[0];
}

/**
 * The statements both the cluster and we refuse, and those of them with the same message. A shard's name in the
 * cluster's message (`relation "users_102009"`, `constraint "p_check_1450100"`) is the table's: the model names
 * tables, not shards.
 */
export function errorMessages(scored: readonly ScoredDml[]): { both: ScoredDml[]; same: ScoredDml[] } {
  const both = scored.filter((s) => s.record.outcome === 'error' && s.predicted === 'error' && !!s.record.error && !s.warned);
  const same = both.filter((s) => {
    const ours = ourError(s);
    return ours !== undefined && unshard(ours) === unshard(s.record.error!.split('\n')[0]);
  });
  return { both, same };
}

export function formatDmlReport(scored: ScoredDml[], verbose = true, title = 'DML corpus'): string {
  const lines: string[] = [];
  const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);
  const ok = scored.filter((s) => s.predicted === s.record.outcome).length;
  const warned = scored.filter((s) => s.warned).length;
  lines.push(`${title}: ${ok}/${scored.length} agree (${pct(ok, scored.length)})`, '');
  // (failed when they ran, with the error a data-dependent warning of ours names; counted among those that agree)
  if (warned) lines.push(`of which failed on their rows as our warning says: ${warned}`, '');
  const ran = scored.filter((s) => s.ranDespiteWarning);
  if (ran.length) lines.push(`ran although a warning of ours names an error: ${ran.length}${ran.map((s) => `\n- ${s.record.id} (${s.ranDespiteWarning})`).join('')}`, '');
  lines.push('per outcome (real):');
  for (const o of OUTCOMES) {
    const of = scored.filter((s) => s.record.outcome === o);
    if (of.length) lines.push(`  ${o.padEnd(20)} ${String(of.filter((s) => s.predicted === o).length).padStart(4)}/${String(of.length).padEnd(4)} ${pct(of.filter((s) => s.predicted === o).length, of.length)}`);
  }
  const generated = scored.some((s) => s.record.shape);
  lines.push('', generated ? 'per shape:' : 'per category:');
  lines.push(...agreementTable(scored, (s) => [s.record.shape ?? s.record.category ?? '?'], (s) => s.predicted === s.record.outcome, 36));
  if (generated) {
    lines.push('', 'per feature (a statement counts once for each construct it contains):');
    lines.push(...agreementTable(scored, (s) => s.record.features ?? [], (s) => s.predicted === s.record.outcome, 36));
  }
  const counted = scored.filter((s) => s.predicted === s.record.outcome && s.realShards !== undefined && s.shardCount !== undefined && (s.record.outcome === 'single_shard' || s.record.outcome === 'multi_shard'));
  const exact = counted.filter((s) => s.shardCount === s.realShards && !s.upperBound).length;
  lines.push('', `shard counts: ${exact}/${counted.length} exact (single/multi-shard statements with a known real count)`);
  const messages = errorMessages(scored);
  lines.push(`error messages: ${messages.same.length}/${messages.both.length} the same (statements both refused; Citus' and PostgreSQL's first line, shard names aside)`);
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
    for (const w of wrong) lines.push(...disagreement(w.record.id, w.record.outcome, w.predicted, w.record.sql, w.record.error, w.record.reasons, w.predictedReasons));
  }
  const otherMessage = messages.both.filter((s) => !messages.same.includes(s));
  if (otherMessage.length && verbose) {
    lines.push('', `other error messages (${otherMessage.length}):`);
    for (const w of otherMessage) lines.push(`- ${w.record.id}: ${ourError(w) ?? '(none)'}\n    real: ${w.record.error!.split('\n')[0]}`);
  }
  const wrongCount = counted.filter((s) => s.shardCount !== s.realShards || s.upperBound);
  if (wrongCount.length && verbose) {
    lines.push('', `shard counts that differ (${wrongCount.length}):`);
    for (const w of wrongCount) lines.push(`- ${w.record.id}: real ${w.realShards}, predicted ${w.upperBound ? 'up to ' : ''}${w.shardCount}`);
  }
  return lines.join('\n');
}
