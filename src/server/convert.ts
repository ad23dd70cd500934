/**
 * Core results -> LSP values. Character offsets become line/character through the core's LineIndex
 * (the one place for position math); nothing else here does arithmetic on positions.
 */
import { DiagnosticSeverity, type Diagnostic, type Range } from 'vscode-languageserver';
import type { LineIndex } from '../core/parse/offsets';
import { ruleDocUrl } from '../core/rules/rule';
import type { Finding, Method, Range as OffsetRange, Severity } from '../core/types';
import type { DiagnosticData } from '../protocol';

export const DIAGNOSTIC_SOURCE = 'citus-rollups';

export function toRange(lines: LineIndex, r: OffsetRange): Range {
  return { start: lines.position(r.start), end: lines.position(r.end) };
}

const SEVERITY: Record<Severity, DiagnosticSeverity> = {
  error: DiagnosticSeverity.Error,
  warning: DiagnosticSeverity.Warning,
  information: DiagnosticSeverity.Information,
  hint: DiagnosticSeverity.Hint,
};

/**
 * A finding as an LSP diagnostic. The rule is its `code`; `data` carries only the fix, when there is one (every
 * diagnostic of a large file goes to the client after every edit, so nothing rides along that the code actions can
 * find otherwise).
 */
export function toDiagnostic(f: Finding, lines: LineIndex): Diagnostic {
  const d: Diagnostic = {
    range: toRange(lines, f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
  };
  if (f.fix) {
    const data: DiagnosticData = { fix: { title: f.fix.title, edits: f.fix.edits.map((e) => ({ range: toRange(lines, e.range), newText: e.newText })) } };
    d.data = data;
  }
  return d;
}

/**
 * Converts findings to diagnostics, giving back the Diagnostic object of the last conversion when nothing in it
 * changed: after an edit, the statements the edit did not touch keep their findings (moved copies of the findings
 * the analysis made, see ./incremental.ts `findingOrigins`), and their diagnostics are the same objects again, so
 * the stdio writer (./encoder.ts) sends the bytes it encoded for them last time. A finding is compared field by
 * field with the last diagnostic of its origin before it is converted (cheap: its positions and its fix's are binary
 * searches, compared without making them, its strings the same objects), so reuse never changes what is sent.
 * Diagnostics are never modified once made.
 */
export class DiagnosticConverter {
  private readonly last = new WeakMap<Finding, Diagnostic>();

  /** `origin`: the finding the analysis made of which `f` is a moved copy (`f` itself by default) */
  convert(f: Finding, lines: LineIndex, origin: Finding = f): Diagnostic {
    const old = this.last.get(origin);
    // the same range, message, severity and fix: the same diagnostic
    if (old && old.message === f.message && old.code === f.rule && old.severity === SEVERITY[f.severity] && isAtRange(lines, f.range, old.range) && sameFix(lines, f, old)) return old;
    const fresh = toDiagnostic(f, lines);
    this.last.set(origin, fresh);
    return fresh;
  }
}

const isAtRange = (lines: LineIndex, r: OffsetRange, at: Range): boolean => lines.isAt(r.start, at.start) && lines.isAt(r.end, at.end);

/** Whether `old` carries the fix of `f` (or neither has one), compared without converting it. */
function sameFix(lines: LineIndex, f: Finding, old: Diagnostic): boolean {
  const was = (old.data as DiagnosticData | undefined)?.fix;
  if (!f.fix || !was) return !f.fix && !was;
  const edits = f.fix.edits;
  return f.fix.title === was.title && edits.length === was.edits.length && edits.every((e, i) => e.newText === was.edits[i].newText && isAtRange(lines, e.range, was.edits[i].range));
}

export const METHOD_LABEL: Record<Method, string> = {
  pushdown: 'pushdown',
  router: 'router (one shard)',
  repartition: 'repartition',
  pull_to_coordinator: 'pull to coordinator',
  error: 'error',
  not_applicable: 'not predicted',
};

/** "Citus: pull to coordinator — LIMIT" */
export function predictionTitle(method: Method, summary: string | undefined): string {
  return `Citus: ${METHOD_LABEL[method]}${summary ? ` — ${summary}` : ''}`;
}

const OUTCOME_LABEL: Record<string, string> = {
  single_shard: 'single shard',
  multi_shard: 'multi-shard',
  coordinator: 'via coordinator',
  local: 'local (plain PostgreSQL)',
  error: 'error',
  ok_setting: 'setting accepted',
  not_applicable: 'not applicable',
};

/** "Citus: multi-shard — 32 shards", "Citus: single shard — tenant_id = 5" for DML statements. */
export function outcomeTitle(outcome: string, shardCount: number | undefined, upperBound: boolean | undefined, summary: string | undefined): string {
  const shards = shardCount !== undefined && outcome === 'multi_shard' ? `${upperBound ? 'up to ' : ''}${shardCount} shards` : undefined;
  const detail = shards ?? summary;
  return `Citus: ${OUTCOME_LABEL[outcome] ?? outcome}${detail ? ` — ${detail}` : ''}`;
}
