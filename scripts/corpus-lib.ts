/**
 * Scores the predictor against recorded Citus ground truth: the shared corpus
 * (test/fixtures/citus-corpus) and the generated sets (test/fixtures/generated-corpus, recorded by
 * scripts/groundtruth/record.ts). Each statement is analysed with the model built from its set's schema,
 * and the predicted method is compared with the method the real cluster used. Shared by `npm run corpus`
 * and the corpus tests.
 */
import { createHash } from 'node:crypto';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { todayUtc } from '../src/core/schema/currentTime';
import { parseDocument, type ParsedStatement } from '../src/core/parse/document';
import { SchemaModel } from '../src/core/schema/model';
import type { StatementResult } from '../src/core/types';
import { applyDocumentDdl } from '../src/core/workspace';
import { callsCitus, mayChangeSchema } from '../src/core/schema/ddl';
import { METHODS, type Method } from '../src/core/types';
import { SEMANTIC_RULES } from '../src/core/semantic/errors';
import type { Outcome } from '../src/core/planner/dml';
import type { ScoredDml } from './dml-corpus-lib';

export const CORPUS_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'citus-corpus');
export const GENERATED_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'generated-corpus');
/** the zoos of the generated ground truth: default settings, and Citus' regression-harness settings */
export const GENERATED_ZOOS = ['default', 'regress'] as const;

/** An error's text with shard names made table names (`"daily_rollup_102136"` -> `"daily_rollup"`), to compare ours with Citus'. */
export function unshard(message: string): string {
  return message.replace(/"([^"]*?)_\d{4,}"/g, '"$1"');
}

/**
 * The date the statements are analysed as run on (AnalyzeOptions.today), as the CLI takes it: today. The recordings'
 * CURRENT_DATE partition keys fall outside every partition for any day after them (the probes' README).
 */
export const TODAY = todayUtc(new Date());

export interface CorpusRecord {
  id: string;
  /** the shared corpus' category; generated records have `shape` instead */
  category?: string;
  shape?: string;
  features?: string[];
  sql: string;
  method: Method;
  reasons: string[];
  error: string | null;
  /** an execution error that depends on the rows met (the label is the plan's method) */
  data_dependent_error?: string | null;
  /** statements run before it in the same transaction (SET citus.* ...) */
  setup?: string[];
}

export interface ScoredRecord {
  record: CorpusRecord;
  predicted: Method;
  predictedReasons: string[];
  /** the predictor warned that rows may fail (a NULL distribution value from the data) */
  dataWarning?: boolean;
  /** it failed when it ran with the error a warning of ours names (counted as predicted: see scoreRegressFiles) */
  warned?: boolean;
  /** it ran, and a warning of ours (this rule's) names an error for it */
  ranDespiteWarning?: string;
  /**
   * The plan stands and we say every row fails (a warning of a row error, insert-null-dist-column):
   * 'failed' when its rows failed so (the data-dependent error the recorder saw), 'ran' when they did not
   */
  rowError?: 'failed' | 'ran';
}

export function readJsonl<T>(file: string): T[] {
  return fs
    .readFileSync(file, 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => JSON.parse(l) as T);
}

export function loadCorpus(file = 'statements.jsonl', dir = CORPUS_DIR): CorpusRecord[] {
  return readJsonl<CorpusRecord>(path.join(dir, file));
}

export function schemaModel(file: string, dir: string): SchemaModel {
  const model = new SchemaModel();
  applyDocumentDdl(model, { source: file, text: fs.readFileSync(path.join(dir, file), 'utf8') });
  return model;
}

export function corpusModel(): SchemaModel {
  return schemaModel('schema.sql', CORPUS_DIR);
}

export function generatedModel(zoo: (typeof GENERATED_ZOOS)[number]): SchemaModel {
  return schemaModel(`${zoo}-schema.sql`, GENERATED_DIR);
}

export function hasGenerated(zoo: (typeof GENERATED_ZOOS)[number], kind: 'insert-select' | 'dml'): boolean {
  return fs.existsSync(path.join(GENERATED_DIR, `${zoo}-${kind}.jsonl`));
}

/**
 * The statement a record is about: the top-level one, or for a PL/pgSQL block (DO ... EXECUTE
 * format(...)) the first statement inside it of the wanted kind.
 */
export function statementOf(statements: StatementResult[], wanted: (s: StatementResult) => boolean): StatementResult | undefined {
  const top = statements.filter((s) => s.parentIndex === undefined);
  const topWanted = top.find(wanted);
  if (topWanted) return topWanted;
  return statements.find((s) => s.parentIndex !== undefined && wanted(s)) ?? top[top.length - 1];
}

export function scoreCorpus(records: CorpusRecord[], model: SchemaModel): ScoredRecord[] {
  return records.map((record) => {
    // a record's setup (SET citus.* ...) precedes it in the same document, as a workspace declares it
    const text = (record.setup ?? []).map((s) => `${s};\n`).join('') + record.sql;
    const analysis = analyzeDocument(text, model, { source: record.id, today: TODAY });
    const stmt = statementOf(analysis.statements, (s) => s.kind === 'insert_select');
    const findings = analysis.findings.filter((f) => f.rule === 'dist-column-null-at-runtime');
    return { record, predicted: stmt?.prediction.method ?? 'not_applicable', predictedReasons: stmt?.prediction.reasons ?? [], dataWarning: findings.length > 0 };
  });
}

export function agreement(scored: { predicted: string; record: { method?: string; outcome?: string } }[]): number {
  return scored.length === 0 ? 0 : scored.filter((s) => s.predicted === (s.record.method ?? s.record.outcome)).length / scored.length;
}

const pct = (n: number, d: number): string => (d === 0 ? '-' : `${((100 * n) / d).toFixed(1)}%`);

/** Agreement per group (shape or category) and per feature: `name  ok/n  pct`. */
export function agreementTable<T>(scored: T[], keys: (s: T) => string[], ok: (s: T) => boolean, width = 30): string[] {
  const groups = new Map<string, { n: number; ok: number }>();
  for (const s of scored) {
    for (const k of keys(s)) {
      const g = groups.get(k) ?? { n: 0, ok: 0 };
      g.n++;
      if (ok(s)) g.ok++;
      groups.set(k, g);
    }
  }
  return [...groups.entries()].sort(([a], [b]) => a.localeCompare(b)).map(([k, g]) => `  ${k.padEnd(width)} ${String(g.ok).padStart(4)}/${String(g.n).padEnd(4)} ${pct(g.ok, g.n)}`);
}

export function formatReport(scored: ScoredRecord[], verbose = true, title = 'INSERT..SELECT corpus'): string {
  const lines: string[] = [];
  const ok = scored.filter((s) => s.predicted === s.record.method).length;
  lines.push(`${title}: ${ok}/${scored.length} agree (${pct(ok, scored.length)})`, '');
  // (failed when they ran, with the error a data-dependent warning of ours names; counted among those that agree)
  const warned = scored.filter((s) => s.warned).length;
  if (warned) lines.push(`of which failed on their rows as our warning says: ${warned}`, '');
  const ran = scored.filter((s) => s.ranDespiteWarning);
  if (ran.length) lines.push(`ran although a warning of ours names an error: ${ran.length}${ran.map((s) => `\n- ${s.record.id} (${s.ranDespiteWarning})`).join('')}`, '');
  const rowErrors = scored.filter((s) => s.rowError);
  if (rowErrors.length) {
    const ranRows = rowErrors.filter((s) => s.rowError === 'ran');
    lines.push(`planned, and every row refused as a finding of ours says (no partition takes the key): ${rowErrors.length - ranRows.length}/${rowErrors.length}${ranRows.map((s) => `\n- ran: ${s.record.id}`).join('')}`, '');
  }
  lines.push('per method (real):');
  for (const m of METHODS) {
    const of = scored.filter((s) => s.record.method === m);
    if (of.length) lines.push(`  ${m.padEnd(20)} ${String(of.filter((s) => s.predicted === m).length).padStart(4)}/${String(of.length).padEnd(4)} ${pct(of.filter((s) => s.predicted === m).length, of.length)}`);
  }
  const generated = scored.some((s) => s.record.shape);
  lines.push('', generated ? 'per shape:' : 'per category:');
  lines.push(...agreementTable(scored, (s) => [s.record.shape ?? s.record.category ?? '?'], (s) => s.predicted === s.record.method));
  if (generated) {
    lines.push('', 'per feature (a statement counts once for each construct it contains):');
    lines.push(...agreementTable(scored, (s) => s.record.features ?? [], (s) => s.predicted === s.record.method));
    // the NULL reached the distribution column: Citus' routing refused it (a NOT NULL violation may be any column's)
    const dataDependent = scored.filter((s) => s.record.data_dependent_error && /partition column (of table \S+ |value )cannot be NULL/.test(s.record.data_dependent_error));
    if (dataDependent.length) {
      lines.push('', `rows that failed on a NULL distribution value from the data: ${dataDependent.length}, warned about: ${dataDependent.filter((s) => s.dataWarning).length}`);
    }
  }
  const both = scored.filter((s) => s.record.method === 'error' && s.predicted === 'error' && !!s.record.error && !s.warned);
  const ourError = (s: ScoredRecord): string | undefined => s.predictedReasons.find((x) => x.startsWith('ERROR:'))?.replace(/^ERROR:\s+/, '').split('\n')[0];
  const same = both.filter((s) => {
    const ours = ourError(s);
    return ours !== undefined && unshard(ours) === unshard(s.record.error!.split('\n')[0]);
  });
  lines.push('', `error messages: ${same.length}/${both.length} the same (statements both refused; Citus' and PostgreSQL's first line, shard names aside)`);
  if (verbose && same.length < both.length) {
    lines.push(`other error messages (${both.length - same.length}):`);
    for (const w of both.filter((x) => !same.includes(x))) lines.push(`- ${w.record.id}: ${ourError(w) ?? '(none)'}\n    real: ${w.record.error!.split('\n')[0]}`);
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
    for (const w of wrong) lines.push(...disagreement(w.record.id, w.record.method, w.predicted, w.record.sql, w.record.error, w.record.reasons, w.predictedReasons));
  }
  return lines.join('\n');
}

/** One disagreement: the statement, Citus' reason (its ERROR, or its first deciding DEBUG messages) and ours. */
export function disagreement(id: string, real: string, predicted: string, sql: string, error: string | null, reasons: string[], predictedReasons: string[]): string[] {
  const lines = [`- ${id}: real ${real}, predicted ${predicted}`, `    ${sql.replace(/\s+/g, ' ')}`];
  const citus = error ? [`ERROR: ${error}`] : reasons.filter((r) => !/Creating router plan|Router planner cannot handle|Distributed planning for a fast-path/.test(r)).slice(0, 3);
  for (const r of citus) lines.push(`    real:      ${r.replace(/\n/g, ' | ')}`);
  for (const r of predictedReasons.slice(0, 2)) lines.push(`    predicted: ${r.replace(/\n/g, ' | ')}`);
  return lines;
}

/** The ground truth recorded from Citus' own regression files (scripts/groundtruth/regress-files.ts). */
export const REGRESS_FILES_FIXTURE = path.join(__dirname, '..', 'test', 'fixtures', 'regress-files', 'insert-select.jsonl');
/**
 * Probe files (test/fixtures/probes): SQL written here to check the predictor on shapes users write, each file run on a
 * real Citus cluster after the corpus schema and data (the recorder's --prelude), and what the cluster did with it.
 */
export const PROBES_DIR = path.join(__dirname, '..', 'test', 'fixtures', 'probes');

/** The probe files scored against their recording: each file linted after the corpus schema, with Citus' defaults. */
export function scoreProbes(): RegressFilesScore {
  const base = new SchemaModel();
  applyDocumentDdl(base, { source: 'schema.sql', text: fs.readFileSync(path.join(CORPUS_DIR, 'schema.sql'), 'utf8') });
  const ddl = path.join(PROBES_DIR, 'ddl.jsonl');
  return scoreRegressFiles(
    readJsonl<RegressFileRecord>(path.join(PROBES_DIR, 'insert-select.jsonl')),
    PROBES_DIR,
    {},
    readJsonl<RegressFileRecord>(path.join(PROBES_DIR, 'dml.jsonl')),
    base,
    readJsonl<RegressFileRecord>(path.join(PROBES_DIR, 'select.jsonl')),
    true,
    fs.existsSync(ddl) ? readJsonl<RegressFileRecord>(ddl) : [],
  );
}
export const REGRESS_FILES_DDL_FIXTURE = path.join(__dirname, '..', 'test', 'fixtures', 'regress-files', 'ddl.jsonl');
export const REGRESS_FILES_DML_FIXTURE = path.join(__dirname, '..', 'test', 'fixtures', 'regress-files', 'dml.jsonl');
export const REGRESS_FILES_SELECT_FIXTURE = path.join(__dirname, '..', 'test', 'fixtures', 'regress-files', 'select.jsonl');

export interface RegressFileRecord {
  file: string;
  /** the ordinal of the statement among the file's top-level INSERT..SELECTs */
  n: number;
  hash: string;
  skipped?: string;
  in_transaction?: boolean;
  method?: Method;
  /** DML records: the outcome label */
  outcome?: Outcome;
  task_count?: number | null;
  reasons?: string[];
  error?: string | null;
  /** an execution error that depends on the rows met (the label is the plan's method) */
  data_dependent_error?: string | null;
  error_sqlstate?: string | null;
  /** `plan` (EXPLAIN failed) or `execute` (it failed when it ran) */
  error_phase?: string | null;
}

/**
 * The rules that report a DDL statement or Citus call PostgreSQL or Citus refuses (the model keeps the tables as they
 * were), and PostgreSQL's analysis of the queries and column defaults of DDL (CREATE VIEW, CREATE TABLE .. AS, DEFAULT).
 */
export const REFUSAL_RULES: ReadonlySet<string> = new Set([
  ...SEMANTIC_RULES.filter((r) => r !== 'unknown-table'),
  'sequence-refused', 'dependent-objects', 'trigger-refused', 'constraint-already-exists', 'ddl-column-error', 'foreign-key-type-mismatch', 'transaction-block-refused', 'distribution-call-refused', 'foreign-key-refused', 'relation-already-exists', 'reference-table-after-parallel-access', 'alter-table-refused', 'read-only-transaction', 'partitioned-key-without-partition-column', 'partition-bound-refused', 'multiple-primary-keys', 'rollup-key-without-dist-column', 'undefined-constraint', 'foreign-key-without-unique-key', 'key-drop-refused']);

/** A recorded DDL statement or Citus call: the error it raised (null: it ran), and the refusal we report, if any. */
export interface ScoredDdl {
  id: string;
  sql: string;
  error: string | null;
  reported?: { rule: string; message: string };
}

/**
 * DDL refusals against the recording: each report confirmed (the statement failed; its message the same, or not) or
 * false (it ran), and the statements refused for a foreign key or a distribution argument we did not report.
 */
export function formatDdlReport(ddl: ScoredDdl[], verbose: boolean, title: string): string {
  const reported = ddl.filter((d) => d.reported);
  const confirmed = reported.filter((d) => d.error !== null);
  const sameMessage = confirmed.filter((d) => d.error!.split('\n')[0] === d.reported!.message);
  const falseReports = reported.filter((d) => d.error === null);
  const missed = ddl.filter((d) => !d.reported && d.error !== null && /foreign key|must be a distributed table or a reference table|cannot colocate|colocate_with/.test(d.error));
  const lines = [
    `${title}: ${ddl.length} statements, ${ddl.filter((d) => d.error !== null).length} refused by the cluster`,
    `  refusals reported: ${reported.length}, confirmed ${confirmed.length} (same message ${sameMessage.length}), false ${falseReports.length}`,
    `  refused for a foreign key or a distribution argument, not reported: ${missed.length}`,
  ];
  for (const d of falseReports) lines.push(`- FALSE ${d.id}: ${d.reported!.rule}: ${d.reported!.message}\n    ${d.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
  if (verbose) {
    for (const d of confirmed.filter((x) => !sameMessage.includes(x))) lines.push(`- other message ${d.id}: ${d.reported!.message}\n    real: ${d.error!.split('\n')[0]}`);
    for (const d of missed) lines.push(`- missed ${d.id}: ${d.error!.split('\n')[0]}\n    ${d.sql.replace(/\s+/g, ' ').slice(0, 200)}`);
  }
  return lines.join('\n');
}

export interface RegressFilesScore {
  scored: ScoredRecord[];
  /** the DML statements (--regress-suite scores them with formatDmlReport) */
  dml: ScoredDml[];
  /** the top-level SELECTs, when recorded (the probes), scored as DML is */
  selects: ScoredDml[];
  /** the DDL statements and Citus calls, when recorded (the recorder's --ddl-out) */
  ddl: ScoredDdl[];
  /** records not run (a worker's session, a failed transaction) or whose statement text changed */
  left: { record: RegressFileRecord; why: string }[];
}

/**
 * The PostgreSQL major version of the cluster the regression-file fixtures were recorded on (15.20): scoring
 * declares it, as `cluster.postgresVersion` does, so that syntax PostgreSQL 15 lacks is its syntax error. Load
 * its grammar (`loadOlderGrammar`) before scoring.
 */
export const REGRESS_POSTGRES_MAJOR = 15;

/**
 * Lints each regression file of a Citus checkout on its own (as `citus-rollups lint FILE` does, with the
 * cluster settings given, e.g. the harness' citus.shard_count = 4) and compares the method of each
 * recorded INSERT..SELECT (and the outcome of each recorded DML statement) with the cluster's. A statement
 * whose table comes from another file of the schedule (the cluster said `relation ... does not exist`, the
 * product cannot know it) is left out.
 */
export function scoreRegressFiles(records: RegressFileRecord[], suiteDir: string, settings: Record<string, string> = {}, dmlRecords: RegressFileRecord[] = [], base?: SchemaModel, selectRecords: RegressFileRecord[] = [], selfContained = false, ddlRecords: RegressFileRecord[] = []): RegressFilesScore {
  const byFile = new Map<string, { rec: RegressFileRecord; kind: 'insert_select' | 'dml' | 'select' | 'ddl' }[]>();
  for (const r of records) byFile.set(r.file, [...(byFile.get(r.file) ?? []), { rec: r, kind: 'insert_select' }]);
  for (const r of ddlRecords) byFile.set(r.file, [...(byFile.get(r.file) ?? []), { rec: r, kind: 'ddl' }]);
  for (const r of dmlRecords) byFile.set(r.file, [...(byFile.get(r.file) ?? []), { rec: r, kind: 'dml' }]);
  for (const r of selectRecords) byFile.set(r.file, [...(byFile.get(r.file) ?? []), { rec: r, kind: 'select' }]);
  const scored: ScoredRecord[] = [];
  const dml: ScoredDml[] = [];
  const selects: ScoredDml[] = [];
  const ddl: ScoredDdl[] = [];
  const left: RegressFilesScore['left'] = [];
  for (const [file, recs] of byFile) {
    const full = path.join(suiteDir, 'sql', file);
    if (!fs.existsSync(full)) {
      for (const { rec } of recs) left.push({ record: rec, why: 'file not in the checkout' });
      continue;
    }
    const text = fs.readFileSync(full, 'utf8');
    // (a prelude's schema, the recorder's --prelude, comes first)
    const model = base ? base.clone() : new SchemaModel();
    for (const [k, v] of Object.entries(settings)) model.setClusterSetting(k, v);
    // the recording cluster's PostgreSQL (test/fixtures/regress-files/README.md), as a project declares it
    model.postgresMajor = REGRESS_POSTGRES_MAJOR;
    const analysis = analyzeDocument(text, model, { source: file, today: TODAY });
    const doc = parseDocument(text);
    const statementsOf = {
      insert_select: doc.statements.filter(isTopLevelInsertSelect),
      dml: doc.statements.filter(isTopLevelDml),
      select: selectRecords.length ? doc.statements.filter(isTopLevelSelect) : [],
      ddl: ddlRecords.length ? doc.statements.filter(isTopLevelSchemaStatement) : [],
    };
    // (records made before ALTER SEQUENCE counted as a schema statement, 2026-12-06, number the others without it)
    const ddlBefore = ddlRecords.length ? statementsOf.ddl.filter((s) => !s.ast?.AlterSeqStmt) : [];
    for (const { rec: record, kind } of recs) {
      let stmt = statementsOf[kind][record.n];
      if (kind === 'ddl' && stmt && statementHash(text.slice(stmt.start, stmt.end)) !== record.hash && ddlBefore[record.n]) stmt = ddlBefore[record.n];
      if (record.skipped) {
        left.push({ record, why: record.skipped });
        continue;
      }
      if (!stmt || statementHash(text.slice(stmt.start, stmt.end)) !== record.hash) {
        left.push({ record, why: 'statement text differs from the recorded one (another Citus version?)' });
        continue;
      }
      // (files that carry their whole schema, the probes, read no other file's tables: the error is the statement's)
      if (!selfContained && record.error_sqlstate === '42P01' && /^relation "[^"]+" does not exist/.test(record.error ?? '')) {
        left.push({ record, why: 'reads a table of another file' });
        continue;
      }
      const result = analysis.statements.find((s) => s.parentIndex === undefined && s.range.start === stmt.start);
      const sql = text.slice(stmt.start, stmt.end);
      const id = `${file}#${record.n}`;
      const category = file.replace(/\.sql$/, '');
      if (kind === 'ddl') {
        const finding = analysis.findings.find((f) => REFUSAL_RULES.has(f.rule) && f.range.start >= stmt.start && f.range.start < stmt.end);
        ddl.push({ id, sql, error: record.error ?? null, reported: finding ? { rule: finding.rule, message: finding.citus?.message ?? finding.message } : undefined });
        continue;
      }
      // a statement that failed when it ran, with the error a warning of ours names (a data-dependent failure we warned
      // about: the rows made it fail): counted as predicted, and told apart in the report
      const errorWarnings = analysis.findings.filter((f) => f.severity === 'warning' && f.rule !== 'unknown-table' && f.range.start >= stmt.start && f.range.start < stmt.end && f.citus?.level === 'ERROR');
      const warnedError = (): boolean => {
        if (record.error_phase !== 'execute' || !record.error) return false;
        // (shard names aside: a row refused on a shard names the shard)
        const first = unshard(record.error.split('\n')[0]);
        return errorWarnings.some((f) => unshard(f.citus!.message) === first);
      };
      // (and one that ran although such a warning names an error: the rows did not reach it, or the warning is wrong;
      // not an INSERT..SELECT planned as recorded whose rows then failed with the error the warning names)
      const failedAsWarned = !!record.data_dependent_error && errorWarnings.some((f) => unshard(f.citus!.message) === unshard(record.data_dependent_error!.split('\n')[0]));
      const ranDespiteWarning = (record.outcome ?? record.method ?? 'error') !== 'error' && !failedAsWarned ? errorWarnings[0]?.rule : undefined;
      if (kind === 'dml' || kind === 'select') {
        const warned = (record.outcome ?? 'error') === 'error' && warnedError();
        (kind === 'dml' ? dml : selects).push({
          record: { id, category, sql, outcome: record.outcome ?? 'error', reasons: record.reasons ?? [], error: record.error ?? null, task_count: record.task_count ?? null },
          ...(warned ? { warned } : {}),
          ...(ranDespiteWarning ? { ranDespiteWarning } : {}),
          predicted: warned ? 'error' : result?.outcome && result.outcome !== 'not_applicable' && result.outcome !== 'ok_setting' ? result.outcome : 'none',
          predictedReasons: result?.prediction.reasons ?? [],
          shardCount: result?.shardCount,
          upperBound: result?.shardCountUpperBound,
          realShards: record.task_count ?? undefined,
        });
        continue;
      }
      const warned = (record.method ?? 'error') === 'error' && warnedError();
      // (a row error we report while the plan stands: confirmed by the error the rows met, or not)
      const rowFindings = analysis.findings.filter((f) => f.rule === 'insert-null-dist-column' && f.citus?.level === 'ERROR' && f.range.start >= stmt.start && f.range.start < stmt.end);
      const dataError = record.data_dependent_error?.split('\n')[0];
      const rowError = rowFindings.length && result?.prediction.method !== 'error' ? (dataError && rowFindings.some((f) => unshard(f.citus!.message) === unshard(dataError)) ? 'failed' : 'ran') : undefined;
      scored.push({
        record: { id, category, sql, method: record.method ?? 'error', reasons: record.reasons ?? [], error: record.error ?? null },
        ...(warned ? { warned } : {}),
        ...(ranDespiteWarning ? { ranDespiteWarning } : {}),
        ...(rowError ? { rowError } : {}),
        predicted: warned ? 'error' : (result?.prediction.method ?? 'not_applicable'),
        predictedReasons: result?.prediction.reasons ?? [],
      });
    }
  }
  return { scored, dml, selects, ddl, left };
}

/** A top-level INSERT whose rows come from a query (not VALUES). Shared with the recorder. */
export function isTopLevelInsertSelect(s: ParsedStatement): boolean {
  const ins = s.ast?.InsertStmt;
  const sel = ins?.selectStmt?.SelectStmt;
  return s.parentIndex === undefined && !!ins && !!ins.selectStmt && !(sel && sel.valuesLists && (!sel.op || sel.op === 'SETOP_NONE'));
}

/**
 * A top-level statement of the DML corpus' kinds: UPDATE, DELETE, MERGE, INSERT .. VALUES (an INSERT whose
 * rows are not a query). Shared with the recorder.
 */
export function isTopLevelDml(s: ParsedStatement): boolean {
  if (s.parentIndex !== undefined || !s.ast) return false;
  if (s.ast.UpdateStmt || s.ast.DeleteStmt || s.ast.MergeStmt) return true;
  return !!s.ast.InsertStmt && !isTopLevelInsertSelect(s);
}

/** A top-level SELECT (not SELECT INTO): the probes record these too (the recorder's --select-out). */
export function isTopLevelSelect(s: ParsedStatement): boolean {
  // (not a call that changes the schema: SELECT create_distributed_table(..))
  return s.parentIndex === undefined && !!s.ast?.SelectStmt && !s.ast.SelectStmt.intoClause && !recordedAsSchemaChange(s);
}

/**
 * The Citus calls the schema model applies since 2026-12-07 (create_time_partitions, drop_old_time_partitions): the
 * records of the probe and regression files were made before, and count a `SELECT create_time_partitions(..)` among the
 * SELECTs, so the ordinals are counted as they were recorded.
 */
const LATER_CALLS = /\b(create_time_partitions|drop_old_time_partitions)\s*\(/gi;

function recordedAsSchemaChange(s: ParsedStatement): boolean {
  let recorded = s;
  if (LATER_CALLS.test(s.text)) {
    LATER_CALLS.lastIndex = 0;
    recorded = { ast: s.ast, text: s.text.replace(LATER_CALLS, 'recorded_call(') } as ParsedStatement;
  }
  // (a CALL counted only for Citus' procedures when the records were made, and CREATE / ALTER EXTENSION and IMPORT
  // FOREIGN SCHEMA not at all; since 2026-12-07 the model applies them, to forget which relations the file dropped)
  if (s.ast?.CreateExtensionStmt || s.ast?.AlterExtensionStmt || s.ast?.ImportForeignSchemaStmt) return false;
  return s.ast?.CallStmt ? callsCitus(recorded) : mayChangeSchema(recorded);
}

/**
 * A top-level statement the schema model applies: DDL and the Citus calls that change tables (the recorder's
 * --ddl-out). Not SET, nor a DO block.
 */
export function isTopLevelSchemaStatement(s: ParsedStatement): boolean {
  // (not CREATE OPERATOR / AGGREGATE / TYPE, which the model applies since 2026-12-06 without refusing any: the records'
  // ordinals are counted without them; ALTER SEQUENCE counts since it can be refused, scoreRegressFiles matches
  // records made before by their hash)
  return s.parentIndex === undefined && !!s.ast && !s.ast.VariableSetStmt && !s.ast.DoStmt && !s.ast.DefineStmt && recordedAsSchemaChange(s);
}

/** The hash a regression-file record keeps of its statement: the text as written, whitespace collapsed. */
export function statementHash(text: string): string {
  return createHash('sha1').update(text.replace(/\s+/g, ' ').trim()).digest('hex').slice(0, 12);
}
