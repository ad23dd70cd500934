/**
 * The analysis entry point shared by the CLI, the language server and the tests:
 * text + schema -> statements with predicted methods + findings. Pure and total: it never throws on
 * bad input (a statement that does not parse becomes one `syntax-error` finding).
 */
import { parseDocument, type ParsedDocument, type ParsedStatement } from './parse/document';
import { isStackOverflow, olderGrammarError, rethrowIfParserBroken, type PgNode } from './parse/libpg';
import { applyStatement, markUnsure, mayChangeSchema, newSession, noteRowsWritten, resetSessionSettings, resolveRegclass, TransactionTracker, type DdlProblem, type SessionState } from './schema/ddl';
import { SchemaModel } from './schema/model';
import { citusCall, citusCallTable, inReadOnlyTransaction, mentionsReadOnly, noteOpaqueReadOnly, readOnlyChangeOutOfSight, readOnlyMessage, readOnlyRefusal, refusedBeforeAnyChange, type ReadOnlyRefusal } from './schema/readOnly';
import { predictInsertSelect, type PlannerResult } from './planner/predict';
import { predictDml, type DmlResult } from './planner/dml';
import { RelationAccessTracker } from './planner/access';
import { RULES } from './rules';
import type { PlannerFinding, RuleContext } from './rules/rule';
import { analyzeSemantics, hasColumnDefaults, type SemanticError, type SemanticResult } from './semantic';
import { SEMANTIC_EXPLANATIONS } from './semantic/explanations';
import { transactionBlockRefusal } from './transactionBlock';
import { expressionEnd, StatementPositions } from './planner/text';
import { formatCitusMessage, type DocumentAnalysis, type Finding, type Fix, type Severity, type StatementKind, type StatementResult } from './types';

export interface AnalyzeOptions {
  /** label of the document for "defined at" locations (a path or URI) */
  source?: string;
  /** per-rule severity overrides; 'off' disables a rule */
  severities?: Readonly<Record<string, Severity | 'off'>>;
  /**
   * Analyse only the top-level statements that start at an offset in [from, to), with the statements inside their
   * bodies: the results are exactly the whole analysis' for them, and the others' are left out. A statement outside
   * the range is still run through as far as it can change the model or the session (DDL, SET, transaction
   * control, Citus calls, every statement of a transaction block); one that cannot (`leavesStateAsFound`) is only
   * parsed. The CLI splits a large file between threads this way (src/cli/parallel.ts).
   */
  range?: { from: number; to: number };
  /**
   * The date the statements run on, `YYYY-MM-DD` in UTC (the shells give today's): a partition key of CURRENT_DATE or
   * now() is then checked against the partitions (schema/currentTime.ts). Without it nothing is said about them.
   */
  today?: string;
}

export interface DocumentAnalysisDetail extends DocumentAnalysis {
  parsed: ParsedDocument;
  /** the model after the document's own DDL was applied */
  model: SchemaModel;
}

const DISABLE_DIRECTIVE = /--\s*citus-rollups-disable-next-statement\b([^\n]*)/g;
/** `-- citus-rollups-disable-file [ids]` on a line of its own, between statements, anywhere in the file */
const DISABLE_FILE_DIRECTIVE = /^[ \t]*--\s*citus-rollups-disable-file\b([^\n]*)/gm;

export function analyzeDocument(text: string, base: SchemaModel, options: AnalyzeOptions = {}): DocumentAnalysisDetail {
  const parsed = parseDocument(text);
  // copy-on-write: most documents (and every keystroke in a rollup file) change no DDL
  let model = base;
  let cloned = false;
  // only the relations this document drops or renames away are surely gone: other files may run after it (a base
  // built by core/workspace.ts carries none; one built otherwise is copied once to forget them)
  if (base.goneRelations.size) {
    model = base.clone();
    model.goneRelations.clear();
    cloned = true;
  }
  const source = options.source ?? 'document';
  const statements: StatementResult[] = [];
  const findings: Finding[] = [];
  // a directive inside a statement (a string literal, a comment within it) does not count
  const outsideStatements = (offset: number): boolean => !parsed.statements.some((s) => s.parentIndex === undefined && offset >= s.start && offset < s.end);
  const fileDisabled = directiveIds(text.includes('citus-rollups-disable-file') ? text : '', DISABLE_FILE_DIRECTIVE, outsideStatements);

  // BEGIN .. ROLLBACK (and savepoints) undo the DDL inside them
  const transactions = new TransactionTracker();
  // Citus' relation accesses in a transaction block (foreign keys to reference tables)
  const accesses = new RelationAccessTracker();
  const session = newSession(text);
  if (options.today) session.today = options.today;
  // psql's `\c` starts a new session: an open transaction is rolled back, the session's settings are gone
  const reconnects = text.includes('\\c') ? reconnectOffsets(text).filter(outsideStatements) : [];
  let nextReconnect = 0;
  // a statement that surely fails inside a transaction block aborts it: PostgreSQL ignores every statement after it
  // until ROLLBACK (a COMMIT rolls back too) or ROLLBACK TO a savepoint set before it
  let aborted = false;
  // (what may change whether transactions are read-only out of the model's sight: only in a text that mentions it)
  const readOnlyText = mentionsReadOnly(text);
  const range = options.range;
  // whether the current top-level statement (and the statements inside its body) is in the range; skipped: not
  // in the range, and it leaves the model and the session as it found them
  let owned = true;
  let skipped = false;
  for (const stmt of parsed.statements) {
    const top = stmt.parentIndex === undefined;
    if (range && top) {
      owned = stmt.start >= range.from && stmt.start < range.to;
      skipped = !owned && !session.inTransaction && !accesses.inBlock && leavesStateAsFound(stmt);
      if (skipped) noteRowsWritten(stmt, session, model);
    }
    // (a statement inside a body changes nothing but through its top-level statement)
    if (skipped || (!owned && !top)) continue;
    while (top && nextReconnect < reconnects.length && reconnects[nextReconnect] < stmt.start) {
      nextReconnect++;
      if (!cloned) {
        model = base.clone();
        cloned = true;
      }
      transactions.apply({ kind: 'TRANS_STMT_ROLLBACK' }, model, session);
      resetSessionSettings(model, session);
      const to = reconnection(text, reconnects[nextReconnect - 1]);
      // (`\c db user`: a role the script may not own its tables as, whose DDL may be refused)
      if (to.role) session.otherRole = true;
      // (`\c otherdb`, another host or port: what the file dropped may exist in that database; and after `\c otherdb` what
      // it created is in the database it left: a table of that name is not vouched for)
      if (to.database || to.server) model.goneRelations.clear();
      if (to.database) {
        session.createdFresh?.clear();
        for (const name of session.createdHere ?? []) {
          const t = model.tables.get(name);
          if (t) markUnsure(t, session);
        }
      }
      accesses.reset();
      aborted = false;
    }
    let tx: PgNode | undefined = top ? stmt.ast?.TransactionStmt : undefined;
    // (a statement that does not parse fails as it does anywhere: PostgreSQL parses before it looks at the block)
    if (top && aborted && !stmt.error) {
      tx = transactions.resumeAborted(tx);
      if (!tx) {
        if (owned) statements.push(abortedStatement(stmt));
        continue;
      }
      aborted = false;
    }
    // (until the document's first DDL, nothing was saved, so nothing is restored into the shared base)
    if (tx) transactions.apply(tx, model, session);
    const inBlock = top && !tx && !!session.inTransaction;
    // a function body or DO block whose text changes a type (ALTER TYPE .. ADD VALUE, also built for EXECUTE): the model
    // does not run bodies, so it forgets every enum type from here on
    if (top && model.enums.size > 0 && (stmt.ast?.DoStmt || stmt.ast?.CreateFunctionStmt) && TYPE_DDL.test(stmt.text)) {
      if (!cloned) {
        model = base.clone();
        cloned = true;
      }
      transactions.beforeChange(model);
      model.enums.clear();
    }
    const changes = top && mayChangeSchema(stmt);
    if (changes) {
      if (!cloned) {
        model = base.clone();
        cloned = true;
      }
      transactions.beforeChange(model);
    }
    let result: StatementAnalysisResult;
    try {
      // the cluster's PostgreSQL 15 or 16 refuses syntax that came later: nothing of the statement happens
      const older = model.postgresMajor !== undefined && model.postgresMajor < 17 ? newerSyntax(stmt, model.postgresMajor) : undefined;
      // a read-only transaction (schema/readOnly.ts): what PostgreSQL refuses in it, and Citus' calls, change nothing
      const readOnly = top && inReadOnlyTransaction(session);
      const refusal = readOnly ? readOnlyRefusal(stmt, model, session.searchPath) : undefined;
      // (PreventInTransactionBlock: nothing of the statement happens)
      const blockRefused = inBlock && !older ? transactionBlockRefusal(stmt.ast, model, session.searchPath) : undefined;
      if (older) result = semanticFailure(stmt, isInsertSelect(stmt) ? 'insert_select' : 'other', [older], model, session, { start: stmt.start, end: stmt.end });
      else if (blockRefused) result = semanticFailure(stmt, 'other', [blockError(stmt, blockRefused)], model, session, { start: stmt.start, end: stmt.end });
      else if (changes && readOnly && refusedBeforeAnyChange(stmt, refusal)) {
        result = refusedWhenReadOnly(stmt, refusal, model, session, text, source);
      } else {
        // only a statement that may change the model is applied (applyStatement would say false for the others)
        // (a list only for statements that may change the model: this runs for every statement)
        const problems: DdlProblem[] | undefined = changes ? [] : undefined;
        const isDdl = changes && applyStatement(stmt, { model, session, source, problems });
        result = analyzeStatement(stmt, isDdl, model, session, text, problems);
        // the executor's check, once the statement was planned: errors found before it come first
        if (refusal && (refusal.when === 'utility' || !failsBeforeExecution(result.statement))) result = semanticFailure(stmt, result.statement.kind, [readOnlyError(stmt, refusal)], model, session, result.statement.range);
      }
      if (top) {
        noteRowsWritten(stmt, session, model);
        if (readOnlyText) noteOpaqueReadOnly(stmt, session);
        const refused = accesses.step(stmt, result.statement, model, session);
        if (refused) result = refusedByAccesses(result, refused, stmt, model, session);
      }
    } catch (e) {
      // (a damaged parser is no statement's fault: nothing can be analysed, see parse/libpg.ts)
      rethrowIfParserBroken(e);
      // a bug of ours stays inside its statement: the rest of the file is still analysed
      result = internalError(stmt, e);
    }
    if (owned) {
      statements.push(result.statement);
      findings.push(...filterFindings(result.findings, stmt, text, options, fileDisabled));
    }
    if (inBlock && surelyFails(result)) aborted = true;
  }
  return { statements, findings, parsed, model };
}

/**
 * Findings of errors that depend on the rows a statement reads (none read: no error): a statement with one does not
 * surely abort a transaction.
 */
const ROW_DEPENDENT_ERRORS = new Set(['dist-column-missing', 'dist-column-not-preserved']);

/** The statement fails whatever the data: PostgreSQL's or Citus' error, predicted, or DDL / a Citus call refused. */
function surelyFails(result: StatementAnalysisResult): boolean {
  const statement = result.statement;
  if (statement.prediction.method === 'error' || statement.outcome === 'error') return !result.findings.some((f) => ROW_DEPENDENT_ERRORS.has(f.rule));
  return result.findings.some((f) => f.rule in REFUSALS);
}

/** A statement PostgreSQL does not run: the transaction block was aborted by the failure of an earlier one. */
function abortedStatement(stmt: ParsedStatement): StatementResult {
  const kind: StatementKind = isInsertSelect(stmt) ? 'insert_select' : 'other';
  const reasons = ['ERROR:  current transaction is aborted, commands ignored until end of transaction block'];
  // (not where: a statement's results depend on its own text and the model, which the language server relies on)
  const summary = 'not run: an earlier statement of the transaction block failed';
  return {
    index: stmt.index,
    kind,
    range: { start: stmt.start, end: stmt.end },
    ...(kind === 'insert_select' ? { target: insertTargetName(stmt) } : {}),
    prediction: { method: kind === 'insert_select' ? 'error' : 'not_applicable', reasons, summary },
    ...(kind === 'insert_select' ? {} : { outcome: 'error' as const }),
  };
}

/** DDL of a type inside a body (ALTER TYPE .. ADD VALUE, also built for EXECUTE). */
export const TYPE_DDL = /\b(?:ALTER|CREATE|DROP)\s+TYPE\b/i;

/**
 * Statements that leave the model and the session as they found them, in `analyzeDocument`: plain DML, DO blocks (but
 * one that changes a type, calls Citus' functions or may make transactions read-only) and statements that do not
 * parse, outside a transaction block (inside one, Citus refuses some statements for what the block did before them:
 * ./planner/access.ts). Everything else counts as changing them (analysing one again costs little).
 */
export function leavesStateAsFound(stmt: ParsedStatement): boolean {
  const ast = stmt.ast;
  if (!ast) return true;
  // (a body or set_config that may change whether transactions are read-only: ./schema/readOnly.ts)
  if (readOnlyChangeOutOfSight(stmt)) return false;
  if (ast.InsertStmt || ast.UpdateStmt || ast.DeleteStmt || ast.MergeStmt) return true;
  // (a DO block whose body changes a type makes the model forget its enum types; one that calls Citus' functions makes
  // it stop vouching for the tables' kinds)
  if (ast.DoStmt) return !TYPE_DDL.test(stmt.text) && !mayChangeSchema(stmt);
  return !!ast.SelectStmt && !mayChangeSchema(stmt);
}

/** psql's `\c` / `\connect` meta-command at the start of a line: a new session from there on. */
export const PSQL_RECONNECT = /^[ \t]*\\(?:c|connect)(?=[ \t]|$)/m;

/**
 * What the `\c` at `offset` names (`\c dbname user host port`, `-` for the same): a role (the conninfo forms, `\c
 * "dbname=x user=y"` and URIs, name one too), a database (maybe another one), a host or port (another server of the
 * cluster, or the same: Citus' scripts go to a worker and come back so).
 */
function reconnection(text: string, offset: number): { role: boolean; database: boolean; server: boolean } {
  const end = text.indexOf('\n', offset);
  const args = text.slice(offset, end < 0 ? text.length : end).trim().split(/\s+/).slice(1);
  const given = (a: string | undefined): boolean => a !== undefined && a !== '-';
  return {
    role: given(args[1]) || args.some((a) => /\buser=|^postgres(?:ql)?:\/\/[^/@]*@/.test(a)),
    database: given(args[0]),
    server: given(args[2]) || given(args[3]),
  };
}

/** Offsets of psql's `\c` / `\connect` meta-commands. */
function reconnectOffsets(text: string): number[] {
  const out: number[] = [];
  const re = new RegExp(PSQL_RECONNECT.source, 'gm');
  for (let m = re.exec(text); m; m = re.exec(text)) out.push(m.index);
  return out;
}

interface StatementAnalysisResult {
  statement: StatementResult;
  findings: Finding[];
}

/**
 * DDL or a Citus call in a read-only transaction: Citus' own checks (of an ALTER TABLE, of the call's arguments) come
 * first and give their error; else PostgreSQL's `cannot execute .. in a read-only transaction` (when the model knows
 * the name PostgreSQL gives it). Either way nothing of it happens: it is applied to a copy of the model, to find
 * Citus' error, and the copy is dropped.
 */
function refusedWhenReadOnly(stmt: ParsedStatement, refusal: ReadOnlyRefusal | undefined, model: SchemaModel, session: SessionState, text: string, source: string): StatementAnalysisResult {
  const problems: DdlProblem[] = [];
  // (the sets a statement's DDL changes are copied: the copy's changes are dropped)
  const scratch: SessionState = {
    ...session,
    searchPath: [...session.searchPath],
    created: new Set(session.created),
    distributed: new Set(session.distributed),
    createdHere: session.createdHere && new Set(session.createdHere),
    rowsWrittenTo: session.rowsWrittenTo && new Set(session.rowsWrittenTo),
    freshTables: session.freshTables && new Set(session.freshTables),
    rowKeys: session.rowKeys && new Map(session.rowKeys),
    createdFresh: session.createdFresh && new Set(session.createdFresh),
  };
  applyStatement(stmt, { model: model.clone(), session: scratch, source, problems });
  const citusFirst = problems.find((p) => p.rule === undefined || p.rule === 'alter-table-refused');
  if (citusFirst) return analyzeStatement(stmt, true, model, session, text, [citusFirst]);
  // a call on a table that is a Citus table already: Citus refuses it for that first ("is already distributed"),
  // which the model does not report (the table may have been re-created out of its sight): nothing is said
  const select = stmt.ast?.SelectStmt;
  const call = select ? citusCall(select) : undefined;
  const named = call && DISTRIBUTING_CALLS.has(call) ? citusCallTable(select!) : undefined;
  const table = named ? resolveRegclass(named, model, session.searchPath) : undefined;
  if (table && table.kind !== 'local' && table.kind !== 'citus_local') return analyzeStatement(stmt, false, model, session, text);
  if (refusal) return semanticFailure(stmt, 'other', [readOnlyError(stmt, refusal)], model, session, { start: stmt.start, end: stmt.end });
  // a call whose error the model cannot name: it fails, so the model stays as it was; nothing is said
  return analyzeStatement(stmt, false, model, session, text);
}

/** Citus' calls that make a plain (or citus-local) table a Citus table: refused for one that is a Citus table already. */
const DISTRIBUTING_CALLS = new Set(['create_distributed_table', 'create_distributed_table_concurrently', 'create_reference_table', 'citus_add_local_table_to_metadata']);

/** The rules of errors Citus raises while it executes (a row's distribution value): after the read-only check. */
const EXECUTION_ERRORS = new Set(['dist-column-missing', 'insert-null-dist-column']);

/** The statement fails in parse analysis or planning, before the executor checks the transaction's read-only state. */
function failsBeforeExecution(statement: StatementResult): boolean {
  const failed = statement.prediction.method === 'error' || statement.outcome === 'error';
  return failed && !EXECUTION_ERRORS.has(statement.prediction.rule ?? '');
}

function readOnlyError(stmt: ParsedStatement, refusal: ReadOnlyRefusal): SemanticError {
  return { rule: 'read-only-transaction', message: readOnlyMessage(refusal), location: 0, range: firstKeywordRange(stmt) };
}

/** The statement's first word (where a refusal of the whole statement is shown). */
function firstKeywordRange(stmt: ParsedStatement): { start: number; end: number } {
  const keyword = /^[A-Za-z]+/.exec(stmt.text)?.[0] ?? '';
  return { start: stmt.start, end: stmt.start + Math.max(1, keyword.length) };
}

function blockError(stmt: ParsedStatement, message: string): SemanticError {
  return { rule: 'transaction-block-refused', message, location: 0, range: firstKeywordRange(stmt) };
}

/** The positions in RULES of the rules that check every statement themselves. */
const OWN_CHECK_RULES: readonly number[] = RULES.flatMap((rule, i) => (rule.fromPlanner ? [] : [i]));
/** The position in RULES of each rule that reports a planner finding (by its id). */
const PLANNER_RULE_INDEX = new Map(RULES.flatMap((rule, i) => (rule.fromPlanner ? [[rule.meta.id, i] as const] : [])));

function analyzeStatement(stmt: ParsedStatement, isDdl: boolean, model: SchemaModel, session: SessionState, text: string, problems?: readonly DdlProblem[]): StatementAnalysisResult {
  const range = { start: stmt.start, end: stmt.end };
  if (stmt.error?.tooDeep) return tooDeep(stmt);
  if (stmt.error) {
    return {
      statement: { index: stmt.index, kind: 'other', range, parentIndex: stmt.parentIndex, prediction: { method: 'not_applicable', reasons: [] } },
      findings: [
        {
          rule: 'syntax-error',
          severity: 'error',
          message: stmt.error.message,
          range: errorRange(stmt, stmt.error.offset),
          statementIndex: stmt.index,
        },
      ],
    };
  }
  const kind: StatementKind = isInsertSelect(stmt) ? 'insert_select' : isDdl ? 'ddl' : 'other';
  // PostgreSQL's parse analysis runs before Citus plans anything: a statement it rejects is an error
  // (of DDL, the query of CREATE VIEW / CREATE TABLE .. AS / CREATE MATERIALIZED VIEW, analysed when it is created)
  // (and a column's DEFAULT of CREATE TABLE / ALTER TABLE .. ADD COLUMN, once the table is not refused for another reason)
  const semantic: SemanticResult | undefined =
    kind !== 'ddl' || stmt.ast?.ViewStmt || stmt.ast?.CreateTableAsStmt || (!problems?.length && hasColumnDefaults(stmt.ast)) ? analyzeSemantics(stmt, model, session) : undefined;
  if (semantic?.errors.length) return semanticFailure(stmt, kind, semantic.errors, model, session, range);
  let planner: PlannerResult | undefined;
  if (kind === 'insert_select') planner = predictInsertSelect(stmt, model, session, semantic?.query);
  // every other statement Citus plans (and SET/RESET of citus.* settings): see planner/dml.ts
  let dml: DmlResult | undefined;
  if (kind === 'other' || (isDdl && stmt.ast?.VariableSetStmt)) dml = predictDml(stmt, model, session, text, stmt.ast?.SelectStmt ? semantic?.query : undefined, semantic?.setTargets, semantic?.typed);
  const own = planner?.findings ?? dml?.findings ?? [];
  const ctx: RuleContext = {
    stmt,
    model,
    session,
    plannerFindings: problems?.length ? [...own, ...problems.map((p) => refusedCall(p, text))] : own,
    // a statement Citus refuses is an error whatever its rule's usual severity (INSERT..SELECT: its method)
    method: planner?.method ?? (dml?.outcome === 'error' ? 'error' : undefined),
    rowErrors: semantic?.rowErrors,
  };
  const findings: Finding[] = [];
  // the planner rules only copy planner findings with their id: run those whose id the planner reported, with
  // the other rules, in the rules' order
  const plannerFindings = ctx.plannerFindings;
  let order = OWN_CHECK_RULES;
  if (plannerFindings.length) {
    const more: number[] = [];
    for (let k = 0; k < plannerFindings.length; k++) {
      const r = PLANNER_RULE_INDEX.get(plannerFindings[k].rule);
      if (r !== undefined && !more.includes(r)) more.push(r);
    }
    if (more.length) order = [...OWN_CHECK_RULES, ...more].sort((a, b) => a - b);
  }
  // indexed loops: this runs for every rule and statement, and iterator objects add up
  for (let o = 0; o < order.length; o++) {
    const rule = RULES[order[o]];
    const found = rule.check(ctx);
    for (let k = 0; k < found.length; k++) {
      const f = found[k];
      findings.push({
        rule: rule.meta.id,
        severity: f.severity ?? rule.meta.defaultSeverity,
        message: f.message,
        range: f.range,
        statementIndex: stmt.index,
        explanation: f.explanation,
        citus: f.citus,
        // a statement built by format(...) has no text of its own to edit
        fix: stmt.generated ? undefined : f.fix,
      });
    }
  }
  const decisive = planner?.findings[0];
  return {
    statement: {
      index: stmt.index,
      kind,
      range,
      parentIndex: stmt.parentIndex,
      target: planner?.targetName,
      prediction: planner
        ? {
            method: planner.method,
            reasons: planner.reasons.map(formatCitusMessage),
            summary: planner.summary,
            range: decisive?.range,
            rule: decisive?.rule,
          }
        : dmlPrediction(dml),
      ...(dml?.outcome ? { outcome: dml.outcome } : {}),
      ...(dml?.shardCount !== undefined ? { shardCount: dml.shardCount } : {}),
      ...(dml?.shardCountUpperBound ? { shardCountUpperBound: true } : {}),
      ...(dml?.target && !planner ? { target: dml.target } : {}),
    },
    findings,
  };
}

/**
 * Citus refuses the statement for what the transaction did before it (planner/access.ts): outcome `error` with Citus'
 * message, the finding first; the statement's other findings stay (they still hold once the transaction is changed).
 */
function refusedByAccesses(result: StatementAnalysisResult, f: PlannerFinding, stmt: ParsedStatement, model: SchemaModel, session: SessionState): StatementAnalysisResult {
  const rule = RULES[PLANNER_RULE_INDEX.get(f.rule) as number];
  const ctx: RuleContext = { stmt, model, session, plannerFindings: [f], method: undefined };
  const own: Finding[] = rule.check(ctx).map((r) => ({ rule: f.rule, severity: r.severity ?? rule.meta.defaultSeverity, message: r.message, range: r.range, statementIndex: stmt.index, explanation: r.explanation, citus: r.citus }));
  // (a refused statement touches no shard)
  const statement: StatementResult = { ...result.statement };
  delete statement.shardCount;
  delete statement.shardCountUpperBound;
  const prediction = { reasons: [formatCitusMessage(f.citus)], summary: f.summary, range: f.range, rule: f.rule };
  return {
    statement:
      statement.kind === 'insert_select'
        ? { ...statement, prediction: { method: 'error', ...prediction } }
        : { ...statement, outcome: 'error', prediction: { method: 'not_applicable', ...prediction } },
    findings: [...own, ...result.findings],
  };
}

/** How each rule that reports a refused DDL statement or Citus call words its finding (DdlProblem.rule). */
const REFUSALS: Record<Exclude<NonNullable<DdlProblem['rule']>, 'unknown-table'> | 'distribution-call-refused', { summary: string; refuses: string; after: string; explanation: string }> = {
  'distribution-call-refused': {
    summary: 'Citus refuses the call',
    refuses: 'Citus refuses this call',
    after: 'The table stays as it was.',
    explanation: 'create_distributed_table and alter_distributed_table check their distribution column, colocate_with and the other parameters before they change anything, and stop the script with this error; later statements see the table as it was (local, or distributed as before).',
  },
  'dependent-objects': {
    summary: 'PostgreSQL refuses to drop or change what a view reads',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens.',
    explanation:
      'A view (or materialized view) reads the table or column, and PostgreSQL keeps what views depend on: DROP TABLE and ALTER TABLE .. DROP COLUMN fail without CASCADE (which drops the views too), and ALTER COLUMN .. TYPE fails while a view uses the column. Drop or redefine the views first (CREATE OR REPLACE VIEW without the column), or add CASCADE and create them again afterwards.',
  },
  'trigger-refused': {
    summary: 'Citus refuses the trigger',
    refuses: 'Citus refuses this statement',
    after: 'Nothing of it happens: no trigger is created, enabled or disabled.',
    explanation:
      'A trigger would run on the coordinator\'s shell table only, not on the shards the rows live in, so Citus refuses CREATE TRIGGER on distributed and reference tables (unless citus.enable_unsafe_triggers is on, which makes keeping the trigger correct your job). Citus-local tables take triggers. Do the trigger\'s work in the statements (a DEFAULT, an updated_at set by the UPDATE), or keep the table local.',
  },
  'sequence-refused': {
    summary: 'Citus refuses the sequence statement',
    refuses: 'Citus refuses this statement',
    after: 'The sequence stays as it was.',
    explanation:
      "When Citus distributes a table, the sequences its columns draw from (a serial or identity column's, a DEFAULT nextval('..')) become distributed objects with a range of values per node, and Citus refuses to alter them afterwards; it also refuses a new sequence OWNED BY a Citus table. Set the sequence's options before distributing the table (ALTER SEQUENCE .. RESTART, INCREMENT, AS), or use setval() to move it on, which Citus allows.",
  },
  'relation-already-exists': {
    summary: 'PostgreSQL refuses to create the table again',
    refuses: 'PostgreSQL refuses this statement',
    after: 'The file created it earlier; the first definition stays.',
    explanation: 'Run as a script, the second CREATE TABLE fails and leaves the first table as it was: later statements (create_distributed_table, INSERT, the rollups) see the first definition. Drop the table first, use CREATE TABLE IF NOT EXISTS, or give one of them another name.',
  },
  'foreign-key-refused': {
    summary: 'Citus refuses the foreign key',
    refuses: 'Citus refuses this statement',
    after: 'Nothing of it happens.',
    explanation:
      "Citus keeps the rows a foreign key joins on one node: a distributed table may reference a reference table, or a distributed table colocated with it on the distribution column; reference and citus-local tables may not reference distributed ones. It checks a table's foreign keys when the table is distributed and when a foreign key is added, and stops the script here; later statements see the tables as they were.",
  },
  'partitioned-key-without-partition-column': {
    summary: 'PostgreSQL refuses a key without the partition column',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens.',
    explanation:
      'PostgreSQL enforces a unique key of a partitioned table in each partition, so the key must hold every column of the partition key: a row can only clash with rows of its own partition then. A time-partitioned events table keyed by (tenant_id, event_id) needs the time column in its key: PRIMARY KEY (tenant_id, event_id, created_at). The CREATE TABLE (or ALTER TABLE, CREATE INDEX) fails, and later statements do not see the table (or the key).',
  },
  'partition-bound-refused': {
    summary: 'PostgreSQL refuses the partition bound',
    refuses: 'PostgreSQL refuses this statement',
    after: 'The partition is not created (or not attached).',
    explanation:
      "Each row of a partitioned table belongs to exactly one partition: PostgreSQL refuses a partition whose range or list overlaps another's, a range whose lower bound is not below its upper bound, and a second DEFAULT partition. A copied CREATE TABLE .. PARTITION OF line with one bound left unchanged is the usual cause. Later statements see the parent without it: rows of its range go to the DEFAULT partition, or fail with `no partition of relation .. found for row`.",
  },
  'multiple-primary-keys': {
    summary: 'PostgreSQL refuses a second primary key',
    refuses: 'PostgreSQL refuses this statement',
    after: 'The table keeps the primary key it had (or, for CREATE TABLE, is not created).',
    explanation:
      'A table has at most one primary key. Moving a table to Citus usually means a new key that starts with the distribution column, (tenant_id, id): drop the old one first, in the same statement or before it: `ALTER TABLE t DROP CONSTRAINT t_pkey, ADD PRIMARY KEY (tenant_id, id)`. Later statements see the table with its old key, and create_distributed_table refuses a key without the distribution column.',
  },
  'foreign-key-without-unique-key': {
    summary: 'PostgreSQL refuses the foreign key: no such key on the referenced table',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens (a CREATE TABLE with it creates no table).',
    explanation:
      "A foreign key references a primary key or a unique key of the referenced table: its columns, as a set, must be exactly those of one (not DEFERRABLE), and without columns it references the primary key. Moving tables to Citus changes keys to start with the distribution column, (tenant_id, id): the foreign keys that referenced (id) must then reference (tenant_id, id) too, from (tenant_id, order_id), which is also what Citus needs to keep them on one shard.",
  },
  'key-drop-refused': {
    summary: 'PostgreSQL refuses to drop the key this way',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of the statement happens: the key stays.',
    explanation:
      'A PRIMARY KEY or UNIQUE constraint owns its index: DROP INDEX cannot drop it, ALTER TABLE .. DROP CONSTRAINT does. A foreign key uses the unique index of the key it references: dropping the key drops the foreign key with it, which PostgreSQL does only with CASCADE. When a table moves to a key that starts with the distribution column, drop the foreign keys that reference the old key first (or use DROP CONSTRAINT .. CASCADE), change the key, then add the foreign keys again on the new one: FOREIGN KEY (tenant_id, order_id) REFERENCES orders (tenant_id, id).',
  },
  'undefined-constraint': {
    summary: 'PostgreSQL has no constraint of that name',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens: the table keeps its constraints.',
    explanation:
      "The table has no constraint of that name: every constraint the workspace's DDL gave it has another one. A name PostgreSQL chose is `<table>_pkey` for the primary key, `<table>_<columns>_key` for a UNIQUE constraint, `<table>_<column>_check`, `<table>_<columns>_fkey`; `\\d <table>` in psql lists them. A unique index made by CREATE UNIQUE INDEX is no constraint: DROP INDEX drops it. Later statements see the table as it was: an ADD PRIMARY KEY after a DROP CONSTRAINT of the old key's wrong name fails too.",
  },
  'foreign-key-type-mismatch': {
    summary: 'PostgreSQL cannot compare the foreign key with the key it references',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens (a CREATE TABLE with it creates no table).',
    explanation:
      "A foreign key compares each of its columns with the referenced key's column through the key's index, so their types must compare: the same type, types of one family (smallint, integer and bigint; real and double precision; date and the timestamps; text and name), or a type that converts implicitly to the key's (integer to numeric, varchar to text). A uuid or text column cannot reference an integer key, nor a numeric one an integer key. Give the referencing column the referenced key's type; when moving to Citus, the distribution columns of colocated tables must have one type anyway.",
  },
  'constraint-already-exists': {
    summary: 'the table has a constraint of that name',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens: the table keeps its constraints.',
    explanation:
      "A constraint's name is unique among the table's constraints: the CHECK or foreign key added under a name the table already has (the same migration run twice, a name copied from another statement) is refused. Drop the old one first (ALTER TABLE .. DROP CONSTRAINT IF EXISTS name, ADD CONSTRAINT name .. in one statement), or give the new one another name.",
  },
  'ddl-column-error': {
    summary: 'PostgreSQL has no such column (or has it already)',
    refuses: 'PostgreSQL refuses this statement',
    after: 'Nothing of it happens: the table stays as it was (a CREATE TABLE with it creates no table).',
    explanation:
      "The statement names a column the table does not have (a typo, a column renamed or dropped earlier in the file, a column of another table), or adds one it already has. Every later statement sees the table as it was: a migration that renames `tenant` to `tenant_id` and then keys on `tenant_id` fails at the key when the rename named the wrong column. `\\d <table>` in psql lists the columns; ADD COLUMN IF NOT EXISTS and DROP COLUMN IF EXISTS make a script that runs twice safe.",
  },
  'alter-table-refused': {
    summary: 'Citus refuses the ALTER TABLE',
    refuses: 'Citus refuses this statement',
    after: 'Nothing of it happens.',
    explanation:
      "Citus propagates ALTER TABLE to every shard, and refuses what it cannot: changing the distribution column (its type, its default, dropping it or its NOT NULL) would move rows between shards, ADD CONSTRAINT must be a statement of its own, and a constraint of a Citus table cannot be renamed. To change the distribution column's type, use alter_distributed_table(table, distribution_column => ..) or re-create the table; split the other ALTER TABLE into one statement per subcommand; drop a constraint and add it again under the new name.",
  },
};

/** A DDL statement or Citus call PostgreSQL or Citus refuses, as its rule's finding (distribution-call-refused by default). */
function refusedCall(p: DdlProblem, text: string): PlannerFinding {
  const name = /^[\w.$"]+/.exec(text.slice(p.offset))?.[0] ?? '';
  if (p.rule === 'unknown-table') return unknownCallTable(p, name, text);
  const rule = p.rule ?? 'distribution-call-refused';
  const r = REFUSALS[rule];
  return {
    rule,
    citus: { level: 'ERROR' as const, message: p.message, ...(p.detail ? { detail: p.detail } : {}), ...(p.hint ? { hint: p.hint } : {}) },
    range: { start: p.offset, end: p.offset + Math.max(1, name.length) },
    summary: r.summary,
    message: `${r.refuses}: ${p.message.replace(/\.$/, '')}${p.detail ? ` (${p.detail.replace(/\.$/, '')})` : ''}. ${r.after}`,
    explanation: r.explanation,
    severity: 'error',
  };
}

/**
 * A Citus call (create_distributed_table, ...) of a table the model does not know: a warning, as for a query's (the
 * model may not see every table); the call is not followed.
 */
function unknownCallTable(p: DdlProblem, name: string, text: string): PlannerFinding {
  const { name: table, near } = p.unknownTable ?? { name: '', near: '' };
  return {
    rule: 'unknown-table',
    citus: { level: 'ERROR', message: p.message },
    range: { start: p.offset, end: p.offset + Math.max(1, name.length) },
    summary: 'unknown table',
    message: `Unknown table "${table}": no DDL, snapshot or cluster defines it. Perhaps you meant the table "${near}". If the name is misspelt, PostgreSQL refuses the call (relation "${table}" does not exist)`,
    explanation:
      'No CREATE TABLE in the workspace, no metadata snapshot and no connected cluster defines this table, so Citus Rollups cannot follow the call. Add its DDL to the workspace, configure a snapshot, or connect a cluster.',
    fix: tableNameFix(text, p.offset, table, near),
  };
}

/**
 * Replaces the call's string literal that names `table` (a plain lower-case name, or schema.name) with `near`, keeping
 * the schema; none for a quoted or mixed-case name (the literal cannot be rewritten without knowing the quoting meant).
 */
function tableNameFix(text: string, callAt: number, table: string, near: string): Fix | undefined {
  const close = text.indexOf(')', callAt);
  const args = text.slice(callAt, close < 0 ? undefined : close);
  const plain = /^(?:[a-z_][a-z0-9_$]*\.)?[a-z_][a-z0-9_$]*$/;
  for (const m of args.matchAll(/'([^']*)'/g)) {
    if (m[1] !== table || !plain.test(m[1])) continue;
    const start = callAt + m.index;
    const schema = table.includes('.') ? table.slice(0, table.lastIndexOf('.') + 1) : '';
    return { title: `Change to '${schema}${near}'`, edits: [{ range: { start, end: start + m[0].length }, newText: `'${schema}${near}'` }] };
  }
  return undefined;
}

/**
 * A statement nested more deeply than the parser's or the analysis' stack allows (thousands of `a || b || ..`, say):
 * no syntax error and no bug to report, but nothing is said about it (PostgreSQL has such a limit too, its
 * max_stack_depth: `stack depth limit exceeded`).
 */
function tooDeep(stmt: ParsedStatement): StatementAnalysisResult {
  return notAnalysed(
    stmt,
    'Citus Rollups cannot analyse this statement: its expressions are nested too deeply for its analysis (nothing is predicted for it). PostgreSQL refuses very deep nesting too, beyond its max_stack_depth: "stack depth limit exceeded"',
  );
}

/** An exception of the analysis itself: one `internal-error` finding that asks to report it, with the stack. */
function internalError(stmt: ParsedStatement, e: unknown): StatementAnalysisResult {
  if (isStackOverflow(e)) return tooDeep(stmt);
  const err = e instanceof Error ? e : new Error(String(e));
  return notAnalysed(stmt, `Citus Rollups could not analyse this statement (internal error: ${err.message}). Please report it with the statement: https://github.com/citus-rollups/citus-rollups/issues`, err.stack ?? err.message);
}

/** A statement nothing is predicted for, with one `internal-error` warning on its first word (`internal`: for the log). */
function notAnalysed(stmt: ParsedStatement, message: string, internal?: string): StatementAnalysisResult {
  const range = { start: stmt.start, end: Math.max(stmt.start + 1, stmt.end) };
  return {
    statement: { index: stmt.index, kind: 'other', range, parentIndex: stmt.parentIndex, prediction: { method: 'not_applicable', reasons: [] } },
    findings: [
      {
        rule: 'internal-error',
        severity: 'warning',
        message,
        range: { start: stmt.start, end: Math.min(range.end, stmt.start + Math.max(1, stmt.text.search(/\s|$/))) },
        statementIndex: stmt.index,
        ...(internal ? { internal } : {}),
      },
    ],
  };
}

/**
 * A statement PostgreSQL rejects: one finding per error (the first is the one PostgreSQL raises), method
 * `error` (outcome `error` for other statements) with PostgreSQL's message as the reason. Citus never plans
 * it, so no other rule speaks.
 */
function semanticFailure(stmt: ParsedStatement, kind: StatementKind, errors: SemanticError[], model: SchemaModel, session: SessionState, range: { start: number; end: number }): StatementAnalysisResult {
  const pos = new StatementPositions(stmt);
  const plannerFindings: PlannerFinding[] = errors.map((e) => {
    const citus = { level: 'ERROR' as const, message: e.message, detail: e.detail, hint: e.hint };
    const explain = SEMANTIC_EXPLANATIONS[e.rule];
    return {
      rule: e.rule,
      citus,
      range: e.range ?? (e.name || !e.node ? pos.nameRange(e.location) : pos.nodeRange(e.node, e.location)),
      summary: explain.summary,
      message: (e.hint ? `${e.message}. ${e.hint}` : e.message) + (e.note ? ` (${e.note})` : ''),
      explanation: explain.explanation,
      severity: 'error',
    };
  });
  const ctx: RuleContext = { stmt, model, session, plannerFindings, method: 'error' };
  const findings: Finding[] = [];
  for (const rule of RULES) {
    if (!rule.fromPlanner) continue;
    for (const f of rule.check(ctx)) {
      findings.push({ rule: rule.meta.id, severity: 'error', message: f.message, range: f.range, statementIndex: stmt.index, explanation: f.explanation, citus: f.citus });
    }
  }
  findings.sort((a, b) => plannerFindings.findIndex((p) => p.rule === a.rule && p.range.start === a.range.start) - plannerFindings.findIndex((p) => p.rule === b.rule && p.range.start === b.range.start));
  const first = plannerFindings[0];
  const reasons = [formatCitusMessage(first.citus)];
  return {
    statement: {
      index: stmt.index,
      kind,
      range,
      parentIndex: stmt.parentIndex,
      ...(kind === 'insert_select' ? { target: insertTargetName(stmt) } : {}),
      prediction: { method: kind === 'insert_select' ? 'error' : 'not_applicable', reasons, summary: first.summary, range: first.range, rule: first.rule },
      ...(kind === 'insert_select' ? {} : { outcome: 'error' as const }),
    },
    findings,
  };
}

/**
 * PostgreSQL `major`'s own error for a statement that parsed with PostgreSQL 17's grammar but not with the older
 * version's (libpg.ts: olderGrammarError), as a semantic error at the token PostgreSQL points to.
 */
function newerSyntax(stmt: ParsedStatement, major: number): SemanticError | undefined {
  if (!stmt.ast || stmt.generated) return undefined;
  const e = olderGrammarError(stmt.text, major);
  if (!e) return undefined;
  const near = /at or near "(.*)"$/.exec(e.message);
  const start = stmt.start + e.offset;
  const end = near ? start + near[1].length : stmt.start + expressionEnd(stmt.text, e.offset);
  return {
    rule: 'newer-postgres-syntax',
    message: e.message,
    location: 0,
    range: { start, end: Math.max(start + 1, Math.min(end, stmt.end)) },
    note: `PostgreSQL ${major}, which the project declares, does not have this syntax; later versions do`,
  };
}

function insertTargetName(stmt: ParsedStatement): string | undefined {
  const rv = stmt.ast?.InsertStmt?.relation;
  return rv ? (rv.schemaname ? `${rv.schemaname}.${rv.relname}` : rv.relname) : undefined;
}

function dmlPrediction(dml: DmlResult | undefined): StatementResult['prediction'] {
  if (!dml) return { method: 'not_applicable', reasons: [] };
  const decisive = dml.findings[0];
  return { method: 'not_applicable', reasons: dml.reasons.map(formatCitusMessage), summary: dml.summary, range: decisive?.range, rule: decisive?.rule };
}

/** INSERT .. SELECT (including set operations and SELECT without FROM), not INSERT .. VALUES. */
export function isInsertSelect(stmt: ParsedStatement): boolean {
  const select = stmt.ast?.InsertStmt?.selectStmt?.SelectStmt;
  if (!select) return false;
  return !(select.valuesLists && (select.op === undefined || select.op === 'SETOP_NONE'));
}

/**
 * The token a syntax error points at; at the end of the input (nothing left to point at) the last
 * token before it, so editors always have something to underline.
 */
function errorRange(stmt: ParsedStatement, offset: number): { start: number; end: number } {
  const TOKEN = /("(?:[^"]|"")*"|'(?:[^']|'')*'|[\w$\u0080-\uffff]+|\S)/y;
  const local = Math.max(0, offset - stmt.start);
  const rest = stmt.text.slice(local).replace(/;\s*$/, '');
  if (rest.trim() !== '') {
    const lead = rest.length - rest.trimStart().length;
    TOKEN.lastIndex = local + lead;
    const m = TOKEN.exec(stmt.text);
    if (m) return { start: stmt.start + local + lead, end: stmt.start + local + lead + m[0].length };
  }
  // end of input: the last token of the statement
  const body = stmt.text.slice(0, local).replace(/[\s;]+$/, '');
  const last = /("(?:[^"]|"")*"|'(?:[^']|'')*'|[\w$\u0080-\uffff]+|\S)$/.exec(body);
  if (last) return { start: stmt.start + last.index, end: stmt.start + body.length };
  return { start: stmt.start, end: Math.max(stmt.start + 1, stmt.end) };
}

/** The rule ids of every match of a directive; `all` when one names none. */
const NO_DIRECTIVES: { all: boolean; ids: Set<string> } = { all: false, ids: new Set() };

function directiveIds(text: string, directive: RegExp, counts: (offset: number) => boolean = () => true): { all: boolean; ids: Set<string> } {
  const ids = new Set<string>();
  let all = false;
  for (const m of text.matchAll(directive)) {
    if (!counts(m.index + m[0].indexOf('--'))) continue;
    const named = m[1].split(/[\s,]+/).filter(Boolean);
    if (named.length === 0) all = true;
    for (const id of named) ids.add(id);
  }
  return { all, ids };
}

/**
 * Applies `-- citus-rollups-disable-next-statement [ids]`, `-- citus-rollups-disable-file [ids]` and the severity
 * settings. A directive without ids silences every rule but `syntax-error`.
 */
function filterFindings(findings: Finding[], stmt: ParsedStatement, text: string, options: AnalyzeOptions, file: { all: boolean; ids: Set<string> }): Finding[] {
  if (findings.length === 0) return findings;
  const leading = text.slice(stmt.leadingStart, stmt.start);
  const statement = leading.includes('citus-rollups-disable') ? directiveIds(leading, DISABLE_DIRECTIVE) : NO_DIRECTIVES;
  const out: Finding[] = [];
  for (const f of findings) {
    if (f.rule !== 'syntax-error' && (statement.all || statement.ids.has(f.rule) || file.all || file.ids.has(f.rule))) continue;
    const override = options.severities?.[f.rule];
    if (override === 'off') continue;
    const finding = override ? { ...f, severity: override } : f;
    out.push(stmt.caught && finding.severity === 'error' ? caughtFinding(finding) : finding);
  }
  return out;
}

/**
 * An error of a statement inside a PL/pgSQL block with an EXCEPTION clause: the block's handler may catch it (a
 * `WHEN unique_violation` upsert, a `WHEN OTHERS` fallback) and the function goes on, so it is a warning that says so.
 */
function caughtFinding(f: Finding): Finding {
  return { ...f, severity: 'warning', message: `${f.message} (inside a block whose EXCEPTION clause may catch the error)` };
}
