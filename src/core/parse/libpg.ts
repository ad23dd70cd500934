/**
 * The libpg-query adapter: the only module that calls the parser. Never throws: a parse failure is
 * returned as data with a character offset into the parsed text.
 */
import { walk } from './ast';
import { ByteOffsetMap } from './offsets';

type Parser = typeof import('@libpg-query/parser');

let pg: Parser;
let loading: Promise<void> | undefined;
let loaded = false;

/**
 * Loads the parser's WebAssembly module once. Every other function here needs it loaded. The package is
 * required here, not imported at the top: requiring it starts compiling the WebAssembly, so a command that
 * never parses (`--help`, `scaffold`) never pays for it, and a shell can set V8's WebAssembly flags first.
 */
export function loadParser(): Promise<void> {
  if (!loading) {
    pg = require('@libpg-query/parser') as Parser;
    // the language server's launcher may have compiled the module already (src/launch/parserPreload.ts); its hook
    // cannot fail through Emscripten, so its failure is raced here
    const preload = (globalThis as { __citusRollupsParserModule?: { failed?: Promise<never> } }).__citusRollupsParserModule;
    loading = Promise.race([pg.loadModule(), ...(preload?.failed ? [preload.failed] : [])]).then(
      () => {
        loaded = true;
      },
      (e: unknown) => {
        // Emscripten's abort wraps the cause: `Aborted(Error: ENOENT: ...). Build with -sASSERTIONS for more info.`
        const cause = errorMessage(e).replace(/^Aborted\(([\s\S]*)\)\. Build with -sASSERTIONS[\s\S]*$/, '$1').replace(/\.$/, '');
        throw new ParserLoadError(cause);
      },
    );
  }
  return loading;
}

/** The parser's WebAssembly did not load (a broken install: the file is missing or damaged). */
export class ParserLoadError extends Error {
  override name = 'ParserLoadError';

  constructor(cause: string, file = 'libpg-query.wasm') {
    super(`the SQL parser (${file}) did not load: ${cause}`);
  }
}

/**
 * Rethrows `e` when it says the parser itself is broken: a ParserLoadError, or a function of the parser's WebAssembly
 * that V8 could not compile on its first call (the file is damaged; the CLI validates each function when it is first
 * compiled, src/launch/v8Settings.ts), thrown as the parser's failure to load. Whatever the statement, that is never
 * its syntax error, nor an internal error of its analysis.
 */
export function rethrowIfParserBroken(e: unknown, file?: string): void {
  if (e instanceof ParserLoadError) throw e;
  if (e instanceof Error && e.name === 'CompileError') throw new ParserLoadError(e.message, file);
}

export function isParserLoaded(): boolean {
  return loaded;
}

/** A raw parse tree node as libpg-query returns it: `{ NodeType: { ...fields } }`. */
export type PgNode = Record<string, any>;

export interface RawStatement {
  stmt: PgNode;
  /** byte offset of the statement in the parsed text */
  location: number;
  /** byte length, when the parser gives one */
  length?: number;
}

export type ParseOutcome =
  | { ok: true; statements: RawStatement[] }
  | { ok: false; message: string; /** character offset into the parsed text */ offset: number; /** the parser ran out of stack: no syntax error */ tooDeep?: boolean };

/** A JavaScript or WebAssembly stack overflow (V8 reports both as this RangeError). */
export function isStackOverflow(e: unknown): boolean {
  return e instanceof RangeError && /call stack size exceeded/i.test(e.message);
}

/**
 * An optional memo of parse results by statement text, for the language server: on each keystroke only
 * the edited statement is parsed again. Parse trees are shared, so nothing may mutate them (nothing
 * in the core does). Off by default, so the CLI and the benchmarks measure real parsing.
 */
class ParseMemo<T> {
  private readonly entries = new Map<string, T>();
  constructor(private readonly max: number) {}
  get(key: string): T | undefined {
    const v = this.entries.get(key);
    if (v !== undefined) {
      this.entries.delete(key);
      this.entries.set(key, v); // most recently used last
    }
    return v;
  }
  set(key: string, value: T): void {
    this.entries.set(key, value);
    if (this.entries.size > this.max) this.entries.delete(this.entries.keys().next().value as string);
  }
}

let sqlMemo: ParseMemo<ParseOutcome> | undefined;
let plpgsqlMemo: ParseMemo<PlpgsqlOutcome> | undefined;

export function enableParseMemo(maxEntries = 20000): void {
  sqlMemo = new ParseMemo(maxEntries);
  plpgsqlMemo = new ParseMemo(Math.max(100, maxEntries / 20));
}

/** Turns the memo off again (tests that run a part of the server in the test process). */
export function disableParseMemo(): void {
  sqlMemo = undefined;
  plpgsqlMemo = undefined;
}

/** True when the language server memoises parses (then per-statement parsing is what saves work). */
export function isParseMemoEnabled(): boolean {
  return sqlMemo !== undefined;
}

export function parseSql(sql: string): ParseOutcome {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  const memo = sqlMemo?.get(sql);
  if (memo) return memo;
  const result = parseSqlUncached(sql);
  sqlMemo?.set(sql, result);
  return result;
}

/** Parses without the memo: for probes (completion's trial texts) that would only crowd it. */
export function parseSqlUncached(sql: string): ParseOutcome {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  const nul = sql.indexOf('\u0000');
  if (nul >= 0) return { ok: false, message: 'NUL characters are not allowed in SQL text', offset: nul };
  try {
    const tree = pg.parseSync(sql) as { stmts?: { stmt: PgNode; stmt_location?: number; stmt_len?: number }[] };
    if (GROUP_BY_ROW.test(sql)) {
      // only the statements that have such a GROUP BY (a piece of a large file holds hundreds of statements); their
      // locations count bytes, which are characters only in ASCII text
      const ascii = !NON_ASCII.test(sql);
      for (const s of tree.stmts ?? []) {
        const from = s.stmt_location ?? 0;
        if (!ascii || GROUP_BY_ROW.test(s.stmt_len ? sql.slice(from, from + s.stmt_len) : sql.slice(from))) flattenGroupRows(s.stmt);
      }
    }
    return {
      ok: true,
      statements: (tree.stmts ?? []).map((s) => ({ stmt: s.stmt, location: s.stmt_location ?? 0, length: s.stmt_len })),
    };
  } catch (e) {
    rethrowIfParserBroken(e);
    if (isStackOverflow(e)) return { ok: false, message: 'the statement is nested too deeply for the parser', offset: 0, tooDeep: true };
    return { ok: false, message: errorMessage(e), offset: errorOffset(e, sql) };
  }
}

/** Text that may group by a parenthesised list: `GROUP BY (a, b)`, `GROUP BY x, (a, b)`. */
const GROUP_BY_ROW = /\bGROUP\s+BY\s*\(|\bGROUP\s+BY\b[^;]*?,\s*\(/i;

/** Text with a character beyond ASCII (its byte offsets differ from its character offsets). */
const NON_ASCII = /[^\x00-\x7f]/;

/**
 * `GROUP BY (a, b)` groups by a and b, not by the row (a, b): PostgreSQL's transformGroupClause flattens a
 * parenthesised list (an implicit RowExpr) into its items before anything reads the GROUP BY
 * (flatten_grouping_sets). Done here, on the fresh tree, so that every reader of `groupClause` sees the items. An
 * explicit `ROW(a, b)` stays one expression; lists inside GROUPING SETS, CUBE and ROLLUP are sets, read as such.
 */
function flattenGroupRows(stmt: PgNode): void {
  walk(stmt, (type, f) => {
    if (type !== 'SelectStmt' || !f.groupClause?.some((g: PgNode) => g.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST')) return;
    const flat: PgNode[] = [];
    const add = (g: PgNode): void => {
      if (g.RowExpr?.row_format === 'COERCE_IMPLICIT_CAST') for (const a of g.RowExpr.args ?? []) add(a);
      else flat.push(g);
    };
    for (const g of f.groupClause) add(g);
    f.groupClause = flat;
  });
}

/** The tokens of `sql` as PostgreSQL's lexer reads them (UTF-8 byte offsets), or undefined when it cannot scan it. */
export function scanTokens(sql: string): { start: number; end: number; text: string }[] | undefined {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  try {
    return (pg.scanSync(sql).tokens ?? []).map((t) => ({ start: t.start, end: t.end, text: t.text }));
  } catch (e) {
    rethrowIfParserBroken(e);
    return undefined;
  }
}

export type PlpgsqlOutcome = { ok: true; tree: PgNode } | { ok: false; message: string };

/** Parses a complete `CREATE FUNCTION ... LANGUAGE plpgsql` statement with the PL/pgSQL parser. */
export function parsePlpgsql(createFunctionSql: string): PlpgsqlOutcome {
  if (!loaded) throw new Error('parser not loaded: await loadParser() first');
  const memo = plpgsqlMemo?.get(createFunctionSql);
  if (memo) return memo;
  let result: PlpgsqlOutcome;
  try {
    result = { ok: true, tree: pg.parsePlPgSQLSync(createFunctionSql) as PgNode };
  } catch (e) {
    rethrowIfParserBroken(e);
    result = { ok: false, message: errorMessage(e) };
  }
  plpgsqlMemo?.set(createFunctionSql, result);
  return result;
}

function errorMessage(e: unknown): string {
  return e instanceof Error ? e.message : String(e);
}

/** The parser reports error positions in code points; JavaScript strings count UTF-16 units. */
function errorOffset(e: unknown, sql: string): number {
  const details = (e as { sqlDetails?: { cursorPosition?: number } }).sqlDetails;
  const pos = details?.cursorPosition;
  if (typeof pos !== 'number' || pos < 0) return sql.length;
  return codePointsToUnits(sql, pos);
}

/**
 * The grammars of the older PostgreSQL versions Citus 13 runs on (15 and 16; the parser above is PostgreSQL 17's):
 * a project that declares its cluster's version (docs/config.md) gets PostgreSQL's own syntax error for newer
 * syntax, from that version's real grammar (libpg-query's builds of PostgreSQL 15 and 16). Loaded only when a
 * version is declared: the CLI and the language server wait for it before analysing (until then nothing is said).
 */
const OLDER_GRAMMARS: readonly number[] = [15, 16];

interface OlderParser {
  loadModule(): Promise<void>;
  parseSync(sql: string): unknown;
}

const olderGrammars = new Map<number, { parser: OlderParser; loaded: boolean; loading: Promise<void> }>();

/** Loads PostgreSQL `major`'s grammar once (15 or 16; nothing for another version, or none). */
export function loadOlderGrammar(major: number | undefined): Promise<void> {
  if (major === undefined || !OLDER_GRAMMARS.includes(major)) return Promise.resolve();
  let g = olderGrammars.get(major);
  if (!g) {
    // literal names, so that the bundler includes both packages (each is required only here, on first use)
    const parser = (major === 15 ? require('libpg-query-15') : require('libpg-query-16')) as OlderParser;
    const entry: { parser: OlderParser; loaded: boolean; loading: Promise<void> } = { parser, loaded: false, loading: Promise.resolve() };
    entry.loading = parser.loadModule().then(() => {
      entry.loaded = true;
    });
    olderGrammars.set(major, entry);
    g = entry;
  }
  return g.loading;
}

export interface OlderGrammarError {
  message: string;
  /** character offset into the statement text */
  offset: number;
}

/**
 * The error PostgreSQL `major` gives for a statement that PostgreSQL 17's grammar accepts, or undefined when it
 * accepts it too, or when that grammar is not loaded (nothing is guessed). PostgreSQL 15's lexer also refuses
 * the numeric literals PostgreSQL 16 added (`1_000`, `0x1F`, `0o17`, `0b101`): libpg-query's build of 15 lexes
 * them as a number and a name, so they are checked here from PostgreSQL 17's tokens.
 */
export function olderGrammarError(sql: string, major: number): OlderGrammarError | undefined {
  const g = olderGrammars.get(major);
  if (!g?.loaded) return undefined;
  let grammar: OlderGrammarError | undefined;
  try {
    g.parser.parseSync(sql);
  } catch (e) {
    rethrowIfParserBroken(e, `libpg-query-${major}.wasm`);
    grammar = { message: errorMessage(e), offset: errorOffset(e, sql) };
  }
  if (major < 16 && NEWER_NUMBER.test(sql)) {
    const bytes = new ByteOffsetMap(sql); // the scanner's offsets are in UTF-8 bytes
    for (const t of pg.scanSync(sql).tokens) {
      if ((t.tokenName === 'ICONST' || t.tokenName === 'FCONST') && /_|^0[xob]/i.test(t.text)) {
        const offset = bytes.toChar(t.start);
        // the lexer's error comes first when the literal comes before the token the grammar stopped at
        if (!grammar || offset <= grammar.offset) return { message: `trailing junk after numeric literal at or near "${t.text}"`, offset };
        break;
      }
    }
  }
  return grammar;
}

/** Text that may hold a numeric literal PostgreSQL 16 added: digits with `_`, or 0x / 0o / 0b. */
const NEWER_NUMBER = /\d_\d|\b0[xXoObB][0-9a-fA-F]/;

function codePointsToUnits(sql: string, pos: number): number {
  let units = 0;
  for (let cp = 0; cp < pos && units < sql.length; cp++) units += (sql.codePointAt(units) ?? 0) > 0xffff ? 2 : 1;
  return Math.min(units, sql.length);
}
