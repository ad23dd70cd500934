/**
 * Parses a whole document: splits it (psql-aware), parses each statement on its own, and descends into
 * function bodies (LANGUAGE sql, plpgsql, DO blocks, `EXECUTE '...'`) and PREPARE so that the statements
 * inside are analysed with positions in the outer document.
 */
import { ByteOffsetMap } from './offsets';
import { isParseMemoEnabled, parsePlpgsql, parseSql, scanTokens, type PgNode } from './libpg';
import { scanScript, type PsqlVariable } from './split';
import { findStringLiterals, type StringLiteral } from './literals';
import { expandFormatCall } from './format';

export interface ParseError {
  message: string;
  /** character offset in the document */
  offset: number;
  /** not a syntax error: the statement is nested more deeply than the parser's stack allows */
  tooDeep?: boolean;
}

export interface ParsedStatement {
  /** position in the document's statement list (nested statements follow their enclosing one) */
  index: number;
  /** character offsets in the document */
  start: number;
  end: number;
  /** where the comments before this statement begin (for inline directives) */
  leadingStart: number;
  /** the statement's text as parsed (psql-only parts blanked) */
  text: string;
  /** the statement node, e.g. `{ InsertStmt: {...} }`; absent when it did not parse */
  ast?: PgNode;
  error?: ParseError;
  /** the enclosing statement (CREATE FUNCTION / DO) for statements inside a body */
  parentIndex?: number;
  /** PL/pgSQL variables and function parameters visible to a statement inside a function body */
  variables: string[];
  psqlVariables: PsqlVariable[];
  /** converts a libpg-query node location (UTF-8 bytes into `text`) to a document offset */
  toDocumentOffset(location: number): number;
  /**
   * the text was built, not written (`EXECUTE format(...)` with constant arguments): its positions map onto
   * the template, and no fix can be written back into it
   */
  generated?: boolean;
  /**
   * run inside a PL/pgSQL block with an EXCEPTION clause (`BEGIN .. EXCEPTION WHEN .. THEN .. END`): an error it raises
   * may be caught there, and the block goes on
   */
  caught?: boolean;
}

export interface ParsedDocument {
  text: string;
  statements: ParsedStatement[];
  /** whether the text was parsed in one call (the fast path) rather than statement by statement */
  wholeText: boolean;
}

const MAX_BODY_DEPTH = 3;

export interface ParseDocumentOptions {
  /** allow the one-call fast path (default true; a test compares both paths) */
  wholeText?: boolean;
}

let wholeTextAllowed = true;

export function parseDocument(text: string, options: ParseDocumentOptions = {}): ParsedDocument {
  const statements: ParsedStatement[] = [];
  const previous = wholeTextAllowed;
  wholeTextAllowed = options.wholeText ?? true;
  let whole: boolean;
  try {
    whole = parseChunks(text, 0, true, statements, undefined, [], 0);
  } finally {
    wholeTextAllowed = previous;
  }
  return { text, statements, wholeText: whole };
}

/**
 * Splits `source` (which starts at document offset `base`) and parses its statements into `out`; true when
 * it took the whole-text fast path.
 */
function parseChunks(
  source: string,
  base: number,
  psql: boolean,
  out: ParsedStatement[],
  parentIndex: number | undefined,
  variables: string[],
  depth: number,
): boolean {
  if (wholeTextAllowed && !isParseMemoEnabled() && parseInPieces(source, base, psql, out, parentIndex, variables, depth)) return true;
  const scanned = scanScript(source, { psql });
  for (const chunk of scanned.statements) {
    const text = scanned.cleaned.slice(chunk.start, chunk.end);
    parseOne(text, base + chunk.start, base + chunk.leadingStart, chunk.psqlVariables.map((v) => shift(v, base)), out, parentIndex, variables, depth);
  }
  return false;
}

/** Text that may use psql syntax: a backslash (meta-commands), a `:variable`, or COPY data after FROM STDIN. */
const MAYBE_PSQL = /\\|(?:^|[^:]):['"A-Za-z_]|\bFROM\s+STDIN\b/i;

/** The most text the fast path gives the parser in one call (see parseInPieces). */
const PIECE_CHARS = 64 * 1024;
/** How many later line ends a piece may try when the one it was cut at is not a statement's end. */
const PIECE_ATTEMPTS = 4;

/**
 * The fast path (parseWholeText) on pieces of about PIECE_CHARS: the parser's WebAssembly memory grows to hold one
 * call's parse tree and JSON and never shrinks, so a 750 kB file parsed in one call kept 25 MB more for the rest
 * of the run. A piece ends just after a `;` at the end of a line, and counts only if that `;` ends its last
 * statement: a cut in a string, a comment, a dollar-quoted body or BEGIN ATOMIC leaves a piece that does not parse,
 * or ends in something else, and the piece is cut at a later line end instead. When no cut works, nothing is kept
 * and the caller parses statement by statement, as for any text the fast path declines.
 */
function parseInPieces(
  source: string,
  base: number,
  psql: boolean,
  out: ParsedStatement[],
  parentIndex: number | undefined,
  variables: string[],
  depth: number,
): boolean {
  if (source.length <= PIECE_CHARS) return parseWholeText(source, base, psql, out, parentIndex, variables, depth);
  if (psql && MAYBE_PSQL.test(source)) return false;
  const kept = out.length;
  const lineEnd = /;[ \t]*\r?\n/g;
  let from = 0;
  while (from < source.length) {
    let cutFrom = from + PIECE_CHARS;
    let next: number | undefined;
    for (let attempt = 0; attempt < PIECE_ATTEMPTS && next === undefined; attempt++) {
      let to = source.length;
      if (cutFrom < source.length) {
        lineEnd.lastIndex = cutFrom;
        const m = lineEnd.exec(source);
        if (m) to = m.index + 1;
      }
      const before = out.length;
      // (the last piece may end in comments; parseWholeText checks that only those follow its last statement)
      if (parseWholeText(source.slice(from, to), base + from, psql, out, parentIndex, variables, depth) && (to === source.length || lastEnd(out, before, parentIndex) === base + to)) next = to;
      else {
        out.length = before;
        if (to === source.length) break;
        cutFrom = to;
      }
    }
    if (next === undefined) {
      out.length = kept;
      return false;
    }
    from = next;
  }
  return true;
}

/** The end of the last statement at this level (not inside a body) among out[from..]. */
function lastEnd(out: readonly ParsedStatement[], from: number, parentIndex: number | undefined): number | undefined {
  for (let k = out.length - 1; k >= from; k--) if (out[k].parentIndex === parentIndex) return out[k].end;
  return undefined;
}

/**
 * The fast path for text that parses as a whole and has no psql syntax (most files): one parser call for the
 * whole text, with the parser's statement boundaries, instead of splitting it and parsing each statement (the
 * split and the per-call cost are ≈ 7% of the analysis). It gives exactly what the statement-by-statement path
 * gives (test/core/parse-fast-path.test.ts compares them on every SQL file of the repository and the corpus);
 * wherever it could differ it adds nothing and returns false: a syntax error anywhere (so one broken statement
 * still cannot hide the others), a last statement without `;`, empty statements, psql syntax. Not taken when
 * parses are memoised (the language server), where per-statement parsing lets an edit re-parse only the edited
 * statement.
 */
function parseWholeText(
  source: string,
  base: number,
  psql: boolean,
  out: ParsedStatement[],
  parentIndex: number | undefined,
  variables: string[],
  depth: number,
): boolean {
  if (psql && MAYBE_PSQL.test(source)) return false;
  const result = parseSql(' ' + source); // see toText
  if (!result.ok || result.statements.length === 0) return false;
  const map = new ByteOffsetMap(source);
  // the parser's statement k spans from just after the previous `;` (leading comments included) to just before its own
  const ranges: { leading: number; start: number; end: number }[] = [];
  for (const raw of result.statements) {
    if (!raw.length) return false; // no `;` after the last statement: its end is its last token, which the parser does not give
    const leading = map.toChar(toText(raw.location));
    const semicolon = map.toChar(toText(raw.location + raw.length));
    if (source.charCodeAt(semicolon) !== 59 /* ; */) return false;
    const start = skipTrivia(source, leading, semicolon);
    if (start >= semicolon || source.slice(leading, start).includes(';')) return false;
    ranges.push({ leading, start, end: semicolon + 1 });
  }
  if (skipTrivia(source, ranges[ranges.length - 1].end, source.length) !== source.length) return false;
  let byteAt = 0;
  let charAt = 0;
  for (let k = 0; k < ranges.length; k++) {
    const { leading, start, end } = ranges[k];
    byteAt += map.isAscii ? start - charAt : Buffer.byteLength(source.slice(charAt, start), 'utf8');
    charAt = start;
    const stmtStart = base + start;
    const stmtByte = byteAt;
    const parsed: ParsedStatement = {
      index: out.length,
      start: stmtStart,
      end: base + end,
      leadingStart: base + leading,
      text: source.slice(start, end),
      ast: result.statements[k].stmt,
      parentIndex,
      variables,
      psqlVariables: [],
      // locations are into the whole text; one before the statement (a missing one read as 0) is its start
      toDocumentOffset: (location: number) => {
        const t = toText(location);
        return t <= stmtByte ? stmtStart : base + map.toChar(t);
      },
    };
    out.push(parsed);
    if (depth < MAX_BODY_DEPTH) parseBodies(parsed, out, depth + 1);
  }
  return true;
}

/** Skips whitespace and comments (line comments and nested block comments) from `i`, up to `limit`. */
function skipTrivia(text: string, i: number, limit: number): number {
  while (i < limit) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12 || c === 11) {
      i++;
    } else if (c === 45 && text.charCodeAt(i + 1) === 45) {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? limit : nl + 1;
    } else if (c === 47 && text.charCodeAt(i + 1) === 42) {
      let nest = 1;
      i += 2;
      while (i < limit && nest > 0) {
        if (text.charCodeAt(i) === 47 && text.charCodeAt(i + 1) === 42) {
          nest++;
          i += 2;
        } else if (text.charCodeAt(i) === 42 && text.charCodeAt(i + 1) === 47) {
          nest--;
          i += 2;
        } else i++;
      }
    } else break;
  }
  return Math.min(i, limit);
}

/**
 * SQL is parsed after one space, so that no node sits at location 0, which libpg-query's JSON leaves out (a
 * protobuf default): every node then has its location, whether a statement is parsed alone or in a whole
 * file. This undoes the shift (a missing location, read as 0, stays 0).
 */
function toText(location: number): number {
  return location > 0 ? location - 1 : 0;
}

function shift(v: PsqlVariable, base: number): PsqlVariable {
  return { ...v, start: v.start + base, end: v.end + base };
}

function parseOne(
  text: string,
  start: number,
  leadingStart: number,
  psqlVariables: PsqlVariable[],
  out: ParsedStatement[],
  parentIndex: number | undefined,
  variables: string[],
  depth: number,
): void {
  const map = new ByteOffsetMap(text);
  const toDocumentOffset = (location: number): number => start + map.toChar(toText(location));
  const result = parseSql(' ' + text); // see toText
  if (!result.ok) {
    out.push({
      index: out.length,
      start,
      end: start + text.length,
      leadingStart,
      text,
      error: { message: result.message, offset: start + Math.max(0, result.offset - 1), ...(result.tooDeep ? { tooDeep: true } : {}) },
      parentIndex,
      variables,
      psqlVariables,
      toDocumentOffset,
    });
    return;
  }
  if (result.statements.length === 0) return;
  for (const [k, raw] of result.statements.entries()) {
    const s = map.toChar(toText(raw.location));
    const e = raw.length !== undefined && raw.length > 0 ? map.toChar(toText(raw.location + raw.length)) : text.length;
    const stmtText = result.statements.length === 1 ? text : text.slice(s, e);
    const stmtStart = start + (result.statements.length === 1 ? 0 : s);
    const stmtMap = result.statements.length === 1 ? map : new ByteOffsetMap(stmtText);
    const byteShift = result.statements.length === 1 ? 0 : toText(raw.location);
    const parsed: ParsedStatement = {
      index: out.length,
      start: stmtStart,
      end: stmtStart + stmtText.length,
      leadingStart: k === 0 ? leadingStart : stmtStart,
      text: stmtText,
      ast: raw.stmt,
      parentIndex,
      variables,
      psqlVariables,
      toDocumentOffset: (location: number) => stmtStart + stmtMap.toChar(toText(location) - byteShift),
    };
    out.push(parsed);
    if (depth < MAX_BODY_DEPTH) parseBodies(parsed, out, depth + 1);
  }
}

/** Finds the SQL inside CREATE FUNCTION / PROCEDURE and DO bodies and parses it. */
function parseBodies(stmt: ParsedStatement, out: ParsedStatement[], depth: number): void {
  const ast = stmt.ast;
  if (!ast) return;
  if (ast.PrepareStmt) {
    parsePreparedQuery(stmt, out, depth);
    return;
  }
  if (ast.CopyStmt?.query) {
    parseCopyQuery(stmt, out, depth);
    return;
  }
  let options: PgNode[] = [];
  let params: string[] = [];
  if (ast.CreateFunctionStmt) {
    const fn = ast.CreateFunctionStmt;
    options = fn.options ?? [];
    params = (fn.parameters ?? []).map((p: PgNode) => p.FunctionParameter?.name).filter((x: unknown): x is string => !!x);
    // a parameter can be qualified with the function's name (`fname.param`)
    const fname = (fn.funcname ?? []).map((n: PgNode) => n.String?.sval).pop();
    if (params.length && fname) params.push(fname);
    // a trigger function's implicit variables (plpgsql's trigger datums)
    const returns = (fn.returnType?.names ?? []).map((n: PgNode) => n.String?.sval).pop();
    if (returns === 'trigger') params.push(...TRIGGER_VARIABLES);
    else if (returns === 'event_trigger') params.push('tg_event', 'tg_tag');
    if (fn.sql_body) {
      parseAtomicBody(stmt, out, params, depth);
      return;
    }
  } else if (ast.DoStmt) {
    options = ast.DoStmt.args ?? [];
  } else return;

  let language = ast.DoStmt ? 'plpgsql' : 'sql';
  let body: string | undefined;
  for (const o of options) {
    const d = o.DefElem;
    if (!d) continue;
    if (d.defname === 'language') language = String(d.arg?.String?.sval ?? language).toLowerCase();
    if (d.defname === 'as') {
      const items: PgNode[] = d.arg?.List?.items ?? (d.arg ? [d.arg] : []);
      body = items[0]?.String?.sval;
    }
  }
  if (body === undefined) return;
  const literal = findStringLiterals(stmt.text).find((l) => l.content === body);
  if (!literal) return;

  if (language === 'sql') {
    parseLiteralAsScript(stmt, literal, out, params, depth);
  } else if (language === 'plpgsql') {
    parsePlpgsqlBody(stmt, literal, out, params, depth);
  }
}

function parseLiteralAsScript(
  parent: ParsedStatement,
  literal: StringLiteral,
  out: ParsedStatement[],
  variables: string[],
  depth: number,
): void {
  if (literal.rawOffset(literal.content.length) - literal.rawOffset(0) === literal.content.length) {
    // no escapes: the content maps to the document linearly
    parseChunks(literal.content, parent.start + literal.rawOffset(0), false, out, parent.index, variables, depth);
    return;
  }
  // escaped quotes inside '...': parse the decoded text, then move positions back through the literal's map
  const first = out.length;
  parseChunks(literal.content, 0, false, out, parent.index, variables, depth);
  remapStatements(out, first, (o) => parent.start + literal.rawOffset(o));
}

/** Moves statements parsed from a decoded string (offsets into the string) to document offsets. */
function remapStatements(out: ParsedStatement[], first: number, toDoc: (offset: number) => number): void {
  for (let k = first; k < out.length; k++) {
    const s = out[k];
    const inner = s.toDocumentOffset;
    s.start = toDoc(s.start);
    s.end = toDoc(s.end);
    s.leadingStart = toDoc(s.leadingStart);
    if (s.error) s.error.offset = toDoc(s.error.offset);
    s.toDocumentOffset = (location: number) => toDoc(inner(location));
  }
}

/** `PREPARE name [(types)] AS`: what follows is the prepared statement (its `$n` are parameters). */
const PREPARE_HEAD = /^PREPARE\s+(?:"(?:[^"]|"")*"|[^\s(]+)\s*(?:\([^)]*\))?\s*AS\b\s*/i;

/** The statement of a PREPARE, analysed as a nested statement with its real positions. */
function parsePreparedQuery(stmt: ParsedStatement, out: ParsedStatement[], depth: number): void {
  const m = PREPARE_HEAD.exec(stmt.text);
  if (!m) return;
  const at = m[0].length;
  parseOne(stmt.text.slice(at), stmt.start + at, stmt.start + at, stmt.psqlVariables, out, stmt.index, stmt.variables, depth);
}

/**
 * `COPY (query) TO ..`: the query runs as a statement of its own (planned and run like it, with its errors), parsed
 * from between the parentheses as PostgreSQL's lexer finds them (strings, comments and dollar quotes included).
 */
function parseCopyQuery(stmt: ParsedStatement, out: ParsedStatement[], depth: number): void {
  const tokens = scanTokens(stmt.text);
  // (COPY, then the parenthesis)
  if (!tokens || tokens[1]?.text !== '(') return;
  let level = 0;
  let close = -1;
  for (let k = 1; k < tokens.length && close < 0; k++) {
    if (tokens[k].text === '(') level++;
    else if (tokens[k].text === ')' && --level === 0) close = k;
  }
  if (close < 0) return;
  const map = new ByteOffsetMap(stmt.text);
  const from = map.toChar(tokens[1].end);
  const to = map.toChar(tokens[close].start);
  parseOne(stmt.text.slice(from, to), stmt.start + from, stmt.start + from, stmt.psqlVariables, out, stmt.index, stmt.variables, depth);
}

/** `BEGIN ATOMIC ... END` (SQL-standard bodies): parse the statements between the keywords. */
function parseAtomicBody(stmt: ParsedStatement, out: ParsedStatement[], variables: string[], depth: number): void {
  const m = /\bBEGIN\s+ATOMIC\b/i.exec(stmt.text);
  if (!m) return;
  const bodyStart = m.index + m[0].length;
  const endMatch = /\bEND\s*;?\s*$/i.exec(stmt.text);
  const bodyEnd = endMatch ? endMatch.index : stmt.text.length;
  parseChunks(stmt.text.slice(bodyStart, bodyEnd), stmt.start + bodyStart, false, out, stmt.index, variables, depth);
}

/** The variables PL/pgSQL declares in every trigger function. */
const TRIGGER_VARIABLES = ['new', 'old', 'tg_name', 'tg_when', 'tg_level', 'tg_op', 'tg_relid', 'tg_relname', 'tg_table_name', 'tg_table_schema', 'tg_nargs', 'tg_argv'];

function parsePlpgsqlBody(
  stmt: ParsedStatement,
  literal: StringLiteral,
  out: ParsedStatement[],
  params: string[],
  depth: number,
): void {
  const source = stmt.ast?.DoStmt
    ? `CREATE FUNCTION citus_rollups_do_block() RETURNS void LANGUAGE plpgsql AS ${stmt.text.slice(literal.start, literal.end)}`
    : stmt.text;
  const parsed = parsePlpgsql(source);
  if (!parsed.ok) {
    out.push({
      index: out.length,
      start: stmt.start + literal.start,
      end: stmt.start + literal.end,
      leadingStart: stmt.start + literal.start,
      text: literal.content,
      error: { message: `PL/pgSQL: ${parsed.message}`, offset: stmt.start + literal.rawOffset(plpgsqlErrorOffset(parsed.message, literal.content)) },
      parentIndex: stmt.index,
      variables: params,
      psqlVariables: [],
      toDocumentOffset: () => stmt.start + literal.start,
    });
    return;
  }
  const variables = [...params];
  // `name ALIAS FOR $1` declarations name a parameter (they are not datums of their own)
  for (const m of literal.content.matchAll(/\b([A-Za-z_][\w$]*)\s+ALIAS\s+FOR\b/gi)) if (!variables.includes(m[1].toLowerCase())) variables.push(m[1].toLowerCase());
  const queries: PlpgsqlQuery[] = [];
  collectPlpgsql(parsed.tree, variables, queries, false);

  const body = literal.content;
  let cursor = 0;
  for (const q of queries) {
    const at = locateQuery(body, q.query, cursor);
    if (at < 0) continue;
    cursor = at + q.query.length;
    const first = out.length;
    parsePlpgsqlQuery(stmt, literal, out, variables, depth, q, at);
    if (q.caught) for (let k = first; k < out.length; k++) out[k].caught = true;
  }
}

/** The SQL a PL/pgSQL body runs: as written, or built for EXECUTE; whether a block's EXCEPTION clause surrounds it. */
interface PlpgsqlQuery {
  query: string;
  dynamic: boolean;
  caught: boolean;
}

/** Parses one query of a PL/pgSQL body (found at `at` in the body) into `out`. */
function parsePlpgsqlQuery(stmt: ParsedStatement, literal: StringLiteral, out: ParsedStatement[], variables: string[], depth: number, q: PlpgsqlQuery, at: number): void {
  if (!q.dynamic) {
    if (!/^\s*(WITH|INSERT|UPDATE|DELETE|MERGE|SELECT|SET|COPY)\b/i.test(q.query)) return;
    const textInBody = q.query; // PL/pgSQL blanks `INTO target` with spaces, keeping the length
    const docStart = stmt.start + literal.rawOffset(at);
    if (literal.rawOffset(at + textInBody.length) - literal.rawOffset(at) === textInBody.length) {
      parseOne(textInBody, docStart, docStart, [], out, stmt.index, variables, depth);
    }
    return;
  }
  // EXECUTE format('<template>', <constants>): the statement format() builds, mapped onto the template
  const formatted = expandFormatCall(q.query);
  if (formatted) {
    const first = out.length;
    parseChunks(formatted.text, 0, false, out, stmt.index, variables, depth);
    for (let k = first; k < out.length; k++) out[k].generated = true;
    remapStatements(out, first, (o) => stmt.start + literal.rawOffset(at + formatted.offsets[Math.max(0, Math.min(o, formatted.offsets.length - 1))]));
    return;
  }
  // EXECUTE '<sql>' / EXECUTE $x$<sql>$x$ [USING ...]: only a single literal is static SQL
  const inner = findStringLiterals(q.query);
  if (inner.length !== 1 || q.query.slice(0, inner[0].start).trim() !== '' || q.query.slice(inner[0].end).trim() !== '') return;
  const lit = inner[0];
  const first = out.length;
  parseChunks(lit.content, 0, false, out, stmt.index, variables, depth);
  remapStatements(out, first, (o) => stmt.start + literal.rawOffset(at + lit.rawOffset(o)));
}

/** Walks a PL/pgSQL parse tree (JSON) in order, collecting variable names and the SQL it runs. */
function collectPlpgsql(node: unknown, variables: string[], queries: PlpgsqlQuery[], caught: boolean): void {
  if (Array.isArray(node)) {
    for (const item of node) collectPlpgsql(item, variables, queries, caught);
    return;
  }
  if (!node || typeof node !== 'object') return;
  const obj = node as PgNode;
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'PLpgSQL_var' || key === 'PLpgSQL_rec') {
      const name = value?.refname;
      if (typeof name === 'string' && name !== 'found' && !variables.includes(name)) variables.push(name);
    } else if (key === 'PLpgSQL_stmt_execsql') {
      const q = value?.sqlstmt?.PLpgSQL_expr?.query;
      if (typeof q === 'string') queries.push({ query: q, dynamic: false, caught });
      continue;
    } else if (key === 'PLpgSQL_stmt_dynexecute') {
      const q = value?.query?.PLpgSQL_expr?.query;
      if (typeof q === 'string') queries.push({ query: q, dynamic: true, caught });
      continue;
    } else if (key === 'PLpgSQL_stmt_return_query') {
      const q = value?.query?.PLpgSQL_expr?.query;
      if (typeof q === 'string') queries.push({ query: q, dynamic: false, caught });
      const dq = value?.dynquery?.PLpgSQL_expr?.query;
      if (typeof dq === 'string') queries.push({ query: dq, dynamic: true, caught });
      continue;
    } else if (key === 'PLpgSQL_stmt_block' && value?.exceptions) {
      // BEGIN .. EXCEPTION .. END: the block's statements may have their errors caught, the handlers' not by it
      collectPlpgsql(value.body, variables, queries, true);
      collectPlpgsql(value.exceptions, variables, queries, caught);
      continue;
    }
    collectPlpgsql(value, variables, queries, caught);
  }
}

/**
 * Finds a query from the PL/pgSQL tree in the body text. The parser replaces `INTO target` with
 * spaces of the same length, so compare only the characters that are not blanks in the query.
 */
function locateQuery(body: string, query: string, from: number): number {
  const exact = body.indexOf(query, from);
  if (exact >= 0) return exact;
  const head = query.split(/\s{2,}/)[0];
  if (!head) return -1;
  let at = body.indexOf(head, from);
  while (at >= 0) {
    let same = true;
    for (let k = 0; k < query.length && same; k++) {
      if (query[k] !== ' ' && query[k] !== body[at + k]) same = false;
    }
    if (same) return at;
    at = body.indexOf(head, at + 1);
  }
  return -1;
}

/**
 * Where a PL/pgSQL syntax error is: the parser reports only `... at or near "token"`, so look for that
 * token in the body (the first occurrence as a whole word); the body start when it is not found.
 */
function plpgsqlErrorOffset(message: string, body: string): number {
  const m = /at or near "((?:[^"]|"")*)"/.exec(message);
  if (!m || !m[1]) return 0;
  const token = m[1].replace(/""/g, '"');
  const escaped = token.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const re = /^\w/.test(token) ? new RegExp(`(?<![\\w$])${escaped}(?![\\w$])`) : new RegExp(escaped);
  const at = re.exec(body);
  return at ? at.index : 0;
}

/** On a moved statement: the `toDocumentOffset` of the statement it was first moved from, and the total shift. */
const MOVED_FROM = Symbol('movedFrom');
type Moved = ParsedStatement & { [MOVED_FROM]?: { toDocumentOffset: (location: number) => number; shift: number } };

/** A parsed statement `shift` characters later and `renumber` places further (its tree is shared). */
export function movedParsed(s: Moved, shift: number, renumber: number): ParsedStatement {
  if (shift === 0 && renumber === 0) return s;
  const inner = s[MOVED_FROM]?.toDocumentOffset ?? s.toDocumentOffset;
  const total = (s[MOVED_FROM]?.shift ?? 0) + shift;
  const out: Moved = {
    index: s.index + renumber,
    start: s.start + shift,
    end: s.end + shift,
    leadingStart: s.leadingStart + shift,
    text: s.text,
    variables: s.variables,
    psqlVariables: s.psqlVariables.length ? s.psqlVariables.map((v) => ({ ...v, start: v.start + shift, end: v.end + shift })) : s.psqlVariables,
    // one function deep however often the statement moves
    toDocumentOffset: total === 0 ? inner : (location: number) => inner(location) + total,
    [MOVED_FROM]: { toDocumentOffset: inner, shift: total },
  };
  if (s.ast !== undefined) out.ast = s.ast;
  if (s.error) out.error = { ...s.error, offset: s.error.offset + shift };
  if (s.parentIndex !== undefined) out.parentIndex = s.parentIndex + renumber;
  return out;
}
