/**
 * Hovers: on a table name, what Citus knows about the table; on the INSERT keyword of an
 * INSERT..SELECT, the predicted method, Citus' reasons and the way out.
 */
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover } from 'vscode-languageserver';
import { LineIndex } from '../core/parse/offsets';
import { formatCitusMessage, type StatementResult } from '../core/types';
import { displayName, type SchemaModel, type SourceLocation, type TableModel } from '../core/schema/model';
import { statementAt, type AnalyzedDocument } from './documents';
import { outcomeTitle, predictionTitle, toRange } from './convert';

const WORD = /[A-Za-z0-9_$\u0080-\uffff]/;

interface WordAt {
  start: number;
  end: number;
  name: string;
  qualifier?: string;
}

/** The (possibly quoted, possibly schema-qualified) identifier at `offset`. */
export function identifierAt(text: string, offset: number): WordAt | undefined {
  const quoted = quotedAt(text, offset);
  let start: number;
  let end: number;
  let name: string;
  if (quoted) ({ start, end, name } = quoted);
  else {
    start = offset;
    end = offset;
    while (start > 0 && WORD.test(text[start - 1])) start--;
    while (end < text.length && WORD.test(text[end])) end++;
    if (start === end || /^[0-9$]/.test(text[start])) return undefined;
    name = text.slice(start, end).toLowerCase();
  }
  let qualifier: string | undefined;
  if (text[start - 1] === '.') {
    const q = identifierAt(text, start - 2);
    if (q) qualifier = q.name;
  }
  return { start, end, name, qualifier };
}

function quotedAt(text: string, offset: number): { start: number; end: number; name: string } | undefined {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const lineEndRaw = text.indexOf('\n', offset);
  const line = text.slice(lineStart, lineEndRaw < 0 ? text.length : lineEndRaw);
  for (const m of line.matchAll(/"((?:[^"]|"")+)"/g)) {
    const s = lineStart + (m.index ?? 0);
    const e = s + m[0].length;
    if (s <= offset && offset < e) return { start: s, end: e, name: m[1].replace(/""/g, '"') };
  }
  return undefined;
}

export function hoverAt(doc: AnalyzedDocument, offset: number): Hover | null {
  const word = identifierAt(doc.text, offset);
  if (!word) return null;
  const range = toRange(doc.lines, { start: word.start, end: word.end });
  const stmt = statementAt(doc, offset);
  if (stmt && word.name === 'insert' && !word.qualifier) {
    const result = doc.analysis.statements.find((s) => s.index === stmt.index);
    if (result?.kind === 'insert_select') return { range, contents: { kind: 'markdown', value: insertHover(doc, result.index) } };
  }
  // UPDATE / DELETE / MERGE / INSERT..VALUES / SELECT .. FOR UPDATE / COPY / SET: single- or multi-shard, and why
  if (stmt && !word.qualifier && DML_KEYWORDS.has(word.name)) {
    const result = doc.analysis.statements.find((s) => s.index === stmt.index);
    if (result?.outcome && result.kind !== 'insert_select' && doc.text.slice(result.range.start).toLowerCase().startsWith(word.name) ) {
      return { range, contents: { kind: 'markdown', value: outcomeHover(doc, result.index) } };
    }
  }
  const table = resolveTable(doc.analysis.model, word);
  if (!table) return null;
  return { range, contents: { kind: 'markdown', value: tableHover(doc, table) } };
}

function resolveTable(model: SchemaModel, word: WordAt): TableModel | undefined {
  if (word.qualifier) return model.get(word.qualifier, word.name);
  const table = model.resolve(undefined, word.name, ['public', ...[...model.schemas].filter((s) => s !== 'public').sort()]);
  // any pg_* / citus_* word resolves to a catalog relation, function names included: no hover for those
  return table?.catalog ? undefined : table;
}

const KIND_LABEL: Record<TableModel['kind'], string> = {
  hash: 'distributed table (hash)',
  range: 'distributed table (range)',
  append: 'distributed table (append)',
  reference: 'reference table (a copy on every node)',
  citus_local: 'Citus local table (on the coordinator, in Citus metadata)',
  single_shard: 'single-shard distributed table',
  local: 'local table (coordinator only, not in Citus metadata)',
  view: 'view',
  matview: 'materialized view',
};

export function tableHover(doc: AnalyzedDocument, t: TableModel): string {
  const model = doc.analysis.model;
  const lines = [`**${code(displayName(t))}** — ${KIND_LABEL[t.kind]}`, ''];
  if (t.distributionColumn) {
    const col = t.columns.find((c) => c.name === t.distributionColumn);
    lines.push(`- Distribution column: ${code(t.distributionColumn)}${col ? ` (${code(col.type)})` : ''}`);
  }
  if (t.colocationId) {
    const members = model.groupMembers(t.colocationId).map((m) => code(displayName(m)));
    lines.push(`- Colocation group ${t.colocationId}: ${members.join(', ')}`);
  }
  const group = t.colocationId ? model.groups.get(t.colocationId) : undefined;
  const shards = t.shardCount ?? group?.shardCount ?? (t.kind === 'hash' ? model.defaultShardCount : undefined);
  if (shards !== undefined && t.kind !== 'local' && t.kind !== 'view' && t.kind !== 'matview') lines.push(`- Shards: ${shards}`);
  if (t.definedAt) lines.push(`- Defined at: ${locationLink(doc, t.definedAt)}`);
  if (t.distributedAt && t.kind !== 'local') lines.push(`- Distributed at: ${locationLink(doc, t.distributedAt)}`);
  return lines.join('\n');
}

const DML_KEYWORDS = new Set(['insert', 'update', 'delete', 'merge', 'select', 'copy', 'set', 'reset', 'with']);

function outcomeHover(doc: AnalyzedDocument, index: number): string {
  const s = doc.analysis.statements.find((x) => x.index === index);
  if (!s?.outcome) return '';
  const out = [`**${outcomeTitle(s.outcome, s.shardCount, s.shardCountUpperBound, s.prediction.summary)}**`];
  if (s.target) out.push('', `Table: ${code(s.target)}`);
  if (s.outcome === 'multi_shard' && s.shardCount !== undefined) {
    out.push('', `Runs on ${s.shardCountUpperBound ? 'up to ' : ''}${s.shardCount} shard${s.shardCount === 1 ? '' : 's'} in parallel${s.prediction.summary ? ` (${s.prediction.summary})` : ''}.`);
  }
  out.push(...reasonsAndFindings(doc, s));
  return out.join('\n');
}

function insertHover(doc: AnalyzedDocument, index: number): string {
  const s = doc.analysis.statements.find((x) => x.index === index);
  if (!s) return '';
  const out = [`**${predictionTitle(s.prediction.method, s.prediction.summary)}**`];
  if (s.target) out.push('', `Target: ${code(s.target)}`);
  out.push(...reasonsAndFindings(doc, s));
  return out.join('\n');
}

/**
 * Each finding with its explanation and fix, then Citus' reasons as the cluster prints them: our words first, as
 * the hover shows only its first lines without scrolling. A finding whose message ends with a Citus message
 * quoted below shows only its own words (the quote is not repeated).
 */
function reasonsAndFindings(doc: AnalyzedDocument, s: StatementResult): string[] {
  const out: string[] = [];
  for (const f of doc.analysis.findings.filter((x) => x.statementIndex === s.index && x.rule !== 'syntax-error')) {
    const quoted = f.citus && s.prediction.reasons.includes(formatCitusMessage(f.citus)) ? `: ${f.citus.detail ?? f.citus.message}` : undefined;
    const message = quoted && f.message.endsWith(quoted) && f.message.length > quoted.length ? `${f.message.slice(0, -quoted.length)} (Citus' reason below)` : f.message;
    out.push('', `**${f.rule}**: ${message}`);
    if (f.explanation) out.push('', f.explanation);
    if (f.fix) out.push('', `Fix: ${f.fix.title}`);
  }
  if (s.prediction.reasons.length) out.push('', "Citus' reason:", '', '```text', ...s.prediction.reasons, '```');
  return out;
}

/** "schema.sql:12" for workspace files, the label for snapshots and clusters. */
export function locationLabel(doc: AnalyzedDocument, loc: SourceLocation): string {
  const line = lineOf(doc, loc);
  const name = doc.scope.root && path.isAbsolute(loc.source) ? path.relative(doc.scope.root, loc.source).split(path.sep).join('/') : loc.source;
  return line === undefined ? name : `${name}:${line}`;
}

/** The 1-based line of a location in a workspace file, when its text is known. */
function lineOf(doc: AnalyzedDocument, loc: SourceLocation): number | undefined {
  const text = loc.source === doc.file ? doc.text : doc.scope.textOf(loc.source);
  if (text === undefined || loc.offset === undefined) return undefined;
  return new LineIndex(text).position(loc.offset).line + 1;
}

/**
 * A Markdown link that opens the file at the line (`file:///...#L12`: VS Code's opener selects the line), for
 * workspace files; the plain label for snapshots and clusters.
 */
function locationLink(doc: AnalyzedDocument, loc: SourceLocation): string {
  const label = locationLabel(doc, loc);
  if (!path.isAbsolute(loc.source)) return code(label);
  const line = lineOf(doc, loc);
  // a code span inside the link text: brackets in a file name cannot end the link
  return `[${code(label)}](${pathToFileURL(loc.source).href}${line === undefined ? '' : `#L${line}`})`;
}

function code(s: string): string {
  return '`' + s.replace(/`/g, "'") + '`';
}
