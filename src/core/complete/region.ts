/**
 * Where the cursor is in a document being typed: the statement around it (which need not parse), inside a
 * function body when the cursor is in one, and the session's search_path there.
 */
import type { ParsedDocument } from '../parse/document';
import { scanScript } from '../parse/split';
import { applyStatement, newSession } from '../schema/ddl';
import { SchemaModel } from '../schema/model';
import { significant, tokenize, type Token } from './lexer';

export interface StatementRegion {
  /** character offsets of the statement's text in the document (from its first token) */
  start: number;
  end: number;
  /** the statement is inside a function body (LANGUAGE sql or plpgsql, DO) */
  nested: boolean;
}

/** Words that open a SQL statement inside a PL/pgSQL block. */
const SQL_START = new Set(['select', 'insert', 'update', 'delete', 'with', 'merge', 'values', 'perform', 'table']);

/**
 * The statement the cursor is in, or, between statements, an empty one at the cursor. Undefined when the cursor
 * is in a comment or in a string that is not a function body.
 */
export function statementRegionAt(text: string, offset: number): StatementRegion | undefined {
  const scanned = scanScript(text);
  const chunk = chunkAt(scanned.statements, scanned.cleaned, 0, offset);
  if (!chunk) return inComment(text, scanned.statements, offset) ? undefined : { start: offset, end: offset, nested: false };
  const tokens = tokenize(scanned.cleaned, chunk.start, chunk.end);
  const at = tokens.find((t) => t.start < offset && (offset < t.end || (t.unterminated && offset === t.end)));
  if (at?.kind === 'comment') return undefined;
  if (at?.kind === 'string') {
    if (!isBody(scanned.cleaned, at)) return { start: chunk.start, end: chunk.end, nested: false };
    return bodyStatementAt(scanned.cleaned, at, offset);
  }
  return { start: chunk.start, end: chunk.end, nested: false };
}

/** Between statements: whether the cursor is in a comment (the text there is nothing but comments and blanks). */
function inComment(text: string, statements: readonly { start: number; end: number }[], offset: number): boolean {
  let from = 0;
  let to = text.length;
  for (const s of statements) {
    if (s.end <= offset) from = s.end;
    else if (s.start > offset) {
      to = s.start;
      break;
    }
  }
  return tokenize(text, from, to).some((t) => t.kind === 'comment' && t.start < offset && (offset < t.end || (offset === t.end && (t.unterminated || text[t.start] === '-'))));
}

/** A dollar-quoted string is a function body (CREATE FUNCTION ... AS $$ ... $$, DO $$ ... $$). */
function isBody(text: string, t: Token): boolean {
  return text[t.start] === '$';
}

/** The SQL statement inside a function body that holds the cursor (PL/pgSQL words before it skipped). */
function bodyStatementAt(text: string, body: Token, offset: number): StatementRegion | undefined {
  const open = /^\$[^$]*\$/.exec(text.slice(body.start, body.start + 64))?.[0].length ?? 2;
  const from = body.start + open;
  const to = body.unterminated ? body.end : body.end - open;
  const inner = scanScript(text.slice(from, to), { psql: false });
  const chunk = chunkAt(inner.statements, inner.cleaned, from, offset);
  if (!chunk) return { start: offset, end: offset, nested: true };
  const tokens = significant(tokenize(text, chunk.start, Math.min(to, chunk.end)));
  const at = tokens.find((t) => t.start < offset && offset <= t.end);
  if (at && (at.kind === 'comment' || at.kind === 'string')) return undefined;
  // BEGIN / DECLARE ... / IF ... THEN / LOOP / RETURN QUERY before the statement: start at its first SQL word
  const first = tokens.find((t) => t.kind === 'ident' && SQL_START.has(t.value) && t.start <= offset);
  if (!first) return { start: offset, end: offset, nested: true };
  return { start: first.start, end: Math.min(to, chunk.end), nested: true };
}

/**
 * The statement of a split script (offsets relative to `base`) that holds `offset`: from its first token to its
 * `;` (just after the `;` is the next statement), or, without `;`, up to the next statement.
 */
function chunkAt(statements: readonly { start: number; end: number }[], cleaned: string, base: number, offset: number): { start: number; end: number } | undefined {
  for (let k = 0; k < statements.length; k++) {
    const s = statements[k];
    const start = base + s.start;
    if (start > offset) break;
    const terminated = cleaned.charCodeAt(s.end - 1) === 59;
    const end = terminated ? base + s.end : base + (statements[k + 1]?.start ?? cleaned.length);
    if (offset < end || (!terminated && offset === end)) return { start, end: Math.max(start, terminated ? end : base + s.end) };
  }
  return undefined;
}

/** The search_path in effect at `offset`: the document's SET search_path statements before it, in order. */
export function searchPathAt(parsed: ParsedDocument, offset: number): string[] {
  const session = newSession();
  let scratch: SchemaModel | undefined;
  for (const stmt of parsed.statements) {
    if (stmt.start >= offset) break;
    const set = stmt.parentIndex === undefined ? stmt.ast?.VariableSetStmt : undefined;
    if (!set || String(set.name ?? '').toLowerCase() !== 'search_path') continue;
    applyStatement(stmt, { model: (scratch ??= new SchemaModel()), session, source: '' });
  }
  return session.searchPath;
}
