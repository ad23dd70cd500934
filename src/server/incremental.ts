/**
 * Incremental re-analysis for the language server: after an edit, only the statements the edit can change are
 * parsed and analysed again; every other statement keeps its parse and its results from the previous analysis
 * (moved by the edit's length). The result is exactly what `analyzeDocument` gives for the new text
 * (test/server/incremental.test.ts compares both on thousands of edits).
 *
 * What a statement's results depend on, in `analyzeDocument`: its own text (and the comments before it, for
 * `-- citus-rollups-disable-next-statement`), the table model and session (search_path) left by the statements
 * before it, the severity settings, the file-level directives, and, for `SET` and `COPY`, the text on its line
 * and after it. So:
 * - a statement whose text, leading comments and lines are untouched by the edit keeps its results, unless
 * - a statement that can change the model or the session ("stateful": DDL, SET, transaction control, Citus
 *   calls; everything but plain DML) changed, appeared, disappeared or moved before it: then it and every
 *   statement after it are analysed again (the model records where each table was defined);
 * - files with `-- citus-rollups-disable-file`, `COPY ... FROM STDIN` data or an `ALTER TABLE .. FOREIGN KEY` are
 *   analysed whole.
 *
 * Parsing: the statements before the edited lines are kept, the text from the end of the last of them is split
 * and parsed again up to the first statement after the edit that comes out exactly as before (the splitter is
 * then back where it was), and the statements after that are kept, moved.
 *
 * Analysis: the statements to analyse again are analysed in one call of `analyzeDocument` on a copy of the new
 * text in which every statement that is neither analysed again nor stateful is blanked out (its `;` and its line
 * breaks kept, the text between statements kept), cut after the last line that is analysed again: the stateful
 * statements build the same model, and the splitter sees the same statements on the same lines. A blanked
 * statement's other characters are removed (the copy of an edit in a 4,960-statement file is a few kilobytes, not
 * the whole text), and each kept statement's results are moved back by what was removed before it; they must lie
 * in the part of the copy that moves with their statement. When the model may differ (the copy's model is then
 * the document's, and it records where each table was defined), the blanked characters are spaces instead, and
 * every offset stays the same. The copy's statements are checked against the new text's before their results are
 * used; anything unexpected falls back to the copy with spaces, then to a whole analysis.
 */
import { analyzeDocument, leavesStateAsFound, PSQL_RECONNECT, type AnalyzeOptions, type DocumentAnalysisDetail } from '../core/analyze';
import { movedParsed, parseDocument, type ParsedDocument, type ParsedStatement } from '../core/parse/document';
import { SchemaModel } from '../core/schema/model';
import type { Finding, StatementResult } from '../core/types';

export interface PreviousAnalysis {
  text: string;
  analysis: DocumentAnalysisDetail;
}

export interface IncrementalStats {
  /** top-level statements whose results were reused */
  reused: number;
  /** top-level statements analysed again */
  analysed: number;
  /** top-level statements parsed again (split and looked up or parsed) */
  parsed: number;
  /** why the whole document was analysed, when it was */
  whole?: string;
  /** the length of the copy of the text analysed (see `copyOf`), when one was */
  copied?: number;
}

/** A top-level statement and the statements inside its body (function bodies, DO blocks), which follow it. */
export interface Unit {
  top: ParsedStatement;
  /** index of the top statement in the document's statement list */
  first: number;
  /** number of statements in the unit (the top one and the nested ones) */
  count: number;
  stateful: boolean;
}

/** Where each unit of the new text comes from: an old unit (moved by `shift`), or nowhere (parsed again). */
type Origin = { old: Unit; shift: number } | undefined;

const WHOLE_FILE_DIRECTIVE = 'citus-rollups-disable-file';
/** an ALTER TABLE that adds a foreign key (a cheap test of the text: analysed whole when it may) */
const ALTER_FOREIGN_KEY = /\bALTER\s+TABLE\b[^;]*\bFOREIGN\s+KEY\b/i;
const REFERENCES = /\bREFERENCES\b/i;
const COPY_DATA = /\bFROM\s+STDIN\b/i;

/**
 * Why each analysis' text must be analysed whole (`null`: it need not), for the analyses `analyzeIncrementally`
 * made after an edit: the next edit tests only the text around its change (see `editedReason`) instead of the
 * whole text (which is tested once, at the first edit of a document).
 */
const WHOLE_REASON = new WeakMap<DocumentAnalysisDetail, string | null>();

/**
 * Why `text` must be analysed whole, when the text before the edit need not be: only the part of it around the
 * edit is tested. Every test of `testWholeFile` is a match without a `;` whose outcome depends on its characters
 * and the one on each side of it; a match the old text did not have touches the changed characters, so it lies
 * in the text from the last `;` before the edited lines to the first `;` after the change, both kept in the
 * window (at its ends `\b`, `^` and `$` then decide as they do in the whole text).
 */
function editedReason(text: string, edit: Edit): string | undefined {
  const before = edit.start >= 2 ? text.lastIndexOf(';', edit.start - 2) : -1;
  const after = text.indexOf(';', edit.newChanged + 1);
  return testWholeFile(text.slice(Math.max(0, before), after < 0 ? text.length : after + 1));
}

/** Why `text` must be analysed whole, whatever the edit (tests of the whole text), or undefined. */
export function testWholeFile(text: string): string | undefined {
  if (text.includes(WHOLE_FILE_DIRECTIVE)) return 'file-level directive';
  if (COPY_DATA.test(text)) return 'COPY ... FROM STDIN data';
  // a foreign key ALTER TABLE adds is sure only while no row was written before it (SessionState.rowsWritten): every
  // statement before it counts
  if (ALTER_FOREIGN_KEY.test(text)) return 'ALTER TABLE .. FOREIGN KEY';
  // a row a foreign key refuses because the file wrote no row to the table it references (planner/dml.ts
  // foreignKeyError): every write before it counts
  if (REFERENCES.test(text)) return 'a foreign key (REFERENCES)';
  // psql's `\c` starts a new session (analyzeDocument resets the settings there)
  if (text.includes('\\c') && PSQL_RECONNECT.test(text)) return 'psql \\c (a new session)';
  return undefined;
}

export function newIncrementalStats(): IncrementalStats {
  return { reused: 0, analysed: 0, parsed: 0 };
}

/**
 * The analysis of `text`, reusing `previous` (an analysis of another text of the same document, against the
 * same `base` and `options`) where the edit cannot have changed it.
 */
export function analyzeIncrementally(
  previous: PreviousAnalysis | undefined,
  text: string,
  base: SchemaModel,
  options: AnalyzeOptions,
  stats: IncrementalStats = newIncrementalStats(),
): DocumentAnalysisDetail {
  delete stats.copied;
  /** `textWhy`: why the new text must be analysed whole (null: it need not; undefined: not known) */
  const whole = (why: string, textWhy?: string | null): DocumentAnalysisDetail => {
    const analysis = analyzeDocument(text, base, options);
    if (textWhy !== undefined) WHOLE_REASON.set(analysis, textWhy);
    stats.whole = why;
    stats.reused = 0;
    stats.analysed = stats.parsed = unitsOf(analysis.parsed).length;
    return analysis;
  };
  if (!previous) return whole('no previous analysis');
  const before = WHOLE_REASON.get(previous.analysis);
  const beforeWhy = before === undefined ? testWholeFile(previous.text) : (before ?? undefined);
  // (the edit may have taken the reason away: the next edit needs to know)
  if (beforeWhy) return whole(beforeWhy, testWholeFile(text) ?? null);
  const edit = changedLines(previous.text, text);
  const why = editedReason(text, edit);
  if (why) return whole(why, why);
  delete stats.whole;

  const { parsed, units: newUnits, origins: unitOrigins } = reparse(previous.analysis.parsed, previous.text, text, edit);
  const oldUnits = unitsOf(previous.analysis.parsed);

  // from where the model or the session may differ: the first stateful statement that is new, gone or moved
  // (plain loops here and below: they run over every statement of the file on each edit)
  let dirtyFrom = Infinity;
  const clean = new Set<Unit>();
  for (let k = 0; k < newUnits.length; k++) {
    const u = newUnits[k];
    if (!u.stateful) continue;
    const o = unitOrigins[k];
    if (o && o.shift === 0) clean.add(o.old);
    else dirtyFrom = Math.min(dirtyFrom, u.top.leadingStart);
  }
  for (const u of oldUnits) {
    if (u.stateful && !clean.has(u)) dirtyFrom = Math.min(dirtyFrom, u.top.leadingStart < edit.start ? u.top.leadingStart : edit.start);
  }

  const again: boolean[] = new Array(newUnits.length);
  let lastAgain = -1;
  let analysed = 0;
  let reparsed = 0;
  for (let k = 0; k < newUnits.length; k++) {
    if (!unitOrigins[k]) reparsed++;
    again[k] = !unitOrigins[k] || newUnits[k].top.end > dirtyFrom;
    if (again[k]) {
      lastAgain = k;
      analysed++;
    }
  }
  stats.analysed = analysed;
  stats.reused = newUnits.length - analysed;

  let mini: DocumentAnalysisDetail | undefined;
  let miniIndex: Map<number, number> | undefined;
  let copy: Copy | undefined;
  const dirty = dirtyFrom < Infinity;
  if (lastAgain >= 0 || dirty) {
    // (blanking keeps each `;`, so what a statement analysed again sees of its line does not change: the
    // statements it shares a line with are either analysed again too or before it, ending in their `;`)
    // the copy ends after the last line analysed again (after everything when the model changes: it is the
    // document's model then), and after every kept statement that starts before that (which statements are kept
    // matters only there: the copy and its check stop at the cut)
    const keep: boolean[] = new Array(newUnits.length).fill(false);
    let cut = dirty || lastAgain < 0 ? text.length : lineEnd(text, newUnits[lastAgain].top.end);
    for (let k = 0; k < newUnits.length; k++) {
      const u = newUnits[k];
      if (u.top.start >= cut) break;
      keep[k] = again[k] || u.stateful || !blankable(newUnits, k, text);
      if (keep[k]) cut = Math.max(cut, lineEnd(text, u.top.end));
    }
    // compacted unless the copy's model is the document's (it records where each table was defined)
    for (const compact of dirty ? [false] : [true, false]) {
      copy = copyOf(text, cut, newUnits, keep, compact);
      mini = analyzeDocument(copy.text, base, options);
      miniIndex = correspondence(mini, parsed, newUnits, copy, again);
      if (miniIndex) break;
    }
    if (!miniIndex) return whole('the blanked copy split differently', null);
    stats.copied = copy?.text.length;
  }

  // the results in statement order: reused ones moved and renumbered, the others from the blanked copy
  const oldResults = previous.analysis;
  const statements: StatementResult[] = [];
  const findings: Finding[] = [];
  const origins: Finding[] = [];
  const statementOrigins: StatementResult[] = [];
  const oldOrigins = findingOrigins(oldResults);
  const oldStatementOrigins = STATEMENT_ORIGINS.get(oldResults) ?? oldResults.statements;
  const miniFindings = mini ? findingsByStatement(mini.findings) : undefined;
  let k = 0;
  // the units before the edit: the same objects
  while (k < newUnits.length && !again[k] && unitOrigins[k]?.shift === 0 && unitOrigins[k]?.old.first === newUnits[k].first) k++;
  const front = k < newUnits.length ? newUnits[k].first : parsed.statements.length;
  for (let i = 0; i < front; i++) {
    statements.push(oldResults.statements[i]);
    statementOrigins.push(oldStatementOrigins[i]);
  }
  const frontFindings = firstFindingOf(oldResults.findings, front);
  // the first old finding of statement `index` or later: the reused units come in statement order, so a cursor
  // that moves forward finds it (a search when it would have to move back)
  let cursor = frontFindings;
  const findingsFrom = (index: number): number => {
    const all = oldResults.findings;
    if (cursor > 0 && all[cursor - 1].statementIndex >= index) cursor = firstFindingOf(all, index);
    while (cursor < all.length && all[cursor].statementIndex < index) cursor++;
    return cursor;
  };
  for (let i = 0; i < frontFindings; i++) {
    findings.push(oldResults.findings[i]);
    origins.push(oldOrigins[i]);
  }
  for (; k < newUnits.length; k++) {
    const u = newUnits[k];
    const o = unitOrigins[k];
    if (!again[k] && o) {
      const renumber = u.first - o.old.first;
      // (copied from the results the analysis made, moved by the sum of the moves since: copies of copies are
      // several times slower to make, V8's object shapes diverging with each generation)
      for (let i = 0; i < u.count; i++) {
        const now = oldResults.statements[o.old.first + i];
        const origin = oldStatementOrigins[o.old.first + i];
        statements.push(movedStatement(origin, now.range.start + o.shift - origin.range.start, now.index + renumber - origin.index));
        statementOrigins.push(origin);
      }
      const from = findingsFrom(o.old.first);
      const to = findingsFrom(o.old.first + o.old.count);
      for (let i = from; i < to; i++) {
        const now = oldResults.findings[i];
        const origin = oldOrigins[i];
        findings.push(movedFinding(origin, now.range.start + o.shift - origin.range.start, now.statementIndex + renumber - origin.statementIndex));
        origins.push(origin);
      }
      continue;
    }
    const from = (miniIndex as Map<number, number>).get(u.first) as number;
    const renumber = u.first - from;
    const shift = (copy as Copy).kept.get(k)?.shift ?? 0;
    for (let i = 0; i < u.count; i++) {
      const made = (mini as DocumentAnalysisDetail).statements[from + i];
      statements.push(movedStatement(made, shift, renumber));
      statementOrigins.push(made);
      for (const f of miniFindings?.get(from + i) ?? []) {
        findings.push(movedFinding(f, shift, renumber));
        origins.push(f);
      }
    }
  }
  stats.parsed = reparsed;
  const result: DocumentAnalysisDetail = { statements, findings, parsed, model: dirty && mini ? mini.model : oldResults.model };
  FINDING_ORIGINS.set(result, origins);
  STATEMENT_ORIGINS.set(result, statementOrigins);
  WHOLE_REASON.set(result, null);
  return result;
}

/**
 * The syntax errors of `text`, exactly as `analyzeDocument` reports them (severity settings applied), from one
 * parse and without a model: only the statements that do not parse are analysed (on a blanked copy, as above;
 * statements that change the model are kept too, so that psql's COPY data stays data). Undefined when the copy
 * does not split like the text (then there is nothing to show early).
 */
export function syntaxErrors(text: string, options: AnalyzeOptions): { findings: Finding[]; statements: StatementResult[] } | undefined {
  const parsed = parseDocument(text);
  const all = unitsOf(parsed);
  const keep = all.map((u, k) => u.stateful || !blankable(all, k, text) || parsed.statements.slice(u.first, u.first + u.count).some((s) => s.error));
  for (const compact of [true, false]) {
    const copy = copyOf(text, text.length, all, keep, compact);
    const analysis = analyzeDocument(copy.text, new SchemaModel(), options);
    if (!correspondence(analysis, parsed, all, copy, keep)) continue;
    // (the results in the text's places; their statement indexes stay the copy's, which `statements` holds)
    const shifts: number[] = [];
    for (const [k, span] of copy.kept) for (let i = 0; i < all[k].count; i++) shifts.push(span.shift);
    return {
      findings: analysis.findings.filter((f) => f.rule === 'syntax-error').map((f) => movedFinding(f, shifts[f.statementIndex], 0)),
      statements: analysis.statements.map((r) => movedStatement(r, shifts[r.index], 0)),
    };
  }
  return undefined;
}

const unitCache = new WeakMap<ParsedDocument, Unit[]>();

/** The document's top-level statements with their nested ones (computed once per parsed document). */
export function unitsOf(parsed: ParsedDocument): Unit[] {
  let out = unitCache.get(parsed);
  if (!out) {
    out = markTransactionBlocks(unitsIn(parsed.statements, 0, parsed.statements.length));
    unitCache.set(parsed, out);
  }
  return out;
}

function unitsIn(statements: readonly ParsedStatement[], from: number, to: number): Unit[] {
  const out: Unit[] = [];
  for (let i = from; i < to; i++) {
    const s = statements[i];
    if (s.parentIndex === undefined) out.push({ top: s, first: i, count: 1, stateful: !leavesStateAsFound(s) });
    else if (out.length) out[out.length - 1].count++;
  }
  return out;
}

/**
 * Inside BEGIN .. COMMIT every statement counts as stateful: Citus refuses some statements for what the transaction
 * did before them (core/planner/access.ts), so a statement's results depend on the DML before it in the block.
 * Recomputed over all the units after every reparse (a BEGIN or COMMIT typed or deleted changes the blocks).
 */
function markTransactionBlocks(units: Unit[]): Unit[] {
  let inBlock = false;
  for (let k = 0; k < units.length; k++) {
    const u = units[k];
    const tx = u.top.ast?.TransactionStmt;
    if (tx) {
      if (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') inBlock = true;
      else if (tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_ROLLBACK' || tx.kind === 'TRANS_STMT_PREPARE') inBlock = false;
    } else if (inBlock && !u.stateful) {
      units[k] = { ...u, stateful: true };
    } else if (!inBlock && u.stateful && leavesStateAsFound(u.top)) {
      units[k] = { ...u, stateful: false };
    }
  }
  return units;
}

interface Edit {
  /** start of the first line that differs */
  start: number;
  /** end of the changed characters, in the old and the new text */
  oldChanged: number;
  newChanged: number;
  /** end of the last changed line (just after its line break), in the old and the new text */
  oldEnd: number;
  newEnd: number;
}

/** Length of the common prefix (`fromEnd`: suffix) of two texts, at most `limit`, compared a block at a time. */
function common(a: string, b: string, limit: number, fromEnd: boolean): number {
  const part = (s: string, n: number, len: number): string => (fromEnd ? s.slice(s.length - n - len, s.length - n) : s.slice(n, n + len));
  let n = 0;
  for (const block of [1024, 32, 1]) {
    while (n + block <= limit && part(a, n, block) === part(b, n, block)) n += block;
  }
  return n;
}

/**
 * The edited lines: from the start of the first line that differs to the end of the last one, and where the
 * changed characters end. Whole lines, because a statement's results can depend on the rest of its line (a
 * `SET`'s fix).
 */
function changedLines(before: string, after: string): Edit {
  const limit = Math.min(before.length, after.length);
  const p = common(before, after, limit, false);
  const q = common(before, after, limit - p, true);
  return {
    start: p === 0 ? 0 : before.lastIndexOf('\n', p - 1) + 1,
    oldChanged: before.length - q,
    newChanged: after.length - q,
    oldEnd: lineEnd(before, before.length - q),
    newEnd: lineEnd(after, after.length - q),
  };
}

/** Just after the line break that ends the line containing `offset` (or the end of the text). */
function lineEnd(text: string, offset: number): number {
  const nl = text.indexOf('\n', offset);
  return nl < 0 ? text.length : nl + 1;
}

const terminated = (text: string, u: Unit): boolean => text.charCodeAt(u.top.end - 1) === 59; /* ; */

/**
 * The new text's statements: the old ones before the edited lines as they are, the ones from there on split and
 * parsed again up to an old statement after the edit that comes out the same (same place, text and leading
 * comments: the splitter is in step again), the old ones after it moved. `origins` says which old unit each new
 * unit is (with its shift), or undefined for the ones parsed again.
 */
function reparse(old: ParsedDocument, oldText: string, text: string, edit: Edit): { parsed: ParsedDocument; units: Unit[]; origins: Origin[] } {
  const oldUnits = unitsOf(old);
  const n = oldUnits.length;
  const delta = text.length - oldText.length;
  // the units kept as they are: ended by their `;` before the first edited line
  let front = 0;
  while (front < n && oldUnits[front].top.end <= edit.start && terminated(oldText, oldUnits[front])) front++;
  const regionStart = front > 0 ? oldUnits[front - 1].top.end : 0;
  // the first old unit that may come out the same: its leading comments after the changed characters, its text
  // after the edited lines
  let j = front;
  while (j < n && !(oldUnits[j].top.leadingStart >= edit.oldChanged && oldUnits[j].top.start >= edit.oldEnd)) j++;
  const firstCandidate = j;
  for (;;) {
    while (j < n && !terminated(oldText, oldUnits[j])) j++;
    const regionEnd = j < n ? oldUnits[j].top.end + delta : text.length;
    const region = parseDocument(text.slice(regionStart, regionEnd)).statements;
    const frontStatements = front < n ? oldUnits[front].first : old.statements.length;
    const regionUnits = unitsIn(region, 0, region.length);
    const anchor = j < n ? regionUnits[regionUnits.length - 1] : undefined;
    const o = j < n ? oldUnits[j] : undefined;
    if (
      o &&
      !(
        anchor &&
        anchor.top.start + regionStart === o.top.start + delta &&
        anchor.top.leadingStart + regionStart === o.top.leadingStart + delta &&
        anchor.top.end + regionStart === o.top.end + delta &&
        anchor.count === o.count &&
        anchor.top.text === o.top.text
      )
    ) {
      // not in step yet: take in more of the old units (twice as many each time)
      j = Math.min(n, j + Math.max(1, j - firstCandidate + 1));
      continue;
    }
    // assemble: front (same objects), the region (moved to document offsets), the rest (moved by delta)
    const statements: ParsedStatement[] = old.statements.slice(0, frontStatements);
    const units: Unit[] = oldUnits.slice(0, front);
    const origins: Origin[] = units.map((u) => ({ old: u, shift: 0 }));
    for (const s of region) statements.push(movedParsed(s, regionStart, frontStatements));
    regionUnits.forEach((u, i) => {
      const first = frontStatements + u.first;
      units.push({ top: statements[first], first, count: u.count, stateful: u.stateful });
      origins.push(o && i === regionUnits.length - 1 ? { old: o, shift: delta } : undefined);
    });
    for (let k = j + 1; k < n; k++) {
      const u = oldUnits[k];
      const first = statements.length;
      const renumber = first - u.first;
      for (let i = 0; i < u.count; i++) statements.push(movedParsed(old.statements[u.first + i], delta, renumber));
      units.push({ top: statements[first], first, count: u.count, stateful: u.stateful });
      origins.push({ old: u, shift: delta });
    }
    const parsed: ParsedDocument = { text, statements, wholeText: false };
    markTransactionBlocks(units);
    unitCache.set(parsed, units);
    return { parsed, units, origins };
  }
}

/**
 * Whether unit `k` can be blanked without changing how the text around it splits: it ends with its own `;`, and
 * so does the statement before it (two statements of one splitter chunk must stay together).
 */
function blankable(all: Unit[], k: number, text: string): boolean {
  if (!terminated(text, all[k])) return false;
  return k === 0 || terminated(text, all[k - 1]);
}

/**
 * The copy of the text up to `cut` that `analyzeDocument` analyses instead of it: the units not kept are blanked
 * (their text up to their `;`), everything else is kept as it is (the kept units, and the text between units:
 * comments, psql's meta-commands). `compact`: a blanked unit's text is removed but for its line breaks (every
 * line keeps its number; the copy of an edit in a large file is a few kilobytes instead of the whole text, which
 * every scan of the analysis would cross); otherwise it is replaced by spaces (every offset stays the same).
 */
export interface Copy {
  text: string;
  compact: boolean;
  /**
   * for each kept unit (by its index among the units): its offset in the text minus its offset in the copy, and the
   * part of the copy where that holds (from the end of the blank before the unit to the start of the blank after
   * it): a result in it is in its place in the text once moved by `shift`
   */
  kept: Map<number, { shift: number; from: number; to: number }>;
}

export function copyOf(text: string, cut: number, all: Unit[], keep: boolean[], compact: boolean): Copy {
  const parts: string[] = [];
  const kept: Copy['kept'] = new Map();
  let at = 0;
  let removed = 0;
  let open: { shift: number; from: number; to: number }[] = []; // kept since the last blank (`to` set at the next one)
  for (let k = 0; k < all.length && all[k].top.start < cut; k++) {
    if (keep[k]) {
      const span = { shift: removed, from: at - removed, to: 0 };
      kept.set(k, span);
      open.push(span);
      continue;
    }
    const start = all[k].top.start;
    const end = all[k].top.end - 1; // the `;` stays: the statement after it keeps its leading comments
    for (const span of open) span.to = start - removed;
    if (open.length) open = [];
    parts.push(text.slice(at, start));
    const body = text.slice(start, end);
    const breaks = body.includes('\n') || body.includes('\r');
    const blank = compact ? (breaks ? body.replace(/[^\r\n]+/g, '') : '') : breaks ? body.replace(/[^\r\n]/g, ' ') : ' '.repeat(body.length);
    parts.push(blank);
    removed += body.length - blank.length;
    at = end;
  }
  parts.push(text.slice(at, cut));
  for (const span of open) span.to = cut - removed;
  return { text: parts.join(''), compact, kept };
}

/**
 * Maps the index of each kept unit's top statement in the new text to its index in the copy, after checking that
 * the copy has exactly the kept statements, with the same texts, at the same offsets once moved by their unit's
 * shift; undefined otherwise. For a compacted copy, also that every result of a unit analysed again (its
 * statements' and findings' ranges, its fixes' edits) lies where its unit's shift holds (a result pointing
 * elsewhere, at another statement, would land in the wrong place).
 */
export function correspondence(analysis: DocumentAnalysisDetail, full: ParsedDocument, all: Unit[], copy: Copy, again: boolean[]): Map<number, number> | undefined {
  const copied = analysis.parsed.statements;
  const index = new Map<number, number>();
  // for the copy's statements analysed again, their unit's span (compacted copies only)
  const spans: ({ shift: number; from: number; to: number } | undefined)[] | undefined = copy.compact ? new Array(copied.length) : undefined;
  let c = 0;
  for (const [k, span] of copy.kept) {
    const u = all[k];
    index.set(u.first, c);
    for (let i = 0; i < u.count; i++, c++) {
      const a = copied[c];
      const b = full.statements[u.first + i];
      if (!a || a.start + span.shift !== b.start || a.end + span.shift !== b.end || a.text !== b.text || (a.parentIndex === undefined) !== (b.parentIndex === undefined)) return undefined;
      if (spans && again[k]) spans[c] = span;
    }
  }
  if (c !== copied.length) return undefined;
  if (spans) {
    const inside = (r: { start: number; end: number }, span: { from: number; to: number }): boolean => r.start >= span.from && r.end <= span.to;
    for (const s of analysis.statements) {
      const span = spans[s.index];
      if (span && (!inside(s.range, span) || (s.prediction.range && !inside(s.prediction.range, span)))) return undefined;
    }
    for (const f of analysis.findings) {
      const span = spans[f.statementIndex];
      if (span && (!inside(f.range, span) || f.fix?.edits.some((e) => !inside(e.range, span)))) return undefined;
    }
  }
  return index;
}

/** Index of the first finding of statement `index` or later (findings come in statement order). */
function firstFindingOf(findings: readonly Finding[], index: number): number {
  let lo = 0;
  let hi = findings.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (findings[mid].statementIndex < index) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

function findingsByStatement(findings: readonly Finding[]): Map<number, Finding[]> {
  const out = new Map<number, Finding[]>();
  for (const f of findings) {
    const list = out.get(f.statementIndex);
    if (list) list.push(f);
    else out.set(f.statementIndex, [f]);
  }
  return out;
}

const moveRange = (r: { start: number; end: number }, shift: number): { start: number; end: number } => ({ start: r.start + shift, end: r.end + shift });

/** A statement's result, `shift` characters later and `renumber` places further in the statement list. */
function movedStatement(s: StatementResult, shift: number, renumber: number): StatementResult {
  if (shift === 0 && renumber === 0) return s;
  const out: StatementResult = { ...s, index: s.index + renumber, range: moveRange(s.range, shift) };
  if (s.parentIndex !== undefined) out.parentIndex = s.parentIndex + renumber;
  if (s.prediction.range) out.prediction = { ...s.prediction, range: moveRange(s.prediction.range, shift) };
  return out;
}

/**
 * For each finding of an incremental analysis, the finding the analysis made that it is a moved copy of (or the
 * finding itself), in the findings' order; kept beside the analysis (its results are compared whole with
 * `analyzeDocument`'s).
 */
const FINDING_ORIGINS = new WeakMap<DocumentAnalysisDetail, readonly Finding[]>();
/** The same for the statements' results: the result each is a moved copy of (or itself). */
const STATEMENT_ORIGINS = new WeakMap<DocumentAnalysisDetail, readonly StatementResult[]>();

/** The findings of `analysis` as the analysis first made them (see FINDING_ORIGINS), in the same order. */
export function findingOrigins(analysis: DocumentAnalysisDetail): readonly Finding[] {
  return FINDING_ORIGINS.get(analysis) ?? analysis.findings;
}

/** A finding (and its fix), `shift` characters later, for the statement `renumber` places further. */
function movedFinding(f: Finding, shift: number, renumber: number): Finding {
  if (shift === 0 && renumber === 0) return f;
  const out: Finding = { ...f, statementIndex: f.statementIndex + renumber, range: moveRange(f.range, shift) };
  if (f.fix) out.fix = { ...f.fix, edits: f.fix.edits.map((e) => ({ ...e, range: moveRange(e.range, shift) })) };
  return out;
}
