/**
 * EXPLAIN one statement on a live server, never changing data:
 *
 *   BEGIN; SET LOCAL statement_timeout = N; SET LOCAL client_min_messages TO debug2; EXPLAIN (FORMAT JSON) <statement>; ROLLBACK
 *   BEGIN; SET LOCAL statement_timeout = N; SET LOCAL client_min_messages TO notice; EXPLAIN <statement>; ROLLBACK
 *
 * The statement is sent as literal SQL over the simple query protocol (Citus cannot EXPLAIN repartition or
 * pull statements with bound parameters, rules note §7.4). Citus' DEBUG notices are the reasons; per-shard
 * noise is counted, not listed (as the corpus recorder does). EXPLAIN ANALYZE runs only when asked, only after
 * the plain EXPLAIN showed pushdown or router (Citus executes the other methods and then refuses), and is
 * rolled back too.
 */
import type { Client } from 'pg';

/** A server notice as pg delivers it (pg's NoticeMessage type is not exported). */
export interface NoticeMessage {
  message?: string;
  detail?: string;
  hint?: string;
  severity?: string;
}
import { parseDocument, type ParsedStatement } from '../core/parse/document';
import { LineIndex } from '../core/parse/offsets';
import { isInsertSelect } from '../core/analyze';
import type { Method } from '../core/types';
import { cancelBackend, classifyError, DbError, destroy, type Session } from './connection';
import { classifyJsonPlan, classifyTextPlan, dmlOutcomeOfPlan, type DmlOutcome, type PlanClassification } from './plan';

// ---------------------------------------------------------------------------------------------------------
// Choosing and preparing the statement (pure)

export interface PreparedStatement {
  /** the SQL to EXPLAIN, psql variables substituted */
  sql: string;
  /** character offsets of the statement in the document */
  start: number;
  end: number;
  isInsertSelect: boolean;
  statement: ParsedStatement;
}

const EXPLAINABLE = new Set(['SelectStmt', 'InsertStmt', 'UpdateStmt', 'DeleteStmt', 'MergeStmt']);

export interface PickOptions {
  /** 1-based line: the statement on that line */
  line?: number;
  /** character offset: the statement around it */
  offset?: number;
  /** values for psql variables (`:v`, `:'v'`, `:"v"`) */
  variables?: Readonly<Record<string, string>>;
}

/**
 * Picks the statement to explain from a document: the one at `offset` / `line`, else the first INSERT..SELECT,
 * else the only statement. Throws a `usage` DbError with a clear message otherwise.
 */
export function pickStatement(text: string, options: PickOptions = {}): PreparedStatement {
  const doc = parseDocument(text);
  const top = doc.statements.filter((s) => s.parentIndex === undefined);
  if (!top.length) throw new DbError('usage', 'the file has no SQL statement');
  let stmt: ParsedStatement | undefined;
  if (options.line !== undefined || options.offset !== undefined) {
    const lines = new LineIndex(text);
    let from: number;
    let to: number;
    if (options.offset !== undefined) {
      from = to = Math.max(0, Math.min(options.offset, text.length));
    } else {
      const line = options.line! - 1;
      if (!Number.isInteger(line) || line < 0) throw new DbError('usage', `--line must be a positive line number, not ${String(options.line)}`);
      from = lines.offset({ line, character: 0 });
      to = lines.offset({ line: line + 1, character: 0 });
      if (line > 0 && from === text.length && !text.endsWith('\n')) throw new DbError('usage', `line ${options.line} is past the end of the file`);
    }
    // the innermost statement covering the position (statements in function bodies follow their parent)
    const covering = doc.statements.filter((s) => s.start <= to && s.end >= from && (s.start < to || s.start === from));
    stmt = covering[covering.length - 1];
    if (!stmt) {
      throw new DbError('usage', options.offset !== undefined ? 'no statement at the cursor' : `no statement on line ${options.line}`);
    }
  } else {
    stmt = top.find((s) => !s.error && isInsertSelect(s)) ?? (top.length === 1 ? top[0] : undefined);
    if (!stmt) throw new DbError('usage', `the file has ${top.length} statements and no INSERT ... SELECT; choose one with --line N`);
  }
  return prepare(text, stmt, options.variables ?? {});
}

/** The statement uses psql variables that have no value; `names` lists them (a UI can ask for them). */
export class MissingVariablesError extends DbError {
  constructor(
    where: string,
    readonly names: string[],
  ) {
    super('usage', `${where} uses psql variables without values: ${names.map((m) => `:${m}`).join(', ')} (give them with --set NAME=VALUE)`);
  }
}

/** Validates one parsed statement for EXPLAIN and substitutes psql variables. */
export function prepare(text: string, stmt: ParsedStatement, variables: Readonly<Record<string, string>>): PreparedStatement {
  const where = `the statement at line ${new LineIndex(text).position(stmt.start).line + 1}`;
  if (stmt.error) throw new DbError('usage', `${where} does not parse: ${stmt.error.message}`);
  if (stmt.parentIndex !== undefined) {
    throw new DbError('usage', `${where} is inside a function body or a PREPARE; EXPLAIN it on its own with literal values in place of its variables and $n parameters`);
  }
  const kind = Object.keys(stmt.ast ?? {})[0] ?? '';
  if (kind === 'ExplainStmt') throw new DbError('usage', `${where} is already an EXPLAIN; give the statement itself`);
  if (!EXPLAINABLE.has(kind)) {
    throw new DbError('usage', `${where} is a ${kind.replace(/Stmt$/, '') || 'statement'} statement; EXPLAIN works on SELECT, INSERT, UPDATE, DELETE and MERGE`);
  }
  let sql = text.slice(stmt.start, stmt.end);
  const vars = [...stmt.psqlVariables].sort((a, b) => b.start - a.start);
  const missing = [...new Set(stmt.psqlVariables.filter((v) => !Object.prototype.hasOwnProperty.call(variables, v.name)).map((v) => v.name))];
  if (missing.length) throw new MissingVariablesError(where, missing);
  for (const v of vars) {
    const value = variables[v.name];
    const rep = v.form === 'literal' ? quoteLiteral(value) : v.form === 'identifier' ? quoteIdentifier(value) : value;
    sql = sql.slice(0, v.start - stmt.start) + rep + sql.slice(v.end - stmt.start);
  }
  sql = sql.replace(/;\s*$/, '');
  // the substituted text must still be exactly one statement
  const again = parseDocument(sql).statements.filter((s) => s.parentIndex === undefined);
  if (again.length !== 1) throw new DbError('usage', `${where} becomes ${again.length} statements after substituting psql variables; EXPLAIN runs exactly one`);
  if (again[0].error) throw new DbError('usage', `${where} does not parse after substituting psql variables: ${again[0].error.message}`);
  return { sql, start: stmt.start, end: stmt.end, isInsertSelect: isInsertSelect(stmt), statement: stmt };
}

/** Checks that a text is exactly one explainable statement (for callers that already have SQL). */
export function prepareSql(sql: string, variables: Readonly<Record<string, string>> = {}): PreparedStatement {
  const top = parseDocument(sql).statements.filter((s) => s.parentIndex === undefined);
  if (top.length === 0) throw new DbError('usage', 'no SQL statement given');
  if (top.length > 1) throw new DbError('usage', `${top.length} statements given; EXPLAIN runs exactly one statement`);
  return prepare(sql, top[0], variables);
}

export function quoteLiteral(v: string): string {
  const body = v.replace(/'/g, "''");
  return v.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

export function quoteIdentifier(v: string): string {
  return `"${v.replace(/"/g, '""')}"`;
}

// ---------------------------------------------------------------------------------------------------------
// Notices

/** Per-shard messages that are counted, not listed (corpus README, "Record fields"). */
const NOISE: Array<[RegExp, string]> = [
  [/^distributed statement: /, 'distributed statement:'],
  [/^join prunable for /, 'join prunable for'],
  [/^pruning merge fetch taskId /, 'pruning merge fetch taskId'],
  [/^<Deparsed MERGE query: /, '<Deparsed MERGE query:'],
];
const KEEP_ONCE = /^Skipping target shard interval \d+ since SELECT query for it pruned away$/;
/** PostgreSQL's own DEBUG2 chatter (catalog caches), neither Citus' reason nor about the statement: dropped. */
const POSTGRES_INTERNAL = /^rehashing catalog cache id \d+ /;

export interface NoticeCollector {
  /** distinct DEBUG messages, psql style (`DEBUG:  msg\nDETAIL:  ...\nHINT:  ...`), in order of first appearance */
  reasons: string[];
  /** WARNING / NOTICE / INFO messages, psql style */
  notices: string[];
  suppressed: Record<string, number>;
  /** the first `distributed statement:` message, for display */
  distributedStatementSample?: string;
  add(n: Pick<NoticeMessage, 'message' | 'detail' | 'hint' | 'severity'>): void;
}

export function noticeCollector(): NoticeCollector {
  const seen = new Set<string>();
  let keptSkip = false;
  const c: NoticeCollector = {
    reasons: [],
    notices: [],
    suppressed: {},
    add(n) {
      const message = n.message ?? '';
      const severity = (n.severity ?? 'NOTICE').toUpperCase();
      if (severity === 'DEBUG') {
        for (const [re, key] of NOISE) {
          if (re.test(message)) {
            c.suppressed[key] = (c.suppressed[key] ?? 0) + 1;
            if (key === 'distributed statement:' && !c.distributedStatementSample) c.distributedStatementSample = message;
            return;
          }
        }
        if (POSTGRES_INTERNAL.test(message)) return;
        if (KEEP_ONCE.test(message)) {
          if (keptSkip) return;
          keptSkip = true;
        }
      }
      let s = `${severity}:  ${message}`;
      if (n.detail) s += `\nDETAIL:  ${n.detail}`;
      if (n.hint) s += `\nHINT:  ${n.hint}`;
      if (seen.has(s)) return;
      seen.add(s);
      (severity === 'DEBUG' ? c.reasons : c.notices).push(s);
    },
  };
  return c;
}

// ---------------------------------------------------------------------------------------------------------
// Running EXPLAIN

export interface ExplainOptions {
  /** also run EXPLAIN ANALYZE (the caller has confirmed); refused unless `analyzeAllowed` says yes */
  analyze?: boolean;
  /** which plain-EXPLAIN results may be analysed; default: pushdown and router only */
  analyzeAllowed?: (c: PlanClassification) => boolean;
  /** statement timeout in ms (default: the connection's) */
  statementTimeoutMs?: number;
  signal?: AbortSignal;
}

export interface ExplainError {
  message: string;
  detail?: string;
  hint?: string;
  sqlState?: string;
}

export interface ExplainResult {
  method: Method;
  classification: PlanClassification;
  /** Citus' DEBUG messages */
  reasons: string[];
  notices: string[];
  suppressed: Record<string, number>;
  distributedStatementSample?: string;
  /** EXPLAIN (FORMAT JSON) output, or null when EXPLAIN failed */
  plan: unknown;
  /** EXPLAIN text output */
  text: string | null;
  /** the ERROR when EXPLAIN itself failed (Citus refused the statement): method is then `error` */
  error?: ExplainError;
  /** for a statement other than INSERT..SELECT: how Citus runs it (docs/dml.md), read from the plan */
  outcome?: DmlOutcome;
  analyze?: { plan: unknown; classification: PlanClassification } | { refused: string } | { error: ExplainError };
  sql: string;
  serverVersion: string;
  citusVersion: string | null;
}

export const DEFAULT_ANALYZE_GATE = (c: PlanClassification): boolean => c.method === 'pushdown' || c.method === 'router';

/** EXPLAINs one prepared statement inside a transaction that is always rolled back. */
export async function explainStatement(session: Session, stmt: PreparedStatement, options: ExplainOptions = {}): Promise<ExplainResult> {
  const timeoutMs = Math.max(1, Math.floor(options.statementTimeoutMs ?? session.connection.statementTimeoutMs));
  const notices = noticeCollector();
  const base = { sql: stmt.sql, serverVersion: session.serverVersion, citusVersion: session.citusVersion };
  const failure = (e: unknown): { failed: ExplainError } => {
    const err = classifyError(e, session.connection, 'query');
    if (err.kind !== 'sql') throw err;
    return { failed: { message: err.message, detail: err.detail, hint: err.hint, sqlState: err.sqlState } as ExplainError };
  };
  // Citus' DEBUG messages come from the JSON EXPLAIN only: the text EXPLAIN would repeat them, and the per-shard ones
  // would be counted twice ("distributed statement:" x64 for 32 tasks), so it runs with client_min_messages = error.
  // Each runs in a transaction of its own: a worker that cannot plan its task ("Could not get remote plan.") leaves the
  // transaction's remote side failed, and a second EXPLAIN in it would only say `current transaction is aborted`. Both
  // transactions go in one query string (one round trip); an error in either ends it, and the statement then fails
  // with that error either way.
  const plain = await inRolledBackTransaction<{ plan: unknown; text: string } | { failed: ExplainError }>(session, timeoutMs, notices, options.signal, async (q) => {
    try {
      const rows = await q([`EXPLAIN (FORMAT JSON) ${stmt.sql}`, 'ROLLBACK', 'BEGIN', `SET LOCAL statement_timeout = ${timeoutMs}`, 'SET LOCAL client_min_messages TO error', `EXPLAIN ${stmt.sql}`]);
      return { plan: rows[0].rows[0]?.['QUERY PLAN'] as unknown, text: rows[5].rows.map((r) => String(r['QUERY PLAN'])).join('\n') };
    } catch (e) {
      return failure(e);
    }
  });
  let result: ExplainResult;
  /** the plan's own method, before a worker's failure to plan its task makes it `error` (the ANALYZE gate reads it) */
  let plannedMethod: Method = 'error';
  if ('failed' in plain) {
    result = {
      ...base,
      method: 'error',
      classification: { method: 'error', basis: `EXPLAIN failed: ${plain.failed.message}`, taskCount: null, nodes: [] },
      reasons: notices.reasons,
      notices: notices.notices,
      suppressed: notices.suppressed,
      distributedStatementSample: notices.distributedStatementSample,
      plan: null,
      text: null,
      error: plain.failed,
      ...(stmt.isInsertSelect ? {} : { outcome: 'error' as const }),
    };
  } else {
    const classification = classifyJsonPlan(plain.plan, { isInsertSelect: stmt.isInsertSelect });
    // the text plan must tell the same story; if not, trust JSON but say so
    const fromText = classifyTextPlan(plain.text, { isInsertSelect: stmt.isInsertSelect });
    if (fromText.method !== classification.method) classification.basis += ` (the text plan reads as ${fromText.method})`;
    // a worker that cannot EXPLAIN its shard query cannot run it either (Citus 13.2's rebuilt shard queries that do not
    // parse, say): the statement fails when it runs, with the worker's error, which --analyze shows
    const remoteFailed = plain.text.includes('Could not get remote plan');
    plannedMethod = classification.method;
    if (remoteFailed) {
      classification.basis += `; but a worker could not plan its task ("Could not get remote plan."): the ${classification.method} plan fails when it runs (--analyze runs it, rolled back, and shows the worker's error)`;
      classification.method = 'error';
    }
    result = {
      ...base,
      method: classification.method,
      classification,
      reasons: notices.reasons,
      notices: notices.notices,
      suppressed: notices.suppressed,
      distributedStatementSample: notices.distributedStatementSample,
      plan: plain.plan,
      text: plain.text,
      ...(stmt.isInsertSelect ? {} : { outcome: remoteFailed ? ('error' as const) : dmlOutcomeOfPlan(plain.text, classification.taskCount) }),
    };
  }
  if (options.analyze) {
    const gate = options.analyzeAllowed ?? DEFAULT_ANALYZE_GATE;
    if (result.error || !gate({ ...result.classification, method: plannedMethod })) {
      result.analyze = {
        refused: result.error
          ? 'EXPLAIN ANALYZE not run: the plain EXPLAIN failed'
          : `EXPLAIN ANALYZE not run: the plain EXPLAIN shows ${result.method}; only pushdown and router plans are analysed (Citus executes the other methods and then refuses, and sequences would advance)`,
      };
    } else {
      const analyzeNotices = noticeCollector();
      const analyzed = await inRolledBackTransaction<{ plan: unknown } | { failed: ExplainError }>(session, timeoutMs, analyzeNotices, options.signal, async (q) => {
        try {
          const [json] = await q([`EXPLAIN (ANALYZE, FORMAT JSON) ${stmt.sql}`]);
          return { plan: json.rows[0]?.['QUERY PLAN'] as unknown };
        } catch (e) {
          const err = classifyError(e, session.connection, 'query');
          if (err.kind !== 'sql') throw err;
          return { failed: { message: err.message, detail: err.detail, hint: err.hint, sqlState: err.sqlState } as ExplainError };
        }
      });
      result.analyze = 'failed' in analyzed ? { error: analyzed.failed } : { plan: analyzed.plan, classification: classifyJsonPlan(analyzed.plan, { isInsertSelect: stmt.isInsertSelect }) };
    }
  }
  return result;
}

type Rows = { rows: Array<Record<string, unknown>> };
/** Runs statements (each exactly one validated statement) in the rolled-back transaction; returns their results. */
type Query = (statements: string[]) => Promise<Rows[]>;

/**
 * Runs `body` between BEGIN and ROLLBACK with the statement timeout and DEBUG2 notices. The statements go to
 * the server as ONE simple-protocol message, `BEGIN; SET LOCAL ...; SET LOCAL ...; <statements>; ROLLBACK`
 * (one round trip; each statement is followed by a newline so a trailing `--` comment cannot swallow the rest).
 * If anything fails before that ROLLBACK ran, another ROLLBACK is sent; if it cannot be (connection lost or
 * hung), the connection is destroyed, which makes the server roll back. Cancellation (signal) and a
 * client-side deadline cancel the running statement.
 */
async function inRolledBackTransaction<T>(session: Session, timeoutMs: number, notices: NoticeCollector, signal: AbortSignal | undefined, body: (q: Query) => Promise<T>): Promise<T> {
  const client: Client = session.client;
  if (signal?.aborted) throw new DbError('cancelled', 'cancelled before it started');
  const onNotice = (n: NoticeMessage): void => notices.add(n);
  client.on('notice', onNotice);
  let cancelledBy: 'user' | 'deadline' | undefined;
  let hardTimer: NodeJS.Timeout | undefined;
  let deadlineTimer: NodeJS.Timeout | undefined;
  const cancel = (why: 'user' | 'deadline'): void => {
    if (cancelledBy) return;
    cancelledBy = why;
    void cancelBackend(session);
    // a server that does not react to the cancel request within 3 s loses the connection
    hardTimer = setTimeout(() => destroy(client), 3000);
  };
  const onAbort = (): void => cancel('user');
  signal?.addEventListener('abort', onAbort);
  // the server's statement_timeout should fire first; this catches a hung server
  deadlineTimer = setTimeout(() => cancel('deadline'), timeoutMs + 2000);
  let rolledBack = false;
  const q: Query = async (statements) => {
    const script = [`BEGIN; SET LOCAL statement_timeout = ${timeoutMs}; SET LOCAL client_min_messages TO debug2`, ...statements, 'ROLLBACK'].join('\n;\n');
    const results = (await client.query(script)) as unknown as Rows[];
    rolledBack = true;
    if (!Array.isArray(results) || results.length !== statements.length + 4) throw new DbError('sql', `unexpected reply: ${Array.isArray(results) ? results.length : 1} results for ${statements.length + 4} statements`);
    return results.slice(3, 3 + statements.length);
  };
  try {
    return await body(q);
  } catch (e) {
    const err = classifyError(e, session.connection, 'query');
    if (cancelledBy === 'user') throw new DbError('cancelled', 'EXPLAIN was cancelled');
    if (cancelledBy === 'deadline') throw new DbError('timeout', `the server did not answer within the statement timeout (${timeoutMs / 1000} s)`);
    throw err;
  } finally {
    clearTimeout(deadlineTimer);
    deadlineTimer = undefined;
    signal?.removeEventListener('abort', onAbort);
    if (!rolledBack) {
      try {
        const rollback = client.query('ROLLBACK');
        let t: NodeJS.Timeout | undefined;
        await Promise.race([rollback, new Promise((_, rej) => (t = setTimeout(() => rej(new Error('rollback timeout')), 5000)))]).finally(() => clearTimeout(t));
      } catch {
        destroy(client);
      }
    }
    clearTimeout(hardTimer);
    client.removeListener('notice', onNotice);
  }
}
