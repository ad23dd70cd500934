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

export function toDiagnostic(f: Finding, lines: LineIndex, statementStart: number): Diagnostic {
  const data: DiagnosticData = {
    rule: f.rule,
    statementStart,
    fix: f.fix
      ? { title: f.fix.title, edits: f.fix.edits.map((e) => ({ range: toRange(lines, e.range), newText: e.newText })) }
      : undefined,
  };
  return {
    range: toRange(lines, f.range),
    severity: SEVERITY[f.severity],
    code: f.rule,
    codeDescription: { href: ruleDocUrl(f.rule) },
    source: DIAGNOSTIC_SOURCE,
    message: f.message,
    data,
  };
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
