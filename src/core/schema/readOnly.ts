/**
 * Read-only transactions, as PostgreSQL 15 keeps them (XactReadOnly): `BEGIN READ ONLY` / `START TRANSACTION .. READ
 * ONLY`, `SET TRANSACTION READ ONLY` (or `SET transaction_read_only`) inside a block, and the session's
 * `default_transaction_read_only` (`SET`, `SET SESSION CHARACTERISTICS AS TRANSACTION READ ONLY`) that every later
 * transaction starts with. In one, PostgreSQL refuses what writes: `cannot execute INSERT in a read-only transaction`.
 *
 * What is refused, and with which name, is PostgreSQL's (recorded on Citus 13.2.2, probe file
 * read-only-transactions.sql):
 * - the executor's check (ExecCheckXactReadOnly, execMain.c): a statement that writes a relation that is not
 *   temporary, after it was planned: INSERT / UPDATE / DELETE / MERGE, a SELECT with a data-modifying CTE or FOR
 *   UPDATE / SHARE. The name is the statement's: `INSERT`, ..., `SELECT FOR UPDATE` for PostgreSQL's own plan of a
 *   locking SELECT, `SELECT` for Citus' (a Citus table in it) and for a data-modifying CTE in a SELECT. Errors of
 *   parse analysis and planning come first; a NULL or missing distribution value (found at execution) after;
 * - the utility check (ClassifyUtilityCommandAsReadOnly, utility.c): DDL (CREATE / ALTER / DROP, TRUNCATE, COMMENT,
 *   GRANT, REFRESH), by its command tag, temporary objects too, before it does anything; Citus' own checks of an ALTER
 *   TABLE (and of a relation that does not exist) come first;
 * - Citus' calls that change its metadata: create_distributed_table and the like take a colocation id from a
 *   sequence (`cannot execute nextval() in a read-only transaction`), undistribute_table creates a table (`CREATE
 *   TABLE`), after Citus checked their arguments.
 * Reads, SET, EXPLAIN (without ANALYZE), LOCK TABLE and writes of temporary tables run.
 *
 * The model says something only when it is sure: the state is `'unknown'` from a statement it cannot follow (a
 * function or DO body, set_config, `SET TRANSACTION READ WRITE` in a read-only block, which Citus and PostgreSQL
 * treat differently) and a statement is refused only when every relation it writes is one the model knows.
 */
import { functionName, nodeType, stringValue, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { isCitusTable, type SchemaModel, type TableModel } from './model';
import { parsePgBool } from './settings';

/** Whether transactions are read-only: 'unknown' when the file changed it in a way the model does not follow. */
export type ReadOnlyState = boolean | 'unknown';

/** The part of the session (SessionState, ./ddl.ts) this module keeps. */
export interface ReadOnlySession {
  inTransaction?: boolean;
  /** default_transaction_read_only: every transaction (a statement outside a block, a block) starts so */
  readOnlyDefault?: ReadOnlyState;
  /** the open transaction block is read-only */
  readOnlyBlock?: ReadOnlyState;
  /** what default_transaction_read_only is in a new session (`\c`, RESET): 'unknown' after ALTER ROLE / DATABASE sets it */
  readOnlyAtConnect?: 'unknown';
}

/** True when the model is sure the statement about to run runs in a read-only transaction. */
export function inReadOnlyTransaction(session: ReadOnlySession): boolean {
  return (session.inTransaction ? session.readOnlyBlock : session.readOnlyDefault) === true;
}

/** A BEGIN / START TRANSACTION that opens a block: READ ONLY / READ WRITE, else the session's default. */
export function beginBlock(tx: PgNode, session: ReadOnlySession): void {
  const option = transactionReadOnlyOption(tx.options);
  session.readOnlyBlock = option ?? session.readOnlyDefault ?? false;
}

/**
 * A SET / RESET of the read-only settings (a VariableSetStmt). Returns true when the statement was one of them. Inside
 * a block, a change of the session's default is 'unknown' until the block ends (it lasts only if the block commits,
 * which the model cannot tell); the tracker restores it at ROLLBACK.
 */
export function followReadOnlySetting(set: PgNode, session: ReadOnlySession): boolean {
  const name = String(set.name ?? '').toLowerCase();
  if (name === 'transaction' || name === 'transaction_read_only') {
    const value = name === 'transaction' ? transactionReadOnlyOption(set.args) : set.kind === 'VAR_SET_VALUE' ? boolOf(set.args?.[0]) : 'unknown';
    if (value === undefined) return name === 'transaction_read_only';
    // outside a block it lasts for its own statement only (SET TRANSACTION warns)
    if (!session.inTransaction) return true;
    // READ ONLY can be set at any time; back to READ WRITE fails after the first query or in a savepoint, and a
    // block that began read-only still refuses Citus' writes: not followed
    session.readOnlyBlock = value === true ? true : value === false && session.readOnlyBlock === false ? false : 'unknown';
    return true;
  }
  if (name === 'session characteristics' || name === 'default_transaction_read_only') {
    // (SET LOCAL lasts until this transaction ends, which started already: it changes nothing)
    if (set.is_local) return true;
    const value: ReadOnlyState | undefined =
      name === 'session characteristics'
        ? transactionReadOnlyOption(set.args)
        : set.kind === 'VAR_SET_VALUE'
          ? boolOf(set.args?.[0])
          : set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET'
            ? (session.readOnlyAtConnect ?? false)
            : 'unknown';
    if (value === undefined) return name === 'default_transaction_read_only';
    session.readOnlyDefault = session.inTransaction ? 'unknown' : value;
    return true;
  }
  return false;
}

/** RESET ALL, or a new session: the default returns to what the session starts with. */
export function resetReadOnly(session: ReadOnlySession): void {
  session.readOnlyDefault = session.readOnlyAtConnect;
}

const READ_ONLY_TEXT = /transaction_read_only|\bread\s+(?:only|write)\b/i;

/**
 * A statement that may change the read-only state in a way the model does not follow: a body (DO, CREATE FUNCTION:
 * its SET clauses, its statements), set_config(..), ALTER ROLE / DATABASE .. SET (for later sessions). Call for the
 * top-level statements that are not SET / RESET / BEGIN.
 */
export function noteOpaqueReadOnly(stmt: ParsedStatement, session: ReadOnlySession): void {
  const change = readOnlyChangeOutOfSight(stmt);
  if (change === 'next-session') session.readOnlyAtConnect = 'unknown';
  else if (change === 'session') {
    session.readOnlyDefault = 'unknown';
    if (session.inTransaction) session.readOnlyBlock = 'unknown';
  }
}

/**
 * Whether a top-level statement may change the read-only state out of the model's sight (see noteOpaqueReadOnly):
 * 'session' from here on, 'next-session' after `\c`. The language server re-analyses what follows such a statement.
 */
export function readOnlyChangeOutOfSight(stmt: ParsedStatement): 'session' | 'next-session' | undefined {
  if (!READ_ONLY_TEXT.test(stmt.text)) return undefined;
  const type = stmt.ast ? nodeType(stmt.ast) : undefined;
  if (type === 'VariableSetStmt' || type === 'TransactionStmt') return undefined;
  if (type === 'AlterRoleSetStmt' || type === 'AlterDatabaseSetStmt') return 'next-session';
  // (a SELECT or DML whose text merely says "read only" in a string changes nothing; set_config does)
  if ((type === 'SelectStmt' || type === 'InsertStmt' || type === 'UpdateStmt' || type === 'DeleteStmt') && !/transaction_read_only/i.test(stmt.text)) return undefined;
  return 'session';
}

/**
 * In a read-only transaction, a statement that fails before it changes anything the model keeps: DDL PostgreSQL
 * refuses, or one of Citus' calls (each writes its metadata). `analyzeDocument` and the workspace schema leave it out.
 */
export function refusedBeforeAnyChange(stmt: ParsedStatement, refusal: ReadOnlyRefusal | undefined): boolean {
  return refusal?.when === 'utility' || (!!stmt.ast?.SelectStmt && citusCall(stmt.ast.SelectStmt) !== undefined);
}

/** Whether a document's text may change the read-only state (a cheap test before the statements are looked at). */
export function mentionsReadOnly(text: string): boolean {
  return READ_ONLY_TEXT.test(text);
}

/** The READ ONLY / READ WRITE of a BEGIN's, SET TRANSACTION's or SET SESSION CHARACTERISTICS' options. */
function transactionReadOnlyOption(options: PgNode[] | undefined): boolean | undefined {
  for (const o of options ?? []) {
    if (o.DefElem?.defname === 'transaction_read_only') return boolOf(o.DefElem.arg) === true;
  }
  return undefined;
}

function boolOf(arg: PgNode | undefined): ReadOnlyState {
  const c = arg?.A_Const;
  if (c?.ival !== undefined) return (c.ival.ival ?? 0) !== 0;
  const s = stringValue(arg) ?? c?.sval?.sval;
  if (s === undefined) return 'unknown';
  return parsePgBool(String(s)) ?? 'unknown';
}

/** What PostgreSQL refuses in a read-only transaction, and when. */
export interface ReadOnlyRefusal {
  /** the command's name in PostgreSQL's message (`cannot execute <command> in a read-only transaction`) */
  command: string;
  /**
   * 'executor': checked when the plan starts (errors of parse analysis and planning come first); 'utility': before
   * the command does anything (Citus' own checks of an ALTER TABLE and of its calls' arguments come first)
   */
  when: 'executor' | 'utility';
}

/** The message PostgreSQL gives. */
export function readOnlyMessage(r: ReadOnlyRefusal): string {
  return `cannot execute ${r.command} in a read-only transaction`;
}

const LOCK_NAMES: Record<string, string> = {
  LCS_FORKEYSHARE: 'SELECT FOR KEY SHARE',
  LCS_FORSHARE: 'SELECT FOR SHARE',
  LCS_FORNOKEYUPDATE: 'SELECT FOR NO KEY UPDATE',
  LCS_FORUPDATE: 'SELECT FOR UPDATE',
};

const DML_NAMES: Record<string, string> = { InsertStmt: 'INSERT', UpdateStmt: 'UPDATE', DeleteStmt: 'DELETE', MergeStmt: 'MERGE' };

/** Citus' calls, and the write PostgreSQL refuses first in them once their arguments are checked. */
const CITUS_CALL_COMMANDS: Record<string, string> = {
  create_distributed_table: 'nextval()',
  create_reference_table: 'nextval()',
  citus_add_local_table_to_metadata: 'nextval()',
  update_distributed_table_colocation: 'nextval()',
  citus_schema_distribute: 'nextval()',
  undistribute_table: 'CREATE TABLE',
  alter_table_set_access_method: 'CREATE TABLE',
};

/** Citus' calls that write its metadata: none of them runs in a read-only transaction. */
export const CITUS_WRITING_CALLS = new Set([
  ...Object.keys(CITUS_CALL_COMMANDS),
  'create_distributed_table_concurrently',
  'alter_distributed_table',
  'alter_old_partitions_set_access_method',
  'citus_schema_undistribute',
]);

/**
 * Whether a top-level statement is refused in a read-only transaction, with PostgreSQL's name for it; undefined when
 * it runs, or when the model cannot be sure (a relation it does not know, a view, a form not listed here).
 */
export function readOnlyRefusal(stmt: ParsedStatement, model: SchemaModel, searchPath: readonly string[]): ReadOnlyRefusal | undefined {
  const ast = stmt.ast;
  if (!ast) return undefined;
  const type = nodeType(ast);
  if (!type) return undefined;
  const node = ast[type] as PgNode;
  const resolve = (rv: PgNode | undefined): TableModel | undefined => (rv?.relname ? model.resolve(rv.schemaname, rv.relname, searchPath) : undefined);
  // whether PostgreSQL refuses a write of the relation: a table the model knows, not temporary (a view may stand for a
  // temporary one)
  const writesPersistent = (rv: PgNode | undefined): 'yes' | 'no' | 'unknown' => {
    const t = resolve(rv);
    if (!t || t.kind === 'view' || t.kind === 'matview') return 'unknown';
    return t.temporary ? 'no' : 'yes';
  };
  // the data-modifying CTEs of a statement (each writes its own target)
  const cteWrites = (): 'yes' | 'no' | 'unknown' => {
    let result: 'yes' | 'no' | 'unknown' = 'no';
    for (const cte of node.withClause?.ctes ?? []) {
      const q = cte.CommonTableExpr?.ctequery;
      const qType = q ? nodeType(q) : undefined;
      if (!qType || !DML_NAMES[qType]) continue;
      const w = writesPersistent(q[qType].relation);
      if (w === 'yes') return 'yes';
      if (w === 'unknown') result = 'unknown';
    }
    return result;
  };
  if (DML_NAMES[type]) {
    const target = writesPersistent(node.relation);
    if (target === 'yes' || (target === 'no' && cteWrites() === 'yes')) return { command: DML_NAMES[type], when: 'executor' };
    return undefined;
  }
  if (type === 'SelectStmt') {
    if (node.intoClause) return undefined;
    const call = citusCall(node);
    if (call) return CITUS_CALL_COMMANDS[call] ? { command: CITUS_CALL_COMMANDS[call], when: 'utility' } : undefined;
    if (cteWrites() === 'yes') return { command: 'SELECT', when: 'executor' };
    return lockingRefusal(node, resolve) ?? sequenceCall(node, model, searchPath);
  }
  // COPY .. FROM into a plain table that is not temporary (DoCopy); Citus' own COPY into its tables does not check
  // (measured on Citus 13.2.2: a distributed, reference or citus-local table takes the rows in a read-only block)
  if (type === 'CopyStmt') {
    const t = node.is_from ? resolve(node.relation) : undefined;
    return t && t.kind === 'local' && !t.temporary && !t.catalog ? { command: 'COPY FROM', when: 'utility' } : undefined;
  }
  const command = utilityCommand(type, node, resolve);
  return command ? { command, when: 'utility' } : undefined;
}

/**
 * `SELECT nextval('seq')` / `setval(..)` without FROM or WHERE (the call surely runs, once) of a sequence the workspace
 * creates, not a temporary one: PostgreSQL refuses it with the function's name (nextval_internal, do_setval).
 */
function sequenceCall(select: PgNode, model: SchemaModel, searchPath: readonly string[]): ReadOnlyRefusal | undefined {
  if (select.fromClause?.length || select.whereClause || select.havingClause || select.op !== 'SETOP_NONE') return undefined;
  for (const t of select.targetList ?? []) {
    const call = t.ResTarget?.val?.FuncCall;
    const name = call ? functionName(call) : undefined;
    if (name !== 'nextval' && name !== 'setval') continue;
    const text = stringValue(call.args?.[0]) ?? stringValue(call.args?.[0]?.TypeCast?.arg);
    if (!text || !/^[a-z_][a-z0-9_$]*(\.[a-z_][a-z0-9_$]*)?$/.test(text)) continue;
    const parts = text.split('.');
    const seq = parts[parts.length - 1];
    if (model.temporarySequences.has(seq)) continue;
    const known = parts.length === 2 ? model.sequences.has(text) : searchPath.some((schema) => model.sequences.has(`${schema}.${seq}`));
    if (known) return { command: `${name}()`, when: 'executor' };
  }
  return undefined;
}

/** `SELECT citus_function(..)`, the call alone: its name when it is one of Citus' calls that write metadata. */
export function citusCall(select: PgNode): string | undefined {
  if (select.fromClause?.length || select.whereClause || select.targetList?.length !== 1) return undefined;
  const call = select.targetList[0]?.ResTarget?.val?.FuncCall;
  if (!call) return undefined;
  const name = functionName(call);
  return CITUS_WRITING_CALLS.has(name) ? name : undefined;
}

/** The table a Citus call names (its first argument, or `table_name =>`), as written in the string constant. */
export function citusCallTable(select: PgNode): string | undefined {
  const call = select.targetList?.[0]?.ResTarget?.val?.FuncCall;
  const args: PgNode[] = call?.args ?? [];
  const named = args.find((a) => a.NamedArgExpr?.name === 'table_name')?.NamedArgExpr?.arg;
  const first = named ?? (args[0]?.NamedArgExpr ? undefined : args[0]);
  return stringValue(first) ?? undefined;
}

/**
 * SELECT .. FOR UPDATE / SHARE: refused when it locks a relation that is not temporary. Citus' plan of a query with
 * a Citus table is named `SELECT`, PostgreSQL's own `SELECT FOR <strength>`. Only when every relation of the statement
 * is a table the model knows (the locks of FROM's subqueries and views are not followed).
 */
function lockingRefusal(select: PgNode, resolve: (rv: PgNode | undefined) => TableModel | undefined): ReadOnlyRefusal | undefined {
  const clauses: PgNode[] = (select.lockingClause ?? []).map((c: PgNode) => c.LockingClause).filter(Boolean);
  if (!clauses.length || select.op !== 'SETOP_NONE') return undefined;
  const strengths = new Set(clauses.map((c) => c.strength));
  if (strengths.size !== 1) return undefined;
  const tables: TableModel[] = [];
  let sure = true;
  walk(select, (t, f) => {
    if (t === 'RangeVar') {
      const table = resolve(f);
      if (!table || table.kind === 'view' || table.kind === 'matview') sure = false;
      else tables.push(table);
    } else if (t === 'RangeSubselect' || t === 'RangeFunction' || t === 'CommonTableExpr') sure = false;
    return sure;
  });
  if (!sure || !tables.length) return undefined;
  // the relations locked: those named in OF, else all of FROM (here: every relation of the statement)
  const named: string[] = clauses.flatMap((c) => (c.lockedRels ?? []).map((rv: PgNode) => rv.RangeVar?.relname));
  const locked = named.length === 0 ? tables : clauses.some((c) => !c.lockedRels?.length) ? tables : undefined;
  if (!locked) {
    // FOR UPDATE OF t: t is a name or an alias in FROM; the model is sure only when each is a table it knows by name
    if (named.some((n) => !tables.some((t) => t.name === n))) return undefined;
    if (tables.filter((t) => named.includes(t.name)).every((t) => t.temporary)) return undefined;
  } else if (locked.every((t) => t.temporary)) return undefined;
  return { command: tables.some(isCitusTable) ? 'SELECT' : LOCK_NAMES[clauses[0].strength] ?? 'SELECT', when: 'executor' };
}

const DROP_NAMES: Record<string, string> = {
  OBJECT_TABLE: 'DROP TABLE',
  OBJECT_INDEX: 'DROP INDEX',
  OBJECT_VIEW: 'DROP VIEW',
  OBJECT_MATVIEW: 'DROP MATERIALIZED VIEW',
  OBJECT_SEQUENCE: 'DROP SEQUENCE',
  OBJECT_SCHEMA: 'DROP SCHEMA',
  OBJECT_FUNCTION: 'DROP FUNCTION',
  OBJECT_TYPE: 'DROP TYPE',
  OBJECT_DOMAIN: 'DROP DOMAIN',
};

const ALTER_NAMES: Record<string, string> = {
  OBJECT_TABLE: 'ALTER TABLE',
  OBJECT_VIEW: 'ALTER VIEW',
  OBJECT_MATVIEW: 'ALTER MATERIALIZED VIEW',
};

/** The command tag (CreateCommandTag, utility.c) of DDL PostgreSQL refuses in a read-only transaction. */
function utilityCommand(type: string, node: PgNode, resolve: (rv: PgNode | undefined) => TableModel | undefined): string | undefined {
  switch (type) {
    case 'CreateStmt':
      // (a partition or child of a table the model does not know: Citus may look it up first)
      return node.inhRelations?.some((rv: PgNode) => !resolve(rv.RangeVar)) ? undefined : 'CREATE TABLE';
    case 'CreateTableAsStmt':
      return node.is_select_into ? undefined : node.objtype === 'OBJECT_MATVIEW' ? 'CREATE MATERIALIZED VIEW' : 'CREATE TABLE AS';
    case 'ViewStmt':
      return 'CREATE VIEW';
    case 'IndexStmt': {
      // (a table the model knows, temporary too: DDL is refused either way)
      const t = resolve(node.relation);
      return t && t.kind !== 'view' && t.kind !== 'matview' ? 'CREATE INDEX' : undefined;
    }
    case 'CreateSchemaStmt':
      return 'CREATE SCHEMA';
    case 'CreateSeqStmt':
      return 'CREATE SEQUENCE';
    case 'AlterSeqStmt':
      return 'ALTER SEQUENCE';
    case 'CreateFunctionStmt':
      return node.is_procedure ? 'CREATE PROCEDURE' : 'CREATE FUNCTION';
    case 'CreateExtensionStmt':
      return 'CREATE EXTENSION';
    case 'CreateEnumStmt':
    case 'CompositeTypeStmt':
      return 'CREATE TYPE';
    case 'CreateDomainStmt':
      return 'CREATE DOMAIN';
    case 'AlterEnumStmt':
      return 'ALTER TYPE';
    case 'RefreshMatViewStmt':
      return 'REFRESH MATERIALIZED VIEW';
    case 'TruncateStmt':
      return (node.relations ?? []).every((rv: PgNode) => resolve(rv.RangeVar)) ? 'TRUNCATE TABLE' : undefined;
    case 'CommentStmt':
      return 'COMMENT';
    case 'GrantStmt':
      return node.is_grant ? 'GRANT' : 'REVOKE';
    case 'DropStmt':
      return DROP_NAMES[node.removeType];
    case 'AlterTableStmt':
      // (Citus looks the relation up first: one it does not know fails as "does not exist")
      return resolve(node.relation) ? ALTER_NAMES[node.objtype] : undefined;
    case 'RenameStmt':
      return (node.renameType === 'OBJECT_TABLE' || node.renameType === 'OBJECT_COLUMN' || node.renameType === 'OBJECT_TABCONSTRAINT') && node.relationType !== 'OBJECT_VIEW' && resolve(node.relation)
        ? 'ALTER TABLE'
        : undefined;
    default:
      return undefined;
  }
}
