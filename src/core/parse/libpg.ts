/**
 * The libpg-query adapter: the only module that calls the parser. Never throws: a parse failure is
 * returned as data with a character offset into the parsed text.
 */
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
    loading = pg.loadModule().then(() => {
      loaded = true;
    });
  }
  return loading;
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
  | { ok: false; message: string; /** character offset into the parsed text */ offset: number };

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
    return {
      ok: true,
      statements: (tree.stmts ?? []).map((s) => ({ stmt: s.stmt, location: s.stmt_location ?? 0, length: s.stmt_len })),
    };
  } catch (e) {
    return { ok: false, message: errorMessage(e), offset: errorOffset(e, sql) };
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
  let units = 0;
  for (let cp = 0; cp < pos && units < sql.length; cp++) {
    const code = sql.codePointAt(units) ?? 0;
    units += code > 0xffff ? 2 : 1;
  }
  return Math.min(units, sql.length);
}
