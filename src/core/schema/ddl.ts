/**
 * Applies DDL statements and Citus calls to a SchemaModel, in the order they appear.
 */
import { as, containsNode, functionName, nameList, nodeType, stringValue, stripCast, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { quoteIdent } from '../parse/format';
import { parseSql, rethrowIfParserBroken } from '../parse/libpg';
import { functionVolatility, KNOWN_IMMUTABLE } from './functions';
import {
  findColumn,
  isCitusTable,
  noteKeyNamesChanged,
  qualifiedName,
  RANGE_MAX,
  RANGE_MIN,
  SchemaModel,
  type CheckConstraint,
  type ColumnModel,
  type DomainModel,
  type DefaultKind,
  type ForeignKeyModel,
  type SourceLocation,
  type PartitionBound,
  type TableModel,
  type UniqueIndexShape,
} from './model';
import { conversionRefusal, foreignKeyName, foreignKeyOf, foreignKeyTargetError, foreignKeyTypeError, foreignKeysAllSure, foreignKeyValid, hasSureForeignKeysWithOthers, unsupportedForeignKey, type ForeignKeyRefusal, type Prospect } from './foreignKeys';
import { functionBody } from './functionReads';
import { alterTableColumnProblem, createTableColumnProblem, indexColumnProblem, renameColumnProblem } from './columnNames';
import { allKeysNamed, chosenKeyName, columnKeys, constraintNamed, fitsName, sameColumnSet, dropInheritedKey, dropKeyName, dropKeysWithColumn, forgetConstraintNames, indexKey, nameConstraint, nameKey, renameConstraint, renameKey, renameKeyColumn, type KeyName } from './keyNames';
import { beginBlock, followReadOnlySetting, resetReadOnly, type ReadOnlySession, type ReadOnlyState } from './readOnly';
import { normalizeSettingValue, parsePgBool } from './settings';
import { isKnownBuiltinType, isSerialType, knownBuiltinType, typeNameOf, typeSize } from './types';
import { expressionSignature, singleColumnConjuncts } from './arbiters';
import { closestName } from '../editDistance';
import { buildQueryModel, figureColname, levelTargetsIncomplete } from '../semantic';
import { NO_TYPE, builtins } from '../semantic/catalog';
import { isCurrentTime } from './currentTime';
import { earliestTime, parseInterval, parseWallClock, timeArg, timePartitionsToCreate } from './timePartitions';

/** Per-file state that DDL and queries share: the search path set with SET search_path. */
export interface SessionState extends ReadOnlySession {
  searchPath: string[];
  /**
   * The tables (schema.name) this session surely created in the document (top-level CREATE TABLE): PostgreSQL refuses to
   * create one again. BEGIN .. ROLLBACK restores it with the model.
   */
  created?: Set<string>;
  /**
   * The tables this session surely made Citus tables in the document (a create_distributed_table or
   * create_reference_table call that surely ran): Citus refuses to distribute one again ("table .. is already
   * distributed"). Not those of the base model: the workspace's setup script may have run on the cluster already.
   */
  distributed?: Set<string>;
  /**
   * The tables a CREATE TABLE of the document made in the model, sure or not (see `created`): one created again may be
   * either definition. Not those of the base model, which holds the document's own DDL too in the editor.
   */
  createdHere?: Set<string>;
  /**
   * The tables (schema.name) a CREATE TABLE of the document made where no relation of that name was: new, with no
   * trigger or rule from elsewhere, whether or not Citus accepted their foreign keys (foreignKeys.ts referencedRows)
   */
  createdFresh?: Set<string>;
  /** inside BEGIN .. COMMIT: a statement that fails there turns the COMMIT into a ROLLBACK */
  inTransaction?: boolean;
  /** SET ROLE / SET SESSION AUTHORIZATION to another role, which may not be allowed to create what the script creates */
  otherRole?: boolean;
  /** SET default_tablespace to a tablespace (pg_global, say) a table may not be created in: creations are not sure */
  otherTablespace?: boolean;
  /** citus.* settings SET LOCAL changed in the open transaction, with the values they return to when it ends */
  localSettings?: Map<string, string | undefined>;
  /** enum values ALTER TYPE .. ADD VALUE added in the open transaction (by `schema.name` of the type): unusable until COMMIT */
  uncommittedEnumValues?: Map<string, Set<string>>;
  /** a statement that may have written rows ran (DML, COPY, a call): a foreign key added later may fail on them */
  rowsWritten?: boolean;
  /**
   * with rowsWritten, the tables (by name) the rows went to, when the statements that wrote them each named their one
   * table (INSERT, COPY, UPDATE, MERGE); undefined when a statement may have written rows anywhere
   */
  rowsWrittenTo?: Set<string>;
  /**
   * tables (by name) the file created, new, after the last statement that may have written rows anywhere, and no row
   * may have been written since: they are empty whatever rowsWrittenTo says
   */
  freshTables?: Set<string>;
  /** psql's `\copy` is in the file: rows are written between the statements, to any table (none is fresh) */
  rowsWrittenBetween?: boolean;
  /**
   * For the tables (by name) the file created, the rows its INSERT .. VALUES may have put there since: a superset of
   * the rows they hold (a failed INSERT, a DELETE or a rollback only make it larger than the truth), each row's values
   * by column (a value node, or null for the column's default); 'unknown' once anything else wrote to the table (an
   * UPDATE, MERGE, COPY, INSERT .. SELECT, an upsert that updates) or changed its columns. A foreign key's referenced
   * row is looked for there (foreignKeys.ts referencedRows).
   */
  rowKeys?: Map<string, readonly KnownRow[] | 'unknown'>;
  /**
   * rows may be written out of the model's sight (foreignKeys.ts referencedRows): the file creates an event trigger,
   * or runs SQL the model does not read (psql's `\i` and `\ir`, which run another file, and `\gexec`, which runs the
   * rows of a query); triggers and rules on tables are hookTables
   */
  writesOutOfSight?: boolean;
  /** tables (by name) the file created a trigger or a rule on: a write to one may write rows anywhere (referencedRows) */
  hookTables?: Set<string>;
  /** the file alters a constraint (ALTER TABLE .. ALTER CONSTRAINT: it may make a foreign key DEFERRABLE) */
  constraintsAltered?: boolean;
  /** the date the analysis is made on (AnalyzeOptions.today): what CURRENT_DATE and now() stand for */
  today?: string;
}

/** A row an INSERT .. VALUES wrote: its value node per column, or null for the column's default (SessionState.rowKeys). */
export type KnownRow = ReadonlyMap<string, PgNode | null>;

/** At most this many rows are followed per table (each foreign key check reads them all). */
const MAX_KNOWN_ROWS = 1000;

/** Statements that write no rows (and whose failure leaves none): what may precede a foreign key the model is sure of. */
const WRITES_NO_ROWS = new Set([
  'CreateStmt',
  'AlterTableStmt',
  'IndexStmt',
  'CreateSchemaStmt',
  'ViewStmt',
  'CreateSeqStmt',
  'AlterSeqStmt',
  'CreateFunctionStmt',
  'DropStmt',
  'RenameStmt',
  'CommentStmt',
  'GrantStmt',
  'GrantRoleStmt',
  'CreateRoleStmt',
  'AlterRoleStmt',
  'TransactionStmt',
  'VariableSetStmt',
  'VariableShowStmt',
  'CreateExtensionStmt',
  'CreateDomainStmt',
  'CreateEnumStmt',
  'AlterEnumStmt',
  'CreateTrigStmt',
  'CreatePolicyStmt',
  'AlterObjectSchemaStmt',
  'AlterOwnerStmt',
  'CompositeTypeStmt',
  'DefineStmt',
]);

/** psql's `\copy` meta-command at the start of a line: rows written between the statements. */
const PSQL_COPY = /^[ \t]*\\copy\b/m;

/**
 * Notes a top-level statement that may write rows (anything but DDL that writes none, SET, transaction control and
 * Citus' calls; a statement the model did not parse counts): SessionState.rowsWritten.
 */
export function noteRowsWritten(stmt: ParsedStatement, session: SessionState, model?: SchemaModel): void {
  const hooked: string | undefined = stmt.ast?.CreateTrigStmt?.relation?.relname ?? stmt.ast?.RuleStmt?.relation?.relname;
  if (hooked !== undefined) (session.hookTables ??= new Set()).add(hooked);
  if (session.rowsWritten && session.rowsWrittenTo === undefined && !session.freshTables?.size) return;
  if (session.rowKeys?.size) noteRowKeys(stmt, session, model);
  const type = stmt.ast ? nodeType(stmt.ast) : undefined;
  if (type !== undefined && (WRITES_NO_ROWS.has(type) || (type === 'SelectStmt' && (mayChangeSchema(stmt) || readsOnly(stmt.ast?.SelectStmt))))) return;
  const first = !session.rowsWritten;
  session.rowsWritten = true;
  // which table: that of an INSERT, COPY, UPDATE or MERGE without a WITH (DELETE and TRUNCATE add no row a check could
  // refuse); any table after anything else (SessionState.rowsWrittenTo)
  const ast = stmt.ast;
  if (ast?.DeleteStmt || ast?.TruncateStmt) {
    if (first) session.rowsWrittenTo = new Set();
    return;
  }
  // (a write to one table may reach others: its partitions, a trigger's table; no table stays fresh)
  session.freshTables = undefined;
  const dml = ast?.InsertStmt ?? ast?.UpdateStmt ?? ast?.MergeStmt;
  const target: string | undefined = dml ? (dml.withClause ? undefined : dml.relation?.relname) : ast?.CopyStmt?.is_from ? ast.CopyStmt.relation?.relname : undefined;
  if (target && (first || session.rowsWrittenTo)) {
    (session.rowsWrittenTo ??= new Set()).add(target);
    return;
  }
  session.rowsWrittenTo = undefined;
}

/**
 * SessionState.rowKeys after a top-level statement: an INSERT .. VALUES (or DEFAULT VALUES) adds its rows to its
 * table's; a DELETE or TRUNCATE leaves them (a superset still); any other write to the table, or an ALTER or RENAME
 * of it, makes them unknown. A statement that may write anywhere is SessionState.rowsWrittenTo's business.
 */
function noteRowKeys(stmt: ParsedStatement, session: SessionState, model: SchemaModel | undefined): void {
  const keys = session.rowKeys as Map<string, readonly KnownRow[] | 'unknown'>;
  const ast = stmt.ast;
  if (!ast || ast.DeleteStmt || ast.TruncateStmt) return;
  const forget = (name: string | undefined): void => {
    if (name !== undefined && keys.has(name)) keys.set(name, 'unknown');
  };
  if (ast.AlterTableStmt) return forget(ast.AlterTableStmt.relation?.relname);
  if (ast.RenameStmt) return forget(ast.RenameStmt.relation?.relname);
  const insert = ast.InsertStmt;
  const name: string | undefined = (insert ?? ast.UpdateStmt ?? ast.MergeStmt)?.relation?.relname ?? (ast.CopyStmt?.is_from ? ast.CopyStmt.relation?.relname : undefined);
  if (name === undefined || !keys.has(name)) return;
  const known = keys.get(name);
  const select = insert?.selectStmt?.SelectStmt;
  const upsertUpdates = insert?.onConflictClause?.action === 'ONCONFLICT_UPDATE';
  const valuesOnly = !!insert && !insert.withClause && !upsertUpdates && (!select || (select.valuesLists?.length && !select.withClause));
  const rv = insert?.relation;
  const table = valuesOnly && model ? model.resolve(rv.schemaname, rv.relname, session.searchPath) : undefined;
  if (known === 'unknown' || !known || !table || table.columnsIncomplete) return forget(name);
  const cols: string[] = insert.cols?.length ? insert.cols.map((c: PgNode) => c.ResTarget?.name) : table.columns.map((c) => c.name);
  const lists: PgNode[][] = select ? select.valuesLists.map((r: PgNode) => r.List?.items ?? []) : [[]];
  const rows: KnownRow[] = lists.map((items) => new Map(table.columns.map((c) => {
    const i = cols.indexOf(c.name);
    const v = i >= 0 ? items[i] : undefined;
    return [c.name, v && !v.SetToDefault ? v : null];
  })));
  keys.set(name, known.length + rows.length > MAX_KNOWN_ROWS ? 'unknown' : [...known, ...rows]);
}

/** A SELECT (not INTO) that calls only functions known to write nothing (built-in ones of the model's lists, aggregates). */
function readsOnly(select: PgNode | undefined): boolean {
  if (!select || select.intoClause) return false;
  let only = true;
  walk(select, (type, f) => {
    if (type !== 'FuncCall') return;
    const name = functionName(f);
    if (!KNOWN_IMMUTABLE.has(name) && !READ_ONLY_CALLS.has(name) && functionVolatility(name) !== 'stable') only = false;
  });
  return only;
}

const READ_ONLY_CALLS = new Set(['count', 'sum', 'min', 'max', 'avg', 'bool_and', 'bool_or', 'string_agg', 'every']);

/** A new session for a document (its text: psql's `\copy` writes rows between the statements). */
export function newSession(text?: string): SessionState {
  return {
    searchPath: ['public'],
    created: new Set(),
    distributed: new Set(),
    createdHere: new Set(),
    ...(text?.includes('\\copy') && PSQL_COPY.test(text) ? { rowsWritten: true, rowsWrittenBetween: true } : {}),
    ...(text && (EVENT_TRIGGER.test(text) || (text.includes('\\') && PSQL_RUNS_OTHER_SQL.test(text))) ? { writesOutOfSight: true } : {}),
    ...(text && ALTER_CONSTRAINT.test(text) ? { constraintsAltered: true } : {}),
  };
}

/** ALTER CONSTRAINT anywhere in a text. */
const ALTER_CONSTRAINT = /\bALTER\s+CONSTRAINT\b/i;

/** CREATE EVENT TRIGGER anywhere in a text (it runs on DDL, whatever the table). */
const EVENT_TRIGGER = /\bCREATE\s+EVENT\s+TRIGGER\b/i;

/** psql's meta-commands that run SQL the text does not hold: `\i`, `\ir`, `\include[_relative]`, `\gexec`. */
const PSQL_RUNS_OTHER_SQL = /\\(?:i|ir|include|include_relative)(?=[ \t])|\\gexec\b/;

/**
 * BEGIN / SAVEPOINT ... ROLLBACK [TO] undo the DDL inside them, as PostgreSQL does: the model's state (and the
 * search_path) at each open transaction or savepoint is kept (copied lazily, at the first change inside it)
 * and restored in place. COMMIT and RELEASE keep the changes.
 */
export class TransactionTracker {
  private readonly open: { saved?: SchemaModel; searchPath: string[]; created?: Set<string>; distributed?: Set<string>; name?: string; readOnlyBlock?: ReadOnlyState; readOnlyDefault?: ReadOnlyState }[] = [];

  /**
   * In a block a failed statement aborted, what PostgreSQL does with a statement: the transaction statement that ends
   * the failure (ROLLBACK; COMMIT and PREPARE roll back too; ROLLBACK TO a savepoint set before it), to apply instead
   * of `tx`; undefined when the statement is ignored like every other one.
   */
  resumeAborted(tx: PgNode | undefined): PgNode | undefined {
    if (!tx) return undefined;
    if (tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_PREPARE' || tx.kind === 'TRANS_STMT_ROLLBACK') return { ...tx, kind: 'TRANS_STMT_ROLLBACK' };
    if (tx.kind === 'TRANS_STMT_ROLLBACK_TO' && tx.savepoint_name !== undefined && this.open.some((t, k) => k > 0 && t.name === tx.savepoint_name)) return tx;
    return undefined;
  }

  /** Call before a statement may change `model`. */
  beforeChange(model: SchemaModel): void {
    for (const t of this.open) if (!t.saved) t.saved = model.clone();
  }

  /** A transaction statement (a `TransactionStmt` node): updates `model` and `session` for ROLLBACK [TO]. */
  apply(tx: PgNode, model: SchemaModel, session: SessionState): void {
    const restore = (k: number): void => {
      const t = this.open[k];
      if (t.saved) model.restoreFrom(t.saved);
      t.saved = undefined;
      session.searchPath = [...t.searchPath];
      if (t.created) session.created = new Set(t.created);
      if (t.distributed) session.distributed = new Set(t.distributed);
    };
    const named = (): number => this.open.map((t) => t.name).lastIndexOf(tx.savepoint_name);
    const opens = (tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START') && !session.inTransaction;
    // COMMIT / ROLLBACK AND CHAIN: a new block starts at once, with the same characteristics (READ ONLY)
    const chained = tx.chain && session.inTransaction && (tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_ROLLBACK') ? { readOnlyBlock: session.readOnlyBlock } : undefined;
    session.inTransaction = tx.kind === 'TRANS_STMT_BEGIN' || tx.kind === 'TRANS_STMT_START' || (session.inTransaction && !['TRANS_STMT_COMMIT', 'TRANS_STMT_ROLLBACK', 'TRANS_STMT_PREPARE'].includes(tx.kind));
    // the end of the transaction: SET LOCAL's settings return to what they were
    if ((tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_PREPARE' || tx.kind === 'TRANS_STMT_ROLLBACK') && session.localSettings?.size) {
      for (const [name, value] of session.localSettings) {
        if (value === undefined) model.settings.delete(name);
        else model.settings.set(name, value);
      }
      session.localSettings.clear();
    }
    if (tx.kind === 'TRANS_STMT_COMMIT' || tx.kind === 'TRANS_STMT_PREPARE' || tx.kind === 'TRANS_STMT_ROLLBACK') session.uncommittedEnumValues?.clear();
    switch (tx.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
      case 'TRANS_STMT_SAVEPOINT':
        if (tx.kind !== 'TRANS_STMT_SAVEPOINT' && this.open.length) break; // BEGIN inside a transaction: a warning only
        // (a BEGIN's READ ONLY / READ WRITE, else the session's default; a savepoint keeps the block's)
        if (opens) beginBlock(tx, session);
        this.open.push({
          searchPath: [...session.searchPath],
          created: session.created ? new Set(session.created) : undefined,
          distributed: session.distributed ? new Set(session.distributed) : undefined,
          name: tx.savepoint_name,
          readOnlyBlock: session.readOnlyBlock,
          readOnlyDefault: session.readOnlyDefault,
        });
        break;
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_PREPARE':
        this.open.length = 0;
        session.readOnlyBlock = undefined;
        break;
      case 'TRANS_STMT_ROLLBACK':
        if (this.open.length) {
          restore(0);
          session.readOnlyDefault = this.open[0].readOnlyDefault;
        }
        this.open.length = 0;
        session.readOnlyBlock = undefined;
        break;
      case 'TRANS_STMT_ROLLBACK_TO': {
        const k = named();
        if (k > 0) {
          restore(k);
          this.open.length = k + 1;
          session.readOnlyBlock = this.open[k].readOnlyBlock;
          session.readOnlyDefault = this.open[k].readOnlyDefault;
        }
        break;
      }
      case 'TRANS_STMT_RELEASE': {
        const k = named();
        if (k > 0) {
          // PostgreSQL restores the read-only state a subtransaction began with when it ends (CommitSubTransaction)
          session.readOnlyBlock = this.open[k].readOnlyBlock;
          this.open.length = k;
        }
        break;
      }
    }
    if (chained) {
      session.inTransaction = true;
      session.readOnlyBlock = chained.readOnlyBlock;
      this.open.push({ searchPath: [...session.searchPath], created: session.created ? new Set(session.created) : undefined, distributed: session.distributed ? new Set(session.distributed) : undefined, readOnlyBlock: session.readOnlyBlock, readOnlyDefault: session.readOnlyDefault });
    }
  }
}

export interface DdlContext {
  model: SchemaModel;
  session: SessionState;
  /** label of the file the statement comes from (for "defined at") */
  source: string;
  /** where to report the Citus calls Citus refuses (the model is left as it was for them) */
  problems?: DdlProblem[];
  /** the call may not run (a guard in its SELECT, a call nested in another): what it does is not "surely" done */
  unsure?: boolean;
}

/** A Citus call Citus refuses, or DDL PostgreSQL refuses, with its message: the model stays as it was. */
export interface DdlProblem {
  /** the rule that reports it (distribution-call-refused when absent) */
  rule?: 'unknown-table' | 'sequence-refused' | 'relation-already-exists' | 'foreign-key-refused' | 'alter-table-refused' | 'partitioned-key-without-partition-column' | 'partition-bound-refused' | 'multiple-primary-keys' | 'undefined-constraint' | 'foreign-key-without-unique-key' | 'key-drop-refused' | 'ddl-column-error' | 'foreign-key-type-mismatch' | 'constraint-already-exists' | 'trigger-refused' | 'dependent-objects';
  message: string;
  detail?: string;
  hint?: string;
  /** document offset of the call */
  offset: number;
  /** unknown-table: the name the call gives (as PostgreSQL reads it) and the known table it is a near miss of */
  unknownTable?: { name: string; near: string };
}

/**
 * Statements that may create relations the model cannot see (an extension's script, IMPORT FOREIGN SCHEMA): a relation
 * the file dropped may exist again after them (SchemaModel.goneRelations).
 */
const RECREATING_NODES = ['CreateExtensionStmt', 'AlterExtensionStmt', 'ImportForeignSchemaStmt'];
const DDL_NODES = ['DefineStmt', 'CreateSchemaStmt', 'CreateStmt', 'AlterTableStmt', 'RenameStmt', 'AlterObjectSchemaStmt', 'IndexStmt', 'CreateSeqStmt', 'AlterSeqStmt', 'DropStmt', 'ViewStmt', 'CreateTableAsStmt', 'CreateFunctionStmt', 'CreateTrigStmt', 'RuleStmt', 'CreateForeignTableStmt', 'CreateDomainStmt', 'AlterDomainStmt', 'CreateEnumStmt', 'AlterEnumStmt', ...RECREATING_NODES];
const CITUS_CALL = /\b(create_time_partitions|drop_old_time_partitions|create_distributed_table|create_distributed_table_concurrently|create_reference_table|citus_add_local_table_to_metadata|undistribute_table|alter_distributed_table|alter_table_set_access_method|alter_old_partitions_set_access_method|update_distributed_table_colocation|citus_schema_distribute|citus_schema_undistribute|isolate_tenant_to_new_shard|set_config)\s*\(/i;

/** Whether applying the statement can change the model (so callers can share a model until then). */
export function mayChangeSchema(stmt: ParsedStatement): boolean {
  const ast = stmt.ast;
  if (!ast) return false;
  const type = nodeType(ast);
  if (type === undefined) return false;
  if (DDL_NODE_SET.has(type) || type === 'VariableSetStmt') return true;
  // (a DO block that calls Citus' functions: SchemaModel.opaqueCitusCalls; one that changes tables: bodyTableDdl; one
  // that may create a dropped relation again: SchemaModel.goneRelations)
  if (type === 'DoStmt') return CITUS_CALL.test(stmt.text) || BODY_TABLE_DDL.test(stmt.text) || BODY_MAY_CREATE.test(stmt.text);
  // (CALL: alter_old_partitions_set_access_method and drop_old_time_partitions are procedures, which a SELECT cannot call)
  // (and a procedure of the user's may create a relation the file dropped: SchemaModel.goneRelations)
  if (type === 'CallStmt') return true;
  return type === 'SelectStmt' && CITUS_CALL.test(stmt.text.replace(CITUS_PROCEDURES, 'procedure_call('));
}

/** A statement that calls one of Citus' functions the model follows (create_distributed_table, ...). */
export function callsCitus(stmt: { text: string }): boolean {
  return CITUS_CALL.test(stmt.text);
}

const CITUS_PROCEDURES = /\b(alter_old_partitions_set_access_method|drop_old_time_partitions)\s*\(/gi;

const DDL_NODE_SET = new Set(DDL_NODES);
/** A DO block or function body that may create or rename relations (dynamic SQL included). */
const BODY_MAY_CREATE = /\b(?:CREATE|ALTER|EXECUTE)\b/i;

/**
 * Applies one parsed statement. Returns true when the statement is DDL or a Citus call that changed
 * (or could have changed) the model.
 */
export function applyStatement(stmt: ParsedStatement, ctx: DdlContext): boolean {
  const ast = stmt.ast;
  if (!ast) return false;
  const at = (location?: number): SourceLocation => ({
    source: ctx.source,
    offset: location !== undefined ? stmt.toDocumentOffset(location) : stmt.start,
  });
  // a body that calls Citus' functions (the model does not run bodies): other tables' kinds are no longer vouched for
  if ((ast.DoStmt || ast.CreateFunctionStmt) && callsCitus(stmt)) ctx.model.opaqueCitusCalls = true;
  // (a body that creates, alters or executes anything may create a dropped relation again)
  if ((ast.DoStmt || ast.CreateFunctionStmt) && BODY_MAY_CREATE.test(stmt.text)) ctx.model.goneRelations.clear();
  // (and so may an extension's script, IMPORT FOREIGN SCHEMA, and a procedure that is not Citus')
  if (RECREATING_NODES.some((n) => ast[n]) || (ast.CallStmt && !callsCitus(stmt))) ctx.model.goneRelations.clear();
  if (ast.DoStmt) {
    bodyTableDdl(stmt.text, ctx);
    return false;
  }
  if (ast.CreateSchemaStmt) {
    const c = ast.CreateSchemaStmt;
    // CREATE SCHEMA AUTHORIZATION joe names the schema after the role
    const name: string | undefined = c.schemaname ?? c.authrole?.rolename ?? c.authrole?.RoleSpec?.rolename;
    if (name) {
      ctx.model.schemas.add(name);
      if (ctx.model.settings.get('citus.enable_schema_based_sharding') === 'on') distributeSchema(ctx.model, name);
      // its elements (CREATE SCHEMA s CREATE TABLE t ...) are created in it (transformCreateSchemaStmt)
      for (const element of c.schemaElts ?? []) {
        const inSchema = schemaElement(element, name, ctx.model);
        if (!inSchema) continue;
        applyStatement({ ...stmt, ast: inSchema }, ctx);
        // (the whole CREATE SCHEMA fails when one element does, which the model cannot tell: not surely created)
        const rv = inSchema.CreateStmt?.relation;
        if (rv) ctx.session.created?.delete(qualifiedName(rv.schemaname ?? name, rv.relname));
      }
    }
    return true;
  }
  if (ast.CreateStmt) {
    // (transformIndexConstraint, in parse analysis: the second PRIMARY KEY of the statement, at its position)
    const primaries = (ast.CreateStmt.tableElts ?? [])
      .flatMap((elt: PgNode) => [...(elt.ColumnDef?.constraints ?? []).map((c: PgNode) => c.Constraint), elt.Constraint])
      .filter((c: PgNode | undefined) => c?.contype === 'CONSTR_PRIMARY');
    if (primaries.length > 1) {
      ctx.problems?.push({ rule: 'multiple-primary-keys', message: `multiple primary keys for table "${ast.CreateStmt.relation?.relname}" are not allowed`, offset: at(primaries[1].location).offset ?? stmt.start });
      return true;
    }
    createTable(ast.CreateStmt, ctx, at(ast.CreateStmt.relation?.location));
    return true;
  }
  if (ast.DefineStmt) {
    // CREATE OPERATOR: an operator of this symbol may now exist for any types (the model does not resolve user operators)
    const names = nameList(ast.DefineStmt.defnames);
    if (ast.DefineStmt.kind !== 'OBJECT_OPERATOR' || !names.length) return false;
    ctx.model.operators.add(names[names.length - 1]);
    return true;
  }
  if (ast.CreateTrigStmt) {
    // the columns a trigger depends on (UPDATE OF, WHEN): ALTER TABLE .. DROP COLUMN of one fails without CASCADE
    const trigger = ast.CreateTrigStmt;
    const table = resolveRangeVar(trigger.relation, ctx);
    if (!table) return false;
    // Citus refuses a trigger on a distributed or reference table once PostgreSQL created it (PostprocessCreateTriggerStmt,
    // ErrorOutForTriggerIfNotSupported): the statement fails and no trigger is left (checked on Citus 13.2.2)
    const refused = triggerRefusal(table, ctx.model);
    if (refused) {
      ctx.problems?.push({ rule: 'trigger-refused', message: refused, offset: stmt.start });
      return true;
    }
    table.alteredAfterCreate = true;
    if (trigger.trigname) table.triggerNames = [...(table.triggerNames ?? []).filter((n) => n !== trigger.trigname), trigger.trigname];
    // (CREATE CONSTRAINT TRIGGER makes a constraint of the trigger's name)
    if (trigger.isconstraint) forgetConstraintNames(table);
    const columns = nameList(trigger.columns);
    walk(trigger.whenClause, (type, f) => {
      if (type === 'ColumnRef') {
        const parts = nameList(f.fields);
        if (parts.length) columns.push(parts[parts.length - 1]);
      }
    });
    if (columns.length) table.triggerColumns = [...(table.triggerColumns ?? []), ...columns];
    // a BEFORE (2) or INSTEAD OF (64) row trigger on INSERT (4) or UPDATE (16) may change the row (TRIGGER_TYPE_* in PostgreSQL's pg_trigger.h)
    const timing = Number(trigger.timing ?? 0);
    const events = Number(trigger.events ?? 0);
    // (an INSTEAD OF trigger on a view, of any event, may take a statement PostgreSQL would refuse to write through it)
    if ((trigger.row && timing & (2 | 64) && events & (4 | 16)) || timing & 64) table.rowHooks = true;
    return true;
  }
  if (ast.CreateDomainStmt || ast.AlterDomainStmt) return applyDomain(ast, ctx);
  if (ast.CreateEnumStmt || ast.AlterEnumStmt) return applyEnum(ast, ctx);
  if (ast.CreateForeignTableStmt?.base?.partbound) {
    // a foreign partition (not modelled): rows its bound takes do not fail
    const parent = resolveRangeVar(ast.CreateForeignTableStmt.base.inhRelations?.[0]?.RangeVar, ctx);
    if (!parent) return false;
    parent.partitionsIncomplete = true;
    return true;
  }
  if (ast.RuleStmt) {
    // a rule rewrites the command it is on (DO INSTEAD / DO ALSO): the model does not follow it
    const table = resolveRangeVar(ast.RuleStmt.relation, ctx);
    if (!table) return false;
    table.rowHooks = true;
    table.alteredAfterCreate = true;
    return true;
  }
  if (ast.AlterTableStmt) {
    const altered = resolveRangeVar(ast.AlterTableStmt.relation, ctx);
    if (altered) altered.alteredAfterCreate = true;
    alterTable(ast.AlterTableStmt, ctx, at(ast.AlterTableStmt.relation?.location));
    return true;
  }
  if (ast.RenameStmt) {
    renameRelationOrColumn(ast.RenameStmt, ctx, at(ast.RenameStmt.relation?.location).offset ?? stmt.start);
    forgetEnum(ast.RenameStmt, ctx);
    return true;
  }
  if (ast.AlterObjectSchemaStmt) {
    const a = ast.AlterObjectSchemaStmt;
    forgetEnum(a, ctx);
    const table = RELATION_OBJECTS.has(a.objectType) ? resolveRangeVar(a.relation, ctx) : undefined;
    if (table && a.newschema) {
      // (a schema the model does not know may not exist: PostgreSQL refuses the move, or it happens)
      if (!ctx.model.schemas.has(a.newschema)) markUnsure(table, ctx.session);
      // (a relation of the name there: PostgreSQL refuses the move)
      else if (!ctx.model.get(a.newschema, table.name)) moveRelation(ctx.model, table, a.newschema, table.name);
    }
    return true;
  }
  if (ast.IndexStmt) {
    const idx = ast.IndexStmt;
    const table = resolveRangeVar(idx.relation, ctx);
    // (Citus refuses a unique index without the distribution column first: rollup-key-without-dist-column)
    const indexProblem = table && !(idx.unique && citusRefusesKey(table, uniqueIndexShape(idx).columns, ctx.model)) ? indexColumnProblem(table, idx) : undefined;
    if (indexProblem) {
      ctx.problems?.push({ rule: 'ddl-column-error', message: indexProblem, offset: at(idx.relation?.location).offset ?? 0 });
      return true;
    }
    // (an ordinary index: its name is taken, and DROP INDEX of it drops no key)
    if (table && !idx.unique) nameNewKey(table, idx.idxname, { kind: 'plain', columns: uniqueIndexShape(idx).columns }, indexNameParts(idx), ctx);
    if (table && idx.unique) {
      const shape = uniqueIndexShape(idx);
      // (Citus refuses a unique index without the distribution column: rollup-key-without-dist-column reports it)
      if (!shape.expressions && citusRefusesKey(table, shape.columns, ctx.model)) return true;
      const keyless = partitionKeyLeftOut(table, shape.columns, idx.primary ? 'PRIMARY KEY' : 'UNIQUE');
      if (keyless) {
        ctx.problems?.push({ rule: 'partitioned-key-without-partition-column', ...keyless, offset: at(idx.relation?.location).offset ?? 0 });
        return true;
      }
      // (an index on a partitioned table is made on its partitions too, unless ON ONLY: the parse tree has no `inh` then)
      for (const t of idx.relation?.inh !== true ? [table] : withPartitions(table, ctx.model)) addUniqueIndex(t, shape);
      nameNewKey(table, idx.idxname, indexKey(shape), indexNameParts(idx), ctx);
    }
    return true;
  }
  if (ast.CreateSeqStmt) {
    const rv = ast.CreateSeqStmt.sequence;
    // (ErrorIfUnsupportedSeqStmt, whatever citus.enable_ddl_propagation says)
    const owner = ownedByTable(ast.CreateSeqStmt.options, ctx);
    if (owner && isCitusTable(owner) && !owner.kindUncertain) {
      ctx.problems?.push({
        rule: 'sequence-refused',
        message: 'cannot create sequences that specify a distributed table in their OWNED BY option',
        hint: 'Use a sequence in a distributed table by specifying a serial column type before creating any shards.',
        offset: at(rv?.location).offset ?? stmt.start,
      });
      return true;
    }
    const name = qualifiedName(rv?.schemaname ?? ctx.session.searchPath[0] ?? 'public', rv?.relname ?? '');
    ctx.model.sequences.add(name);
    // (a temporary sequence hides one of its name: a read-only transaction may still call nextval() of it)
    if (rv?.relpersistence === 't') ctx.model.temporarySequences.add(rv.relname);
    return true;
  }
  if (ast.AlterSeqStmt) {
    const refused = alterSequenceRefusal(ast.AlterSeqStmt, ctx);
    if (refused) ctx.problems?.push({ rule: 'sequence-refused', message: refused, offset: at(ast.AlterSeqStmt.sequence?.location).offset ?? stmt.start });
    return true;
  }
  if (ast.DropStmt) {
    const d = ast.DropStmt;
    if (d.removeType === 'OBJECT_TABLE' || d.removeType === 'OBJECT_VIEW' || d.removeType === 'OBJECT_MATVIEW' || d.removeType === 'OBJECT_FOREIGN_TABLE') {
      // views that read a table dropped without CASCADE (and not dropped with it): PostgreSQL refuses the whole DROP
      if (d.behavior !== 'DROP_CASCADE') {
        const named = (d.objects ?? []).map((obj: PgNode) => {
          const names = nameList(obj.List?.items);
          return names.length === 2 ? ctx.model.get(names[0], names[1]) : ctx.model.resolve(undefined, names[0] ?? '', ctx.session.searchPath);
        });
        for (const table of named) {
          if (!table) continue;
          const kindWord = table.kind === 'view' ? 'view' : table.kind === 'matview' ? 'materialized view' : 'table';
          const views = viewsSurelyReading(table, undefined, ctx).filter((v) => !named.includes(v));
          if (views.length) {
            ctx.problems?.push({ rule: 'dependent-objects', message: `cannot drop ${kindWord} ${table.name} because other objects depend on it`, detail: views.map((v) => `${dependentName(v)} depends on ${kindWord} ${table.name}`).join('\n'), hint: DEPENDENTS_HINT, offset: stmt.start });
            return true;
          }
        }
      }
      const tables = (d.objects ?? []).map((obj: PgNode) => {
        const names = nameList(obj.List?.items);
        return names.length === 2 ? ctx.model.get(names[0], names[1]) : ctx.model.resolve(undefined, names[0] ?? '', ctx.session.searchPath);
      });
      // a name the model does not know, without IF EXISTS: PostgreSQL refuses the whole DROP when it does not exist, so
      // the others may still be there, or not
      if (!d.missing_ok && tables.some((t: TableModel | undefined) => !t)) {
        for (const t of tables) if (t) markUnsure(t, ctx.session);
        return true;
      }
      for (const table of tables) {
        if (!table) continue;
        // CASCADE drops the views that read it, and the views on those
        if (d.behavior === 'DROP_CASCADE') dropDependentViews(table, undefined, ctx);
        // surely gone: with CASCADE, or when nothing the model knows of may depend on it (a foreign key, a view); not a
        // temporary table, which may have hidden a table of its name that dropping it uncovers; nor as another role, which
        // may not own it
        const sure = !table.temporary && !ctx.session.otherRole && (d.behavior === 'DROP_CASCADE' || !mayHaveDependents(table, ctx));
        dropWithPartitions(table, ctx);
        if (sure) for (const gone of [table, ...ctx.model.partitionsOf(table)]) ctx.model.goneRelations.add(qualifiedName(gone.schema, gone.name));
      }
    } else if (d.removeType === 'OBJECT_INDEX') {
      for (const obj of d.objects ?? []) {
        const names = nameList(obj.List?.items);
        const name = names[names.length - 1];
        const tables = name ? indexTables(names, ctx) : [];
        // (a key constraint's index: DROP INDEX refuses it, CASCADE or not; a partition's may be its parent's index's
        // part, refused with another message)
        const constraint = name && tables.length === 1 && !tables[0].partitionParent ? tables[0].keyNames?.[name] : undefined;
        if (name && (constraint?.kind === 'primary' || constraint?.kind === 'unique')) {
          const owner = tables[0].name;
          ctx.problems?.push({ rule: 'key-drop-refused', message: `cannot drop index ${name} because constraint ${name} on table ${owner} requires it`, hint: `You can drop constraint ${name} on table ${owner} instead.`, offset: stmt.start });
          return true;
        }
        // (a unique index a foreign key uses: the whole DROP INDEX fails)
        const held = name && d.behavior !== 'DROP_CASCADE' && tables.length === 1 ? keyHeldByForeignKey(tables[0], name, 'index', ctx) : undefined;
        if (held) {
          ctx.problems?.push({ rule: 'key-drop-refused', ...held, offset: stmt.start });
          return true;
        }
        if (name) for (const t of tables) dropNamedKey(t, name, true, d.behavior === 'DROP_CASCADE', ctx);
      }
    } else if (d.removeType === 'OBJECT_TRIGGER') {
      // DROP TRIGGER name ON table
      for (const obj of d.objects ?? []) {
        const names = nameList(obj.List?.items);
        const trigger = names.pop();
        const table = names.length === 2 ? ctx.model.get(names[0], names[1]) : names.length === 1 ? ctx.model.resolve(undefined, names[0], ctx.session.searchPath) : undefined;
        if (table?.triggerNames) table.triggerNames = table.triggerNames.filter((n) => n !== trigger);
      }
    } else if (d.removeType === 'OBJECT_EXTENSION') {
      // DROP EXTENSION citus CASCADE drops the Citus tables, other extensions the tables of their types: what the
      // document created before may be gone
      ctx.session.created?.clear();
      ctx.session.distributed?.clear();
    } else if (d.removeType === 'OBJECT_SCHEMA') {
      for (const obj of d.objects ?? []) {
        const name = stringValue(obj);
        if (name && d.behavior === 'DROP_CASCADE') {
          for (const t of [...ctx.model.tables.values()]) if (t.schema === name) dropWithPartitions(t, ctx);
          for (const [k, dm] of [...ctx.model.domains]) if (dm.schema === name) ctx.model.domains.delete(k);
        }
      }
    } else if (d.removeType === 'OBJECT_TYPE') {
      for (const obj of d.objects ?? []) {
        const key = findEnum(nameList(obj.TypeName?.names), ctx);
        if (key) ctx.model.enums.delete(key);
      }
    } else if (d.removeType === 'OBJECT_DOMAIN') {
      for (const obj of d.objects ?? []) {
        const domain = findDomain(nameList(obj.TypeName?.names), ctx);
        if (domain) ctx.model.domains.delete(qualifiedName(domain.schema, domain.name));
      }
    }
    return true;
  }
  if (ast.ViewStmt) {
    const rv = ast.ViewStmt.view;
    const derived = derivedColumns(ast.ViewStmt.aliases, ast.ViewStmt.query, ctx);
    // CREATE OR REPLACE VIEW keeps the view's columns, in order, by name (checkViewColumns): PostgreSQL refuses one that
    // drops or renames a column, and the view stays as it was
    const old = ast.ViewStmt.replace && rv?.relname ? ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath) : undefined;
    if (old?.kind === 'view' && !old.columnsIncomplete && !derived.incomplete) {
      const refused = viewColumnsRefusal(old.columns, derived.columns);
      if (refused) {
        if (ctx.session.created?.has(qualifiedName(old.schema, old.name))) ctx.problems?.push({ rule: 'ddl-column-error', message: refused, offset: at(rv?.location).offset ?? stmt.start });
        return true;
      }
    }
    putRelation(ctx, rv, 'view', derived, at(rv?.location), ast.ViewStmt.query, { replace: !!ast.ViewStmt.replace });
    return true;
  }
  if (ast.CreateTableAsStmt) {
    const c = ast.CreateTableAsStmt;
    const rv = c.into?.rel;
    const kind = c.objtype === 'OBJECT_MATVIEW' ? 'matview' : 'local';
    const put = putRelation(ctx, rv, kind, derivedColumns(c.into?.colNames, c.query, ctx), at(rv?.location), undefined, { ifNotExists: !!c.if_not_exists });
    const created = put && kind === 'matview' && rv ? ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath) : undefined;
    if (created && created.kind === 'matview' && c.query) created.matviewQuery = c.query;
    return true;
  }
  if (ast.CreateFunctionStmt) {
    const fn = ast.CreateFunctionStmt;
    const names = nameList(fn.funcname);
    let volatility: 'immutable' | 'stable' | 'volatile' = 'volatile';
    for (const o of fn.options ?? []) {
      if (o.DefElem?.defname === 'volatility') volatility = (stringValue(o.DefElem.arg) ?? 'volatile') as typeof volatility;
    }
    const name = names[names.length - 1];
    if (name) ctx.model.functions.set(name.toLowerCase(), volatility);
    const language = (fn.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'language');
    const sql = fn.sql_body || (language && stringValue(language.DefElem.arg)?.toLowerCase() === 'sql');
    if (name) {
      const body = sql && !fn.returnType?.setof ? inlinableSqlBody(fn) : undefined;
      const params = (fn.parameters ?? []).map((p: PgNode) => p.FunctionParameter).filter((p: PgNode | undefined) => p && (p.mode === 'FUNC_PARAM_IN' || p.mode === 'FUNC_PARAM_DEFAULT' || p.mode === 'FUNC_PARAM_INOUT'));
      const bodyText = functionBody(fn, stmt.text, language ? stringValue(language.DefElem.arg)?.toLowerCase() : undefined);
      const flag = (defname: string): boolean => (fn.options ?? []).some((o: PgNode) => o.DefElem?.defname === defname && (o.DefElem.arg?.Boolean?.boolval ?? o.DefElem.arg?.VariableSetStmt !== undefined));
      const signature = JSON.stringify((fn.parameters ?? []).map((p: PgNode) => p.FunctionParameter).filter((p: PgNode | undefined) => p && p.mode !== 'FUNC_PARAM_OUT' && p.mode !== 'FUNC_PARAM_TABLE').map((p: PgNode) => nameList(p.argType?.names).join('.') + '[]'.repeat(p.argType?.arrayBounds?.length ?? 0)));
      const before = ctx.model.functionDefinitions.get(name.toLowerCase());
      ctx.model.functionDefinitions.set(name.toLowerCase(), {
        sql: !!sql,
        returnsSet: !!fn.returnType?.setof,
        signature,
        ...(before && (before.overloaded || before.signature !== signature) ? { overloaded: true } : {}),
        ...(sql && fn.returnType?.setof && !fn.is_procedure && volatility !== 'volatile' && !flag('strict') && !flag('security') && !flag('set') && singleSelectBody(fn) ? { inlinedInFrom: true } : {}),
        ...(bodyText ? { body: bodyText } : {}),
        ...(body ? { inlinable: body.inlinable, ...(body.expression ? { expression: body.expression, paramNames: params.map((p: PgNode) => String(p.name ?? '').toLowerCase()) } : {}) } : {}),
      });
    }
    return true;
  }
  if (ast.VariableSetStmt) {
    return applySetting(ast.VariableSetStmt, ctx);
  }
  if (ast.SelectStmt) {
    return applyCitusCalls(ast.SelectStmt, stmt, ctx);
  }
  if (ast.CallStmt?.funccall) {
    // (the call's FuncCall fields are not wrapped in a node)
    return applyCitusCalls({ FuncCall: ast.CallStmt.funccall }, stmt, ctx);
  }
  return false;
}

/**
 * Whether PostgreSQL may inline a scalar LANGUAGE SQL function (inline_function): its body is `RETURN expr` or one
 * `SELECT expr` without FROM, WHERE, grouping, ordering or a sublink (a body with FROM stays a function call); and
 * that expression (parameters as `$n` or by name) when it is known.
 */
function inlinableSqlBody(fn: PgNode): { inlinable: boolean; expression?: PgNode } {
  if (fn.sql_body) {
    const ret = fn.sql_body.List?.items?.find((i: PgNode) => i.ReturnStmt)?.ReturnStmt ?? fn.sql_body.ReturnStmt;
    const inlinable = containsNode(fn.sql_body, 'ReturnStmt') && !containsNode(fn.sql_body, 'SubLink');
    return { inlinable, ...(inlinable && ret?.returnval ? { expression: ret.returnval } : {}) };
  }
  const as = (fn.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'as');
  const body = as ? stringValue(as.DefElem.arg?.List?.items?.[0] ?? as.DefElem.arg) : undefined;
  if (body === undefined) return { inlinable: true };
  let parsed;
  try {
    parsed = parseSql(body);
  } catch (e) {
    rethrowIfParserBroken(e);
    return { inlinable: true };
  }
  if (!parsed.ok || parsed.statements.length !== 1) return { inlinable: !parsed.ok };
  const sel = parsed.statements[0].stmt?.SelectStmt;
  if (!sel || (sel.op && sel.op !== 'SETOP_NONE')) return { inlinable: false };
  const plain = !sel.fromClause?.length && !sel.whereClause && !sel.groupClause?.length && !sel.havingClause && !sel.sortClause?.length && !sel.limitCount && !sel.limitOffset && !sel.distinctClause && !sel.withClause && !sel.windowClause?.length && sel.targetList?.length === 1;
  const inlinable = plain && !containsNode(sel.targetList, 'SubLink');
  return { inlinable, ...(inlinable && sel.targetList[0].ResTarget?.val ? { expression: sel.targetList[0].ResTarget.val } : {}) };
}

function applySetting(set: PgNode, ctx: DdlContext): boolean {
  if (followReadOnlySetting(set, ctx.session)) return false;
  const name = String(set.name ?? '').toLowerCase();
  if (name === 'search_path') {
    if (set.kind === 'VAR_SET_VALUE') {
      ctx.session.searchPath = (set.args ?? []).map((a: PgNode) => stringValue(a) ?? a.A_Const?.sval?.sval).filter(Boolean).map(normalizeSchemaName);
    } else if (set.kind === 'VAR_SET_DEFAULT' || set.kind === 'VAR_RESET') {
      ctx.session.searchPath = ['public'];
    }
    return true;
  }
  if (name === 'default_tablespace') {
    const value = set.kind === 'VAR_SET_VALUE' ? (stringValue(set.args?.[0]) ?? set.args?.[0]?.A_Const?.sval?.sval ?? '') : '';
    ctx.session.otherTablespace = value !== '' && value.toLowerCase() !== 'pg_default';
    return false;
  }
  if (name === 'role' || name === 'session_authorization') {
    const value = (stringValue(set.args?.[0]) ?? '').toLowerCase();
    ctx.session.otherRole = set.kind === 'VAR_SET_VALUE' && value !== 'none';
    return false;
  }
  if (set.kind === 'VAR_RESET_ALL') {
    resetSessionSettings(ctx.model, ctx.session);
    return false;
  }
  if (name.startsWith('citus.')) {
    if (set.is_local) {
      // SET LOCAL lasts until the transaction ends; outside a transaction block it does nothing (a warning)
      if (!ctx.session.inTransaction) return false;
      const saved = (ctx.session.localSettings ??= new Map());
      if (!saved.has(name)) saved.set(name, ctx.model.settings.get(name));
    }
    if (set.kind === 'VAR_SET_VALUE') {
      const a = set.args?.[0];
      const value = a?.A_Const?.ival !== undefined ? String(a.A_Const.ival.ival ?? 0) : (stringValue(a) ?? '');
      ctx.model.settings.set(name, normalizeSettingValue(name, value));
    } else if (set.kind === 'VAR_RESET' || set.kind === 'VAR_SET_DEFAULT') {
      resetSetting(name, ctx.model);
    }
    return false;
  }
  return false;
}

/**
 * RESET ALL, or a new session (psql's `\c`): the search_path and the citus.* settings return to what the
 * cluster runs with.
 */
export function resetSessionSettings(model: SchemaModel, session: SessionState): void {
  session.searchPath = ['public'];
  // a new session: `\c` may connect to another database, with other tables
  session.created?.clear();
  session.distributed?.clear();
  session.otherRole = false;
  session.otherTablespace = false;
  resetReadOnly(session);
  for (const n of [...model.settings.keys()]) if (n.startsWith('citus.')) resetSetting(n, model);
}

/** RESET: back to the value the cluster runs with (a snapshot's or the config's), else Citus' default. */
function resetSetting(name: string, model: DdlContext['model']): void {
  const cluster = model.clusterSettings.get(name);
  if (cluster !== undefined) model.settings.set(name, cluster);
  else if (name === 'citus.shard_count') model.settings.set(name, '32');
  else model.settings.delete(name);
}

/** FOR VALUES FROM (..) TO (..) / IN (..) / DEFAULT, with the constants as text (MINVALUE / MAXVALUE: null). */
function partitionBound(spec: PgNode | undefined): PartitionBound | undefined {
  const b = spec?.PartitionBoundSpec ?? spec;
  if (!b) return undefined;
  if (b.is_default) return { kind: 'default' };
  const datum = (d: PgNode): string | null => {
    let n = d;
    while (n?.TypeCast) n = n.TypeCast.arg;
    const c = n?.A_Const;
    if (c?.sval !== undefined) return c.sval.sval ?? '';
    if (c?.ival !== undefined) return String(c.ival.ival ?? 0);
    if (c?.fval !== undefined) return String(c.fval.fval ?? '');
    if (c?.boolval !== undefined) return String(!!c.boolval.boolval);
    return null;
  };
  // MINVALUE / MAXVALUE: a column reference of that name, in a range bound (transformPartitionRangeBounds)
  const rangeDatum = (d: PgNode): string | null => {
    const ref = d?.ColumnRef ? nameList(d.ColumnRef.fields) : undefined;
    if (ref?.length === 1 && ref[0].toLowerCase() === 'minvalue') return RANGE_MIN;
    if (ref?.length === 1 && ref[0].toLowerCase() === 'maxvalue') return RANGE_MAX;
    return datum(d);
  };
  if (b.strategy === 'r') return { kind: 'range', from: (b.lowerdatums ?? []).map(rangeDatum), to: (b.upperdatums ?? []).map(rangeDatum) };
  if (b.strategy === 'l') {
    // a list value that is an expression the model does not evaluate: the bound is not known (NULL takes no key value)
    const items: PgNode[] = b.listdatums ?? [];
    const isNull = (d: PgNode): boolean => !!stripCast(d)?.A_Const?.isnull;
    if (items.some((d) => datum(d) === null && !isNull(d))) return undefined;
    return { kind: 'list', values: items.map(datum).filter((x: string | null): x is string => x !== null) };
  }
  return undefined;
}

/** `$user` entries and quoting in search_path values. */
function normalizeSchemaName(s: string): string {
  return s.trim();
}

function createTable(create: PgNode, ctx: DdlContext, location: SourceLocation): void {
  const rv = create.relation;
  if (!rv?.relname) return;
  const schema = rv.schemaname ?? creationSchema(ctx);
  const existing = ctx.model.get(schema, rv.relname);
  if (create.if_not_exists && existing) return;
  // (a temporary table is created in the session's own schema, pg_temp, where no table of the file is: it hides one
  // of the same name, which the model stands it in for)
  if (existing && rv.relpersistence !== 't' && createdBefore(existing, ctx, location)) return;
  const columnProblem = existing ? undefined : createTableColumnProblem(create, rv.relname);
  if (columnProblem) {
    ctx.problems?.push({ rule: 'ddl-column-error', message: columnProblem, offset: location.offset ?? 0 });
    return;
  }
  const table: TableModel = {
    schema,
    name: rv.relname,
    kind: 'local',
    columns: [],
    uniqueKeys: [],
    partitioned: !!create.partspec,
    definedAt: location,
    ...(rv.relpersistence === 't' ? { temporary: true } : {}),
  };
  for (const elt of create.tableElts ?? []) {
    if (elt.ColumnDef) addColumn(table, elt.ColumnDef, ctx);
    else if (elt.Constraint) addConstraint(table, elt.Constraint, ctx);
    else if (elt.TableLikeClause) addLikeColumns(table, elt.TableLikeClause, ctx);
  }
  // INHERITS (parent) / OF type: columns the model does not list
  if ((!create.partbound && create.inhRelations?.length) || create.ofTypename) table.columnsIncomplete = true;
  // a parent of INHERITS: PostgreSQL carries a CHECK added to it later to the children, and refuses one that clashes
  if (!create.partbound) {
    for (const i of create.inhRelations ?? []) {
      const parent = resolveRangeVar(i.RangeVar, ctx);
      if (parent) parent.inherited = true;
      // (a parent's constraints are its children's too: RENAME and DROP CONSTRAINT of one may fail on them)
      if (parent) forgetConstraintNames(parent);
    }
  }
  // (the key's columns, when every part is a column: an expression makes it one the model does not follow)
  const key = (create.partspec?.partParams ?? []).map((p: PgNode) => p.PartitionElem?.name).filter(Boolean);
  if (key.length && key.length === create.partspec.partParams.length) table.partitionKey = key;
  const bound = partitionBound(create.partbound);
  if (bound) table.partitionBound = bound;
  setAccessMethod(table, create.accessMethod);
  // PARTITION OF parent: inherit the parent's columns and distribution
  let surePartition = false;
  if (create.partbound && create.inhRelations?.length) {
    const parent = resolveRangeVar(create.inhRelations[0].RangeVar, ctx);
    const boundCheck = parent ? partitionBoundCheck(parent, table.name, create.partbound, ctx) : undefined;
    if (boundCheck && boundCheck !== 'accepted') {
      ctx.problems?.push({ rule: 'partition-bound-refused', ...boundCheck, offset: location.offset ?? 0 });
      return;
    }
    // (a plain PARTITION OF whose bound the model accepted: surely created, see partitionBoundCheck)
    if (boundCheck === 'accepted' && !create.tableElts?.length && !create.partspec) surePartition = true;
    if (parent) {
      table.partitionParent = qualifiedName(parent.schema, parent.name);
      // `PARTITION OF parent (col WITH OPTIONS ...)` lists only options (NOT NULL, DEFAULT) of the parent's columns
      const options = new Map(table.columns.map((c) => [c.name, c]));
      if (table.columns.every((c) => c.type === undefined || c.type === 'unknown' || c.type === '')) {
        table.columns = parent.columns.map((c) => {
          const o = options.get(c.name);
          return o ? { ...c, notNull: c.notNull || o.notNull, defaultKind: o.defaultKind !== 'none' ? o.defaultKind : c.defaultKind, defaultText: o.defaultText ?? c.defaultText } : { ...c };
        });
      }
      if (parent.columnsIncomplete) table.columnsIncomplete = true;
      inheritKeys(table, parent);
      inheritDistribution(table, parent);
    }
  }
  // tables created in a distributed schema are single-shard tables of the schema's group
  const schemaGroup = ctx.model.distributedSchemas.get(schema);
  if (schemaGroup !== undefined && !table.partitionParent) {
    table.kind = 'single_shard';
    table.colocationId = schemaGroup;
    table.shardCount = 1;
  }
  // citus.use_citus_managed_tables: every new plain table is added to the metadata as a citus-local table
  // (PostprocessCreateTableStmt -> CreateCitusLocalTable; temporary tables and partitions excepted)
  if (table.kind === 'local' && !table.partitionParent && rv.relpersistence !== 't' && ctx.model.settings.get('citus.use_citus_managed_tables') === 'on') {
    table.kind = 'citus_local';
    table.colocationId = 0;
    table.shardCount = 1;
  }
  // the keys' indexes are made with the table: one that lacks a partition key column fails the CREATE TABLE
  const keyless = [
    ...(table.primaryKey ? [{ keys: table.primaryKey, kind: 'PRIMARY KEY' as const }] : []),
    ...table.uniqueKeys.map((keys) => ({ keys, kind: 'UNIQUE' as const })),
  ].map((k) => partitionKeyLeftOut(table, k.keys, k.kind)).find(Boolean);
  if (keyless) {
    ctx.problems?.push({ rule: 'partitioned-key-without-partition-column', ...keyless, offset: location.offset ?? 0 });
    return;
  }
  // a table of the name this file created before without the model being sure it was (a LIKE, a CHECK, a definition
  // PostgreSQL may have refused): if that one was made, this CREATE TABLE fails and the table keeps the first
  // definition. Either may be the table: its columns and keys are not vouched for (no column is said not to exist, no
  // type is taken from one definition where the other differs, no key is said to be there or missing). A temporary
  // table that hides a table of the name stands in for both: `schema.name` still reads the other one.
  const qualified = qualifiedName(schema, table.name);
  const hides = existing && rv.relpersistence === 't' && !existing.temporary;
  const twice = !!existing && (hides || (rv.relpersistence !== 't' && !!ctx.session.createdHere?.has(qualified)));
  if (twice) {
    table.columnsIncomplete = true;
    table.keysUncertain = true;
    table.keysIncomplete = true;
    const before = new Map(existing.columns.map((c) => [c.name, c.type]));
    table.columns = table.columns.map((c) => (before.has(c.name) && before.get(c.name) !== c.type ? { ...c, type: 'unknown' } : c));
  }
  ctx.model.put(table);
  ctx.session.createdHere?.add(qualified);
  // (a new table has no rows, whatever its name's earlier table had: SessionState.rowsWrittenTo, freshTables)
  if (!existing) {
    (ctx.session.createdFresh ??= new Set()).add(qualified);
    ctx.session.rowsWrittenTo?.delete(table.name);
    // (its rows are followed while only INSERT .. VALUES write them; not when another schema has a table of its name)
    const namesake = ctx.model.hasNamesake(table);
    (ctx.session.rowKeys ??= new Map()).set(table.name, namesake ? 'unknown' : []);
    if (ctx.session.rowsWritten && ctx.session.rowsWrittenTo === undefined && !ctx.session.rowsWrittenBetween) (ctx.session.freshTables ??= new Set()).add(table.name);
  }
  noteConstraintNames(table, create, ctx);
  // (nor its constraints' names: the first definition's may be the table's)
  if (twice) forgetConstraintNames(table);
  if (table.constraintNamesComplete) {
    const names = [...Object.keys(table.constraintNames ?? {}), ...Object.entries(table.keyNames ?? {}).filter(([, k]) => k.kind === 'primary' || k.kind === 'unique').map(([n]) => n)];
    if (names.length) table.constraintsAtCreate = names;
  }
  const fks: PgNode[] = [];
  const ownColumns = new Map<PgNode, string>();
  const columnConstraints = new Map<PgNode, PgNode[]>();
  for (const elt of create.tableElts ?? []) {
    if (elt.Constraint?.contype === 'CONSTR_FOREIGN') fks.push(elt.Constraint);
    for (const c of elt.ColumnDef?.constraints ?? []) {
      if (c.Constraint?.contype !== 'CONSTR_FOREIGN') continue;
      fks.push(c.Constraint);
      ownColumns.set(c.Constraint, elt.ColumnDef.colname);
      columnConstraints.set(c.Constraint, elt.ColumnDef.constraints);
    }
  }
  const targets = fks.map((con) => resolveRangeVar(con.pktable, ctx));
  // (PostgreSQL adds the foreign keys once the table is made, and a refused one fails the whole CREATE TABLE)
  const wrong = fks.map((con, k) => (targets[k] ? foreignKeyTargetError(con, ownColumns.get(con), table, targets[k] as TableModel) : undefined)).find(Boolean);
  if (wrong) {
    ctx.problems?.push({ rule: 'foreign-key-without-unique-key', message: wrong, offset: location.offset ?? 0 });
    ctx.model.remove(table);
    ctx.session.created?.delete(qualifiedName(schema, table.name));
    return;
  }
  const details = fks.map((con, k) => (targets[k] ? foreignKeyOf(con, ownColumns.get(con), targets[k], columnConstraints.get(con)) : undefined));
  // (then each pair of columns' types: ATAddForeignKeyConstraint; the names were noted with the table's)
  const mismatch = details.map((d, k) => (d ? foreignKeyTypeError(d, table, targets[k] as TableModel, foreignKeyName(table, d)) : undefined)).find(Boolean);
  if (mismatch) {
    ctx.problems?.push({ rule: 'foreign-key-type-mismatch', ...mismatch, offset: location.offset ?? 0 });
    ctx.model.remove(table);
    ctx.session.created?.delete(qualifiedName(schema, table.name));
    return;
  }
  // PostgreSQL surely accepts each key: its columns and types, a primary or unique key it references
  const keysValid = details.every((d, k) => d && foreignKeyValid(d, table, targets[k] as TableModel));
  const tableSure = surePartition ? partitionSurelyCreated(create, table, ctx) : tableSurelyCreated(create, table, ctx);
  // (Citus checks, and may refuse, a foreign key to one of its tables: not "surely created")
  const created = tableSure && keysValid && fks.every((con, k) => targets[k]?.kind === 'local' && con.fk_matchtype !== 'f' && !con.fk_del_set_cols?.length);
  if (created) ctx.session.created?.add(qualifiedName(schema, table.name));
  else ctx.session.created?.delete(qualifiedName(schema, table.name));
  if (!fks.length) return;
  // the foreign keys are sure when PostgreSQL surely accepts the table under a fresh name, and Citus does (below)
  const sure = tableSure && keysValid && !existing && !table.partitionParent;
  if (sure) table.foreignKeys = details as ForeignKeyModel[];
  if (addForeignKeys(table, fks, ctx, location, details, sure)) table.foreignKeys = undefined;
}

/** DROP TABLE of a table and its partitions, and theirs (a partition can be partitioned in turn). */
function dropWithPartitions(table: TableModel, ctx: DdlContext): void {
  // (removed first: a model built from statements PostgreSQL refused can name a table its own partition)
  ctx.model.remove(table);
  const key = qualifiedName(table.schema, table.name);
  ctx.session.created?.delete(key);
  ctx.session.distributed?.delete(key);
  // DROP .. CASCADE drops the foreign keys that reference it (a table created again under the name has none)
  for (const t of ctx.model.tables.values()) {
    if (t.foreignKeysTo?.includes(key)) t.foreignKeysTo = t.foreignKeysTo.filter((k) => k !== key);
    if (t.foreignKeys?.some((fk) => fk.to === key)) t.foreignKeys = t.foreignKeys.filter((fk) => fk.to !== key);
  }
  for (const p of ctx.model.partitionsOf(table)) dropWithPartitions(p, ctx);
}

/**
 * Whether PostgreSQL surely creates the table of a CREATE TABLE, foreign keys aside: a plain table (or a partition of
 * one) with columns and constraints of its own. Citus checks, and may refuse, a table in a distributed schema, a
 * partition of a Citus table, an inherited or typed table, a temporary one (gone at the next connection) or one of
 * another access method. Nor is it sure whether a CREATE TABLE inside BEGIN .. COMMIT was kept (a failed statement
 * turns the COMMIT into a ROLLBACK), or one run under SET ROLE was allowed. (Its foreign keys, to plain tables only,
 * are checked by the caller: Citus checks, and may refuse, foreign keys to its tables, and Citus' regression files
 * do this on purpose.)
 */
function tableSurelyCreated(create: PgNode, table: TableModel, ctx: DdlContext): boolean {
  if ((!create.partbound && create.inhRelations?.length) || create.ofTypename) return false;
  return creationSure(create, table, ctx) && definitionSurelyValid(create);
}

/**
 * A plain `CREATE TABLE p PARTITION OF parent FOR VALUES ..` whose bound partitionBoundCheck accepted (the parent and
 * every other partition surely created by the file): what else could make PostgreSQL refuse it is checked as for any
 * table (a temporary table, a transaction, another role, a tablespace or storage options).
 */
function partitionSurelyCreated(create: PgNode, table: TableModel, ctx: DdlContext): boolean {
  return creationSure(create, table, ctx) && !create.tablespacename && !create.options?.length && (!create.oncommit || create.oncommit === 'ONCOMMIT_NOOP');
}

/** What any CREATE TABLE the model is sure of needs, whatever its definition: the session and the table's kind. */
function creationSure(create: PgNode, table: TableModel, ctx: DdlContext): boolean {
  // (a partition of a Citus table has the parent's kind: Citus distributes it as its parent, colocated with it; of a
  // hash-distributed parent the file surely created, that is sure too)
  const parent = table.partitionParent ? ctx.model.tables.get(table.partitionParent) : undefined;
  const distributedPartition = table.kind === 'hash' && parent?.kind === 'hash' && !parent.kindUncertain && !!ctx.session.created?.has(table.partitionParent!);
  if ((table.kind !== 'local' && !distributedPartition) || create.accessMethod) return false;
  if (create.relation?.relpersistence === 't' || ctx.model.distributedSchemas.has(table.schema)) return false;
  // (PostgreSQL refuses a table in pg_catalog without allow_system_table_mods)
  if (table.schema === 'pg_catalog' || table.schema === 'information_schema') return false;
  return !ctx.session.inTransaction && !ctx.session.otherRole && !ctx.session.otherTablespace;
}

/** Types a partition key cannot use: no default B-tree or hash operator class. */
const NO_DEFAULT_OPCLASS = new Set(['json', 'xml', 'point', 'lseg', 'path', 'polygon', 'line', 'circle', 'box']);

/**
 * Whether PostgreSQL surely accepts a CREATE TABLE's definition: only the plain forms whose checks the model can do
 * itself. PostgreSQL's own regression files create tables that fail on purpose, then create the same name again; a
 * definition with anything the model does not check (a partition bound, which may overlap another; LIKE; a
 * tablespace, storage options, a collation or a compression method, which may not exist; identity and generated
 * columns; CHECK and EXCLUDE constraints; a DEFAULT that is not a constant; foreign keys, whose keys and types must
 * match) may have failed, and then the next CREATE TABLE of that name is not refused for existing.
 */
function definitionSurelyValid(create: PgNode): boolean {
  if (create.partbound || create.tablespacename || create.options?.length || (create.oncommit && create.oncommit !== 'ONCOMMIT_NOOP')) return false;
  const columns = new Map<string, string>();
  for (const elt of create.tableElts ?? []) {
    const def = elt.ColumnDef;
    if (def) {
      if (columns.has(def.colname)) return false; // column "a" specified more than once
      const typeName = def.typeName?.TypeName ?? def.typeName;
      const type = typeNameOf(typeName);
      if (!isSerialType(typeName) && !isKnownBuiltinType(type)) return false;
      if (def.collClause || def.compression || def.identity || def.generated || def.storage) return false;
      let nullability = '';
      for (const c of def.constraints ?? []) {
        const con = c.Constraint;
        if (!con) return false;
        if (con.contype === 'CONSTR_NOTNULL' || con.contype === 'CONSTR_NULL') {
          if (nullability && nullability !== con.contype) return false; // conflicting NULL/NOT NULL declarations
          nullability = con.contype;
        } else if (con.contype === 'CONSTR_DEFAULT') {
          if (!constantDefault(con.raw_expr) && !timeDefault(con.raw_expr, type)) return false;
        } else if (con.contype === 'CONSTR_FOREIGN') continue; // (checked by the caller)
        else if (con.contype !== 'CONSTR_PRIMARY' && con.contype !== 'CONSTR_UNIQUE') return false;
        else if (con.indexspace || con.options?.length || con.including?.length) return false;
      }
      columns.set(def.colname, type);
    } else if (elt.Constraint) {
      const con = elt.Constraint;
      if (con.contype === 'CONSTR_FOREIGN') continue; // (checked by the caller)
      if (con.contype !== 'CONSTR_PRIMARY' && con.contype !== 'CONSTR_UNIQUE') return false;
      if (con.indexspace || con.options?.length || con.including?.length) return false;
    } else return false; // LIKE, and anything else
  }
  // every key column is a column of the table
  for (const elt of create.tableElts ?? []) {
    const con = elt.Constraint;
    if (con && !nameList(con.contype === 'CONSTR_FOREIGN' ? con.fk_attrs : con.keys).every((k) => columns.has(k))) return false;
  }
  const spec = create.partspec?.PartitionSpec ?? create.partspec;
  if (spec) {
    // a primary key or unique constraint of a partitioned table includes every partition key column
    const keyColumns = (spec.partParams ?? []).map((p: PgNode) => p.PartitionElem?.name);
    for (const elt of create.tableElts ?? []) {
      const inline = (elt.ColumnDef?.constraints ?? []).map((c: PgNode) => ({ con: c.Constraint, keys: [elt.ColumnDef.colname] }));
      const own = elt.Constraint ? [{ con: elt.Constraint, keys: nameList(elt.Constraint.keys) }] : [];
      for (const { con, keys } of [...inline, ...own]) {
        if ((con?.contype === 'CONSTR_PRIMARY' || con?.contype === 'CONSTR_UNIQUE') && !keyColumns.every((k: string | undefined) => k && keys.includes(k))) return false;
      }
    }
    const params: PgNode[] = spec.partParams ?? [];
    if (spec.strategy === 'PARTITION_STRATEGY_LIST' && params.length !== 1) return false;
    for (const p of params) {
      const e = p.PartitionElem;
      if (!e?.name || e.expr || e.collation?.length || e.opclass?.length) return false;
      const type = columns.get(e.name);
      if (!type || NO_DEFAULT_OPCLASS.has(type.replace(/\[\]$/, ''))) return false;
    }
  }
  return true;
}

/** A DEFAULT PostgreSQL surely accepts: a constant, maybe cast, or a value function (CURRENT_TIMESTAMP, ...). */
function constantDefault(expr: PgNode | undefined): boolean {
  let e = expr;
  while (e?.TypeCast) e = e.TypeCast.arg;
  return !!(e?.A_Const || e?.SQLValueFunction);
}

/** Built-in functions of no argument a column of the type takes as its DEFAULT (now() of a timestamptz column, ...). */
const TIMES = ['timestamp with time zone', 'timestamp without time zone', 'date'];
const SURE_DEFAULT_FUNCTIONS = new Map<string, readonly string[]>([
  ['now', TIMES],
  ['clock_timestamp', TIMES],
  ['statement_timestamp', TIMES],
  ['transaction_timestamp', TIMES],
  ['gen_random_uuid', ['uuid']],
]);

/** `DEFAULT now()` and the like: a call PostgreSQL surely accepts as the default of a column of `type`. */
function timeDefault(expr: PgNode | undefined, type: string): boolean {
  const call = expr?.FuncCall;
  if (!call || call.args?.length || call.agg_star || call.over) return false;
  const names = nameList(call.funcname);
  if (names.length > 2 || (names.length === 2 && names[0] !== 'pg_catalog')) return false;
  return SURE_DEFAULT_FUNCTIONS.get(names[names.length - 1])?.includes(type) ?? false;
}

/** A SQL function's body is one SELECT (as inline_set_returning_function needs): its AS text, or its BEGIN ATOMIC list. */
function singleSelectBody(fn: PgNode): boolean {
  if (fn.sql_body) {
    const outer: PgNode[] = fn.sql_body.List?.items ?? [];
    const statements: PgNode[] = outer.length === 1 && outer[0].List ? (outer[0].List.items ?? []) : outer;
    return statements.length === 1 && !!statements[0].SelectStmt;
  }
  const as = (fn.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'as');
  const items: PgNode[] = as?.DefElem?.arg?.List?.items ?? (as?.DefElem?.arg ? [as.DefElem.arg] : []);
  const source = stringValue(items[0]);
  if (source === undefined) return false;
  const parsed = parseSql(source);
  return parsed.ok && parsed.statements.length === 1 && !!parsed.statements[0].stmt.SelectStmt;
}

/**
 * A table the document created itself, earlier in the same session: PostgreSQL refuses to create it again ("relation ..
 * already exists") and the first definition stays. A table of the base model (another file of the workspace, a snapshot)
 * is replaced instead: the workspace's files may drop and re-create it in ways the model cannot order.
 */
function createdBefore(existing: TableModel, ctx: DdlContext, location: SourceLocation): boolean {
  if (!ctx.session.created?.has(qualifiedName(existing.schema, existing.name))) return false;
  ctx.problems?.push({ rule: 'relation-already-exists', message: `relation "${existing.name}" already exists`, offset: location.offset ?? 0 });
  return true;
}

/**
 * Foreign keys between a plain PostgreSQL table and a reference or citus-local table, in either direction:
 * Citus 11+ turns the plain table, and every plain table its foreign keys connect it to, into citus-local
 * tables (PostprocessCreateTableStmtForeignKeys and ConvertPostgresLocalTablesToCitusLocalTables in
 * commands/table.c), when citus.enable_local_reference_table_foreign_keys is on (the default) and the
 * coordinator is in the metadata (citus_set_coordinator_host, as Citus' multi-node setup does).
 */
function addForeignKeys(table: TableModel, fks: PgNode[], ctx: DdlContext, location: SourceLocation, details: readonly (ForeignKeyModel | undefined)[], sure: boolean): boolean {
  const model = ctx.model;
  // Citus refuses the statement (then neither the foreign keys nor a conversion happen)
  const refused = foreignKeysRefusal(table, fks, details, ctx);
  if (refused) {
    ctx.problems?.push({ rule: 'foreign-key-refused', ...refused, offset: location.offset ?? 0 });
    return true;
  }
  for (const con of fks) {
    const referenced = resolveRangeVar(con.pktable, ctx);
    if (!referenced) continue;
    const key = qualifiedName(referenced.schema, referenced.name);
    table.foreignKeysTo = [...(table.foreignKeysTo ?? []).filter((k) => k !== key), key];
    if (model.settings.get('citus.enable_local_reference_table_foreign_keys') === 'off') continue;
    const isCitusLocalOrRef = (t: TableModel): boolean => t.kind === 'reference' || t.kind === 'citus_local';
    const plain = isCitusLocalOrRef(referenced) && table.kind === 'local' ? table : isCitusLocalOrRef(table) && referenced.kind === 'local' ? referenced : undefined;
    if (!plain || plain.partitionParent) continue;
    for (const t of connectedPlainTables(plain, model)) {
      setKind(model, t, { kind: 'citus_local', distributionColumn: undefined, colocationId: 0, shardCount: 1 }, location);
      // (a foreign key PostgreSQL may have refused: then nothing was converted)
      if (!sure || !foreignKeysAllSure(t, model)) t.kindUncertain = true;
    }
  }
  return false;
}

/**
 * Whether Citus refuses foreign keys a CREATE TABLE or ALTER TABLE .. ADD adds to `table`: on a Citus table, the
 * checks of create_distributed_table (ErrorIfUnsupportedForeignConstraintExists); between a plain table and a
 * reference or citus-local table, the conversion of the plain tables they connect.
 */
function foreignKeysRefusal(table: TableModel, fks: readonly PgNode[], details: readonly (ForeignKeyModel | undefined)[], ctx: DdlContext): ForeignKeyRefusal | undefined {
  const model = ctx.model;
  if (table.partitionParent || table.kind === 'view' || table.kind === 'matview') return undefined;
  // (with DDL propagation off, as a worker's session or a script that manages shards itself, Citus does not check)
  if (model.settings.get('citus.enable_ddl_propagation') === 'off') return undefined;
  if (table.kind !== 'local') {
    const known = details.filter((d): d is ForeignKeyModel => !!d);
    const group = table.colocationId ? model.groups.get(table.colocationId) : undefined;
    const refused = unsupportedForeignKey(table, { kind: table.kind, distributionColumn: table.distributionColumn, colocationId: table.colocationId, replicationFactor: group?.replicationFactor ?? 1 }, known, model);
    if (refused || (table.kind !== 'reference' && table.kind !== 'citus_local')) return refused;
    // a reference or citus-local table referencing plain tables: Citus converts them, and those they are connected to
    const plain = fks.map((con) => resolveRangeVar(con.pktable, ctx)).filter((t): t is TableModel => t?.kind === 'local');
    return plain.length ? conversionRefusal(plain, model, plain.map((to) => ({ from: table, to }))) : undefined;
  }
  // a plain table referencing a reference or citus-local table: Citus converts the plain tables it is connected to
  const edges: { from: TableModel; to: TableModel }[] = [];
  let converts = false;
  for (const con of fks) {
    const referenced = resolveRangeVar(con.pktable, ctx);
    if (!referenced) continue;
    edges.push({ from: table, to: referenced });
    if (referenced.kind === 'reference' || referenced.kind === 'citus_local') converts = true;
  }
  return converts ? conversionRefusal([table], model, edges) : undefined;
}

/**
 * A dropped column: the foreign keys on it (the table's own, which go with it, and those that reference it, which go
 * with CASCADE or keep the column) are no longer sure.
 */
function forgetForeignKeysOn(table: TableModel, column: string, model: SchemaModel): void {
  const key = qualifiedName(table.schema, table.name);
  if (table.foreignKeys?.some((fk) => fk.columns.includes(column))) table.foreignKeys = table.foreignKeys.filter((fk) => !fk.columns.includes(column));
  for (const t of model.tables.values()) {
    if (t.foreignKeys?.some((fk) => fk.to === key && fk.refColumns.includes(column))) t.foreignKeys = t.foreignKeys.filter((fk) => !(fk.to === key && fk.refColumns.includes(column)));
  }
}

/**
 * The sure foreign keys that reference `table` (on `refColumns`, any when undefined) may be gone: they no longer vouch
 * (TableModel.foreignKeys), and the referencing table's keys to it are not all known (foreignKeysUncertain).
 */
function forgetForeignKeysReferencing(table: TableModel, refColumns: readonly string[] | undefined, model: SchemaModel): void {
  const key = qualifiedName(table.schema, table.name);
  const uses = (fk: ForeignKeyModel): boolean => fk.to === key && (!refColumns || sameColumnSet(fk.refColumns, refColumns));
  for (const t of model.tables.values()) {
    if (!t.foreignKeys?.some(uses)) continue;
    t.foreignKeys = t.foreignKeys.filter((fk) => !uses(fk));
    t.foreignKeysUncertain = true;
  }
}

/** The tables a foreign key connects the table to, either way. */
function foreignKeyNeighbours(t: TableModel, model: SchemaModel): TableModel[] {
  const key = qualifiedName(t.schema, t.name);
  const out: TableModel[] = [];
  for (const k of t.foreignKeysTo ?? []) {
    const other = model.tables.get(k);
    if (other) out.push(other);
  }
  for (const other of model.tables.values()) if (other.foreignKeysTo?.includes(key)) out.push(other);
  return out;
}

/** The plain table and the plain tables connected to it by foreign keys (either way), partitions aside. */
function connectedPlainTables(start: TableModel, model: SchemaModel): TableModel[] {
  const seen = new Set<TableModel>([start]);
  const queue = [start];
  while (queue.length) {
    for (const n of foreignKeyNeighbours(queue.pop()!, model)) {
      if (n.kind === 'local' && !n.partitionParent && !seen.has(n)) {
        seen.add(n);
        queue.push(n);
      }
    }
  }
  return [...seen];
}

/**
 * The sequence PostgreSQL makes for a serial or identity column (ChooseRelationName): `table_column_seq` in the table's
 * schema, unless a sequence of that name exists already (then another name) or the name is longer than 63 bytes
 * (truncated): undefined, the model is not sure of the name.
 */
function ownSequence(table: TableModel, column: string, model: SchemaModel): string | undefined {
  const name = `${table.name}_${column}_seq`;
  const qualified = qualifiedName(table.schema, name);
  if (Buffer.byteLength(name) > 63 || model.sequences.has(qualified)) return undefined;
  return qualified;
}

/** The sequence a default `nextval('name')` draws from (a literal name, as regclass resolves it), else undefined. */
function nextvalSequence(expr: PgNode | undefined, ctx: DdlContext): string | undefined {
  const call = stripCast(expr)?.FuncCall;
  if (!call || nameList(call.funcname).pop() !== 'nextval' || call.args?.length !== 1) return undefined;
  // (a literal, or one cast to regclass: PostgreSQL records the column's dependency on the sequence then, and Citus
  // follows it; `nextval('s'::text)` finds the sequence only when it runs: Citus' regression file multi_sequence_default.sql)
  const arg = call.args[0];
  const cast = arg?.TypeCast ? nameList(arg.TypeCast.typeName?.names).pop() : undefined;
  if (cast !== undefined && cast !== 'regclass') return undefined;
  const literal = stripCast(arg)?.A_Const?.sval?.sval;
  if (typeof literal !== 'string') return undefined;
  const parts = literal.split('.');
  if (parts.length > 2 || parts.some((p) => !/^[a-z_][a-z0-9_$]*$/.test(p))) return undefined;
  if (parts.length === 2) return qualifiedName(parts[0], parts[1]);
  const schema = ctx.session.searchPath.find((sch) => sch !== '$user' && sch !== 'pg_catalog' && ctx.model.sequences.has(qualifiedName(sch, parts[0])));
  return schema ? qualifiedName(schema, parts[0]) : undefined;
}

/**
 * PreprocessAlterSequenceStmt (commands/sequence.c): ALTER SEQUENCE of a sequence a distributed or reference table's
 * column draws from (a serial or identity column's own, or `DEFAULT nextval('name')`): Citus made it a distributed
 * object when it distributed the table, set its range per node, and refuses to change it (checked on Citus 13.2.2:
 * RESTART, INCREMENT, AS, CACHE; RENAME and OWNER TO are other statements, and run). Not with DDL propagation off.
 */
function alterSequenceRefusal(alter: PgNode, ctx: DdlContext): string | undefined {
  if (ctx.model.opaqueCitusCalls) return undefined;
  const rv = alter.sequence;
  if (!rv?.relname) return undefined;
  const schemas = rv.schemaname ? [rv.schemaname] : ctx.session.searchPath.filter((sch) => sch !== '$user');
  const users = [...ctx.model.tables.values()].filter((t) => (t.kind === 'hash' || t.kind === 'reference' || t.kind === 'single_shard') && !t.kindUncertain);
  const propagated = ctx.model.settings.get('citus.enable_ddl_propagation') !== 'off';
  for (const schema of schemas) {
    const qualified = qualifiedName(schema, rv.relname);
    // ErrorIfDistributedAlterSeqOwnedBy first, whatever citus.enable_ddl_propagation says: a serial or identity
    // column's sequence of a Citus table given another owner (or none)
    const owner = [...ctx.model.tables.values()].find((t) => isCitusTable(t) && !t.kindUncertain && t.columns.some((c) => c.sequence === qualified && c.sequenceOwned));
    const ownedBy = (alter.options ?? []).find((o: PgNode) => o.DefElem?.defname === 'owned_by')?.DefElem;
    if (owner && ownedBy) {
      const names = nameList(ownedBy.arg?.List?.items ?? ownedBy.arg);
      // (NONE, or a name without a column, is no table: another owner)
      const other = names.length < 2 ? null : ownedByTable(alter.options, ctx);
      if (other !== undefined && other !== owner) return 'cannot alter OWNED BY option of a sequence already owned by a distributed table';
    }
    if (propagated && users.some((t) => t.columns.some((c) => c.sequence === qualified))) return 'Altering a distributed sequence is currently not supported.';
    // (the first schema of the search path that has a sequence of the name is the one PostgreSQL alters)
    if (ctx.model.sequences.has(qualified) || [...ctx.model.tables.values()].some((t) => t.columns.some((c) => c.sequence === qualified))) return undefined;
  }
  return undefined;
}

/** The table of a sequence's `OWNED BY table.column` option, when the model knows it. */
function ownedByTable(options: PgNode[] | undefined, ctx: DdlContext): TableModel | undefined {
  for (const o of options ?? []) {
    const def = o.DefElem;
    if (def?.defname !== 'owned_by') continue;
    const names = nameList(def.arg?.List?.items ?? def.arg);
    if (names.length < 2) return undefined;
    const table = names.slice(0, -1);
    return table.length === 2 ? ctx.model.get(table[0], table[1]) : ctx.model.resolve(undefined, table[0], ctx.session.searchPath);
  }
  return undefined;
}

function creationSchema(ctx: DdlContext): string {
  return ctx.session.searchPath.find((s) => s !== '$user' && s !== 'pg_catalog') ?? 'public';
}

function inheritDistribution(table: TableModel, parent: TableModel): void {
  table.kind = parent.kind === 'view' || parent.kind === 'matview' ? 'local' : parent.kind;
  table.distributionColumn = parent.distributionColumn;
  table.colocationId = parent.colocationId;
  table.shardCount = parent.shardCount;
}

function addColumn(table: TableModel, def: PgNode, ctx: DdlContext): void {
  const column: ColumnModel = {
    name: def.colname,
    type: typeNameOf(def.typeName?.TypeName ?? def.typeName),
    notNull: false,
    defaultKind: 'none',
  };
  const typeName = def.typeName?.TypeName ?? def.typeName;
  Object.assign(column, typeSize(column.type, typeName));
  // (a domain's name may not be a built-in type's: one written `int` is the built-in)
  const names = nameList(typeName?.names);
  const domain = names.length && !typeName?.arrayBounds?.length && !(names.length === 1 && isKnownBuiltinType(column.type)) && names[0] !== 'pg_catalog' ? findDomain(names, ctx) : undefined;
  const enumType = !domain && names.length && !typeName?.arrayBounds?.length && names[0] !== 'pg_catalog' && !(names.length === 1 && isKnownBuiltinType(column.type)) ? findEnum(names, ctx) : undefined;
  if (enumType) column.enumType = enumType;
  if (domain) {
    column.domain = qualifiedName(domain.schema, domain.name);
    if (domain.length) Object.assign(column, { length: domain.length, ...(domain.baseType === 'character' ? { fixedLength: true } : {}) });
  }
  // (a collation may make `=` of text not its bytes' equality: a nondeterministic one)
  if (def.collClause) column.collated = true;
  if (isSerialType(typeName)) {
    column.defaultKind = 'sequence';
    column.defaultText = `nextval('${table.name}_${column.name}_seq')`;
    column.notNull = true;
    column.sequence = ownSequence(table, column.name, ctx.model);
    column.sequenceOwned = true;
  }
  // (a column's `PRIMARY KEY DEFERRABLE` is two nodes in the raw parse tree: the key, then its attribute)
  const constraints: PgNode[] = def.constraints ?? [];
  const deferrable = (k: number): { deferrable?: true } => {
    for (let j = k + 1; j < constraints.length && String(constraints[j].Constraint?.contype).startsWith('CONSTR_ATTR_'); j++) {
      if (constraints[j].Constraint.contype === 'CONSTR_ATTR_DEFERRABLE') return { deferrable: true };
    }
    return {};
  };
  for (const [k, c] of constraints.entries()) {
    const con = c.Constraint;
    if (!con) continue;
    switch (con.contype) {
      case 'CONSTR_NOTNULL':
        column.notNull = true;
        break;
      case 'CONSTR_DEFAULT': {
        column.defaultKind = defaultKindOf(con.raw_expr, ctx.model);
        column.sequence = nextvalSequence(con.raw_expr, ctx);
        column.defaultText = defaultTextOf(con.raw_expr);
        break;
      }
      case 'CONSTR_IDENTITY':
        column.defaultKind = 'identity';
        column.notNull = true;
        column.identityAlways = con.generated_when === 'a';
        column.sequence = ownSequence(table, column.name, ctx.model);
        column.sequenceOwned = true;
        break;
      case 'CONSTR_GENERATED':
        column.generated = true;
        break;
      case 'CONSTR_PRIMARY':
        table.primaryKey = [column.name];
        column.notNull = true;
        nameNewKey(table, con.conname, { kind: 'primary', columns: [column.name], ...deferrable(k) }, [column.name], ctx);
        break;
      case 'CONSTR_UNIQUE':
        table.uniqueKeys.push([column.name]);
        nameNewKey(table, con.conname, { kind: 'unique', columns: [column.name], ...deferrable(k) }, [column.name, ...nameList(con.including)], ctx);
        break;
      case 'CONSTR_CHECK':
        addCheck(table, con);
        break;
      default:
        break;
    }
  }
  const existing = table.columns.findIndex((c) => c.name === column.name);
  if (existing >= 0) table.columns[existing] = column;
  else table.columns.push(column);
}

/**
 * A CHECK constraint, named as given or as PostgreSQL names it (AddRelationNewConstraints: `<table>_<column>_check`
 * when the expression reads one column, else `<table>_check`, with a number added when the table has the name
 * already). A name longer than PostgreSQL keeps (63 bytes) is not guessed: the constraint is left out.
 */
function addCheck(table: TableModel, con: PgNode): void {
  const check = makeCheck(con, (columns) => (columns.length === 1 ? `${table.name}_${columns[0]}` : table.name), table.checks ?? []);
  if (check) table.checks = [...(table.checks ?? []).filter((c) => c.name !== check.name), check];
}

/** A CHECK constraint with its name (given, or `<base>_check` with a number when taken); undefined when its name is not known. */
function makeCheck(con: PgNode, base: (columns: string[]) => string, existing: readonly CheckConstraint[]): CheckConstraint | undefined {
  if (!con.raw_expr) return undefined;
  const columns: string[] = [];
  walk(con.raw_expr, (type, f) => {
    if (type === 'ColumnRef') {
      const parts = nameList(f.fields);
      const name = parts[parts.length - 1];
      if (name && !columns.includes(name)) columns.push(name);
    }
  });
  let name: string | undefined = con.conname;
  if (!name) {
    const taken = new Set(existing.map((c) => c.name));
    const prefix = base(columns);
    for (let k = 0; k < 100 && (name === undefined || taken.has(name)); k++) name = `${prefix}_check${k ? k : ''}`;
    if (!name || Buffer.byteLength(name, 'utf8') > 63) return undefined;
  }
  return { name, expr: con.raw_expr, columns };
}

/**
 * CREATE TYPE .. AS ENUM / ALTER TYPE .. ADD VALUE / RENAME VALUE: the labels a literal of the type must be one of
 * (`invalid input value for enum ..`). A change the model cannot follow exactly forgets the type (then nothing is
 * checked against it).
 */
function applyEnum(ast: PgNode, ctx: DdlContext): boolean {
  if (ast.CreateEnumStmt) {
    const names = nameList(ast.CreateEnumStmt.typeName);
    const name = names[names.length - 1];
    if (!name) return false;
    const schema = names.length > 1 ? names[names.length - 2] : creationSchema(ctx);
    const key = qualifiedName(schema, name);
    const labels = (ast.CreateEnumStmt.vals ?? []).map((v: PgNode) => stringValue(v) ?? '');
    // (a second CREATE TYPE of the name fails: the first stays)
    if (!ctx.model.enums.has(key)) ctx.model.enums.set(key, labels);
    return true;
  }
  const a = ast.AlterEnumStmt;
  const key = findEnum(nameList(a?.typeName), ctx);
  if (!a || !key) return false;
  const labels = ctx.model.enums.get(key) ?? [];
  if (a.oldVal !== undefined) {
    // RENAME VALUE: fails unless the old one exists and the new one does not
    if (labels.includes(a.oldVal) && !labels.includes(a.newVal)) ctx.model.enums.set(key, labels.map((l) => (l === a.oldVal ? a.newVal : l)));
  } else if (typeof a.newVal === 'string' && !labels.includes(a.newVal)) {
    // ADD VALUE (the position does not matter for input; a neighbour that does not exist makes it fail); inside a
    // transaction block the new value may not be used before COMMIT (check_safe_enum_use)
    if (a.newValNeighbor === undefined || labels.includes(a.newValNeighbor)) {
      ctx.model.enums.set(key, [...labels, a.newVal]);
      if (ctx.session.inTransaction) {
        const added = (ctx.session.uncommittedEnumValues ??= new Map());
        added.set(key, new Set([...(added.get(key) ?? []), a.newVal]));
      }
    }
  }
  return true;
}

/** ALTER TYPE .. RENAME TO / SET SCHEMA: the columns keep the type under its new name, which the model does not follow. */
function forgetEnum(stmt: PgNode, ctx: DdlContext): void {
  if ((stmt.renameType ?? stmt.objectType) !== 'OBJECT_TYPE') return;
  const key = findEnum(nameList(stmt.object?.List?.items), ctx);
  if (key) ctx.model.enums.delete(key);
}

/** The `schema.name` of an enum type through the search_path. */
function findEnum(names: string[], ctx: DdlContext): string | undefined {
  const name = names[names.length - 1];
  if (!name) return undefined;
  if (names.length > 1) {
    const key = qualifiedName(names[names.length - 2], name);
    return ctx.model.enums.has(key) ? key : undefined;
  }
  for (const schema of ctx.session.searchPath) {
    const key = qualifiedName(schema, name);
    if (schema !== '$user' && ctx.model.enums.has(key)) return key;
  }
  return undefined;
}

/** CREATE DOMAIN / ALTER DOMAIN: what an INSERT's values are checked against (DomainModel). */
function applyDomain(ast: PgNode, ctx: DdlContext): boolean {
  if (ast.CreateDomainStmt) {
    const d = ast.CreateDomainStmt;
    const names = nameList(d.domainname);
    const name = names[names.length - 1];
    if (!name) return false;
    const schema = names.length > 1 ? names[names.length - 2] : creationSchema(ctx);
    const baseLength = typeSize(typeNameOf(d.typeName), d.typeName).length;
    let domain: DomainModel = { schema, name, baseType: typeNameOf(d.typeName), notNull: false, checks: [], ...(d.collClause ? { collated: true } : {}), ...(baseLength ? { length: baseLength } : {}) };
    for (const c of d.constraints ?? []) domain = domainConstraint(domain, c.Constraint);
    ctx.model.domains.set(qualifiedName(schema, name), domain);
    return true;
  }
  const a = ast.AlterDomainStmt;
  const domain = a ? findDomain(nameList(a.typeName), ctx) : undefined;
  if (!a || !domain) return false;
  let next: DomainModel = domain;
  switch (a.subtype) {
    case 'C': // ADD CONSTRAINT (NOT VALID too: it binds new values)
      next = domainConstraint(domain, a.def?.Constraint);
      break;
    case 'X': // DROP CONSTRAINT: a name the model does not know may be a CHECK it named otherwise
      next = { ...domain, checks: domain.checks.some((k) => k.name === a.name) ? domain.checks.filter((k) => k.name !== a.name) : [] };
      break;
    case 'O': // SET NOT NULL
      next = { ...domain, notNull: true };
      break;
    case 'N': // DROP NOT NULL
      next = { ...domain, notNull: false };
      break;
    case 'T': // SET / DROP DEFAULT
      next = { ...domain, defaultValue: a.def ? domainDefault(a.def) : undefined };
      break;
    default:
      return false;
  }
  ctx.model.domains.set(qualifiedName(domain.schema, domain.name), next);
  return true;
}

function domainConstraint(domain: DomainModel, con: PgNode | undefined): DomainModel {
  switch (con?.contype) {
    case 'CONSTR_NOTNULL':
      return { ...domain, notNull: true };
    case 'CONSTR_NULL':
      return { ...domain, notNull: false };
    case 'CONSTR_DEFAULT':
      return { ...domain, defaultValue: domainDefault(con.raw_expr) };
    case 'CONSTR_CHECK': {
      // (ChooseConstraintName(domain name, NULL, "check"))
      const check = makeCheck(con, () => domain.name, domain.checks);
      // (one whose name the model cannot tell is not checked: its message could not be PostgreSQL's)
      return check ? { ...domain, checks: [...domain.checks.filter((k) => k.name !== check.name), check] } : domain;
    }
    default:
      return domain;
  }
}

/** A domain's default as DomainModel keeps it: a constant's text, 'null', or 'other'. */
function domainDefault(expr: PgNode | undefined): string {
  const t = constantText(expr);
  return t === null ? 'null' : (t ?? 'other');
}

/** A domain by its name as written (`age`, `s.age`), through the search path. */
function findDomain(names: string[], ctx: DdlContext): DomainModel | undefined {
  const name = names[names.length - 1];
  if (!name) return undefined;
  if (names.length > 1) return ctx.model.domains.get(qualifiedName(names[names.length - 2], name));
  for (const schema of ctx.session.searchPath) {
    const d = schema === '$user' ? undefined : ctx.model.domains.get(qualifiedName(schema, name));
    if (d) return d;
  }
  return undefined;
}

/**
 * A unique index's shape (CREATE UNIQUE INDEX): its plain key columns (`(k)` written as an expression is one, as
 * DefineIndex takes it), whether it has expressions, whether it is partial.
 */
function uniqueIndexShape(idx: PgNode): UniqueIndexShape {
  const columns: string[] = [];
  const expressionKeys: string[] = [];
  let expressions = false;
  for (const p of idx.indexParams ?? []) {
    const el = p.IndexElem ?? {};
    const ref = el.expr?.ColumnRef?.fields;
    const name: string | undefined = el.name ?? (ref?.length === 1 ? ref[0].String?.sval : undefined);
    if (name) columns.push(name);
    else {
      expressions = true;
      if (el.expr) expressionKeys.push(expressionSignature(el.expr));
    }
  }
  const shape: UniqueIndexShape = { columns, expressions: expressions || undefined, partial: idx.whereClause ? true : undefined };
  if (expressionKeys.length) shape.expressionKeys = expressionKeys;
  const predicateColumns = idx.whereClause ? singleColumnConjuncts(idx.whereClause) : undefined;
  if (predicateColumns) shape.predicateColumns = predicateColumns;
  return shape;
}

/** Adds a unique index: a key of columns to `uniqueKeys`, one on expressions or partial to `otherUniqueIndexes`. */
function addUniqueIndex(table: TableModel, index: UniqueIndexShape): void {
  if (!index.expressions && !index.partial) {
    if (index.columns.length && !table.uniqueKeys.some((k) => k.join() === index.columns.join())) table.uniqueKeys.push([...index.columns]);
    return;
  }
  (table.otherUniqueIndexes ??= []).push({ ...index, columns: [...index.columns] });
}

/** `table` and its partitions, theirs too (what an index or a key added to a partitioned table is made on). */
function withPartitions(table: TableModel, model: SchemaModel): TableModel[] {
  const tables = [table];
  for (let k = 0; k < tables.length && k < 1000; k++) if (tables[k].partitioned) tables.push(...model.partitionsOf(tables[k]));
  return tables;
}

/**
 * A partition key value of a bound as a comparable string, for the types whose literals the model orders surely:
 * integers (by value), dates and timestamps written in ISO form (a timestamp with time zone only as a date: two
 * literals of one session's time zone then keep their order), text for list values (equality only). Else undefined.
 */
function boundValue(type: string | undefined, literal: string, list: boolean): string | undefined {
  if (type === 'integer' || type === 'bigint' || type === 'smallint') {
    if (!/^[+-]?\d{1,19}$/.test(literal.trim())) return undefined;
    const n = BigInt(literal.trim());
    // (a fixed-width form orders as the numbers do)
    return (n < 0n ? '0' : '1') + (n < 0n ? (10n ** 20n + n).toString() : n.toString()).padStart(20, '0');
  }
  const date = /^(\d{4})-(\d{2})-(\d{2})$/.exec(literal.trim());
  const validDate = (m: RegExpExecArray): boolean => {
    const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
    return d.getUTCFullYear() === Number(m[1]) && d.getUTCMonth() === Number(m[2]) - 1 && d.getUTCDate() === Number(m[3]);
  };
  if (type === 'date' || type === 'timestamp with time zone') return date && validDate(date) ? `${date[1]}-${date[2]}-${date[3]}` : undefined;
  if (type === 'timestamp without time zone') {
    const ts = /^(\d{4})-(\d{2})-(\d{2})(?:[ T](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,6}))?)?)?$/.exec(literal.trim());
    if (!ts || !validDate(ts) || Number(ts[4] ?? 0) > 23 || Number(ts[5] ?? 0) > 59 || Number(ts[6] ?? 0) > 59) return undefined;
    return `${ts[1]}-${ts[2]}-${ts[3]} ${ts[4] ?? '00'}:${ts[5] ?? '00'}:${ts[6] ?? '00'}.${(ts[7] ?? '').padEnd(6, '0')}`;
  }
  if (list && (type === 'text' || type === 'character varying')) return literal;
  return undefined;
}

/** A range bound's one value as PostgreSQL prints it in an error's DETAIL (integers and dates; else undefined). */
function printedBound(type: string | undefined, literal: string): string | undefined {
  if (literal === RANGE_MIN) return 'MINVALUE';
  if (literal === RANGE_MAX) return 'MAXVALUE';
  if (type === 'integer' || type === 'bigint' || type === 'smallint') return BigInt(literal.trim()).toString();
  if (type === 'date') return `'${literal.trim()}'`;
  return undefined;
}

/**
 * check_new_partition_bound (partitioning/partbounds.c), for a partition created (PARTITION OF) or attached: a second
 * DEFAULT partition, an empty range, a range or list that overlaps a partition the parent has. Only for a partition
 * key of one column of a type whose literals the model orders (boundValue), when the model knows every partition of
 * the parent and can read each bound: the partition PostgreSQL names is then the one the model names (the one that
 * holds the new lower bound, else the next one up; for a list, the one that holds the first value written that
 * another partition has). A list with NULL is left alone.
 *
 * Returns the refusal, `accepted` when the model is sure PostgreSQL takes the bound, undefined when it cannot tell.
 * Sure only of partitions the file itself surely created (SessionState.created: a partition is there when its parent
 * is and this check accepted its bound), so a partition whose CREATE failed for a reason the model does not check is
 * never held against the next one.
 */
function partitionBoundCheck(parent: TableModel, name: string, spec: PgNode | undefined, ctx: DdlContext, attaching?: TableModel): { message: string; detail?: string } | 'accepted' | undefined {
  const bound = partitionBound(spec);
  if (!bound || !parent.partitioned || parent.partitionsIncomplete) return undefined;
  const sure = (t: TableModel): boolean => !!ctx.session.created?.has(qualifiedName(t.schema, t.name));
  if (!sure(parent)) return undefined;
  // (a table of the name being created again is replaced, or refused for existing first)
  const siblings = ctx.model.partitionsOf(parent).filter((p) => (attaching ? p !== attaching : p.name !== name));
  if (siblings.some((p) => !sure(p))) return undefined;
  if (bound.kind === 'default') {
    const other = siblings.find((p) => p.partitionBound?.kind === 'default');
    return other ? { message: `partition "${name}" conflicts with existing default partition "${other.name}"` } : 'accepted';
  }
  const key = parent.partitionKey;
  if (key?.length !== 1) return undefined;
  const type = findColumn(parent, key[0])?.type;
  const others = siblings.filter((p) => p.partitionBound?.kind !== 'default');
  if (others.some((p) => !p.partitionBound || p.partitionBound.kind !== bound.kind)) return undefined;
  const overlap = (with_: TableModel): { message: string } => ({ message: `partition "${name}" would overlap partition "${with_.name}"` });
  // (with a DEFAULT partition, PostgreSQL then moves no row: one of the new bound's in it fails the statement
  // (check_default_partition_contents), which depends on the data: a bound that overlaps nothing is not sure to be taken)
  const accepted = siblings.some((p) => p.partitionBound?.kind === 'default') ? undefined : 'accepted';
  if (bound.kind === 'range') {
    // (MINVALUE orders before every key the model forms, MAXVALUE after)
    const value = (v: string): string | undefined => (v === RANGE_MIN ? '' : v === RANGE_MAX ? '\uffff' : boundValue(type, v, false));
    const one = (b: { from: (string | null)[]; to: (string | null)[] }): [string, string] | undefined => {
      if (b.from.length !== 1 || b.to.length !== 1 || b.from[0] === null || b.to[0] === null) return undefined;
      const lo = value(b.from[0]);
      const hi = value(b.to[0]);
      return lo !== undefined && hi !== undefined ? [lo, hi] : undefined;
    };
    const mine = one(bound);
    if (!mine) return undefined;
    if (mine[0] >= mine[1]) {
      const lo = printedBound(type, bound.from[0] as string);
      const hi = printedBound(type, bound.to[0] as string);
      return { message: `empty range bound specified for partition "${name}"`, ...(lo && hi ? { detail: `Specified lower bound (${lo}) is greater than or equal to upper bound (${hi}).` } : {}) };
    }
    const ranges: { p: TableModel; lo: string; hi: string }[] = [];
    for (const p of others) {
      const r = one(p.partitionBound as { from: (string | null)[]; to: (string | null)[] });
      if (!r) return undefined;
      ranges.push({ p, lo: r[0], hi: r[1] });
    }
    const holding = ranges.find((r) => r.lo <= mine[0] && mine[0] < r.hi);
    if (holding) return overlap(holding.p);
    const next = ranges.filter((r) => r.lo > mine[0]).sort((a, b) => (a.lo < b.lo ? -1 : 1))[0];
    return next && mine[1] > next.lo ? overlap(next.p) : accepted;
  }
  if (bound.kind === 'list') {
    const items: PgNode[] = (spec?.PartitionBoundSpec ?? spec)?.listdatums ?? [];
    if (items.some((d) => !!stripCast(d)?.A_Const?.isnull)) return undefined;
    const values = bound.values.map((v) => boundValue(type, v, true));
    const lists: { p: TableModel; values: Set<string> }[] = [];
    for (const p of others) {
      const vs = (p.partitionBound as { values: string[] }).values.map((v) => boundValue(type, v, true));
      if (vs.some((v) => v === undefined)) return undefined;
      lists.push({ p, values: new Set(vs as string[]) });
    }
    if (values.some((v) => v === undefined)) return undefined;
    for (const v of values) {
      const holder = lists.find((l) => l.values.has(v as string));
      if (holder) return overlap(holder.p);
    }
    return accepted;
  }
  return undefined;
}

/**
 * DefineIndex: a unique index of a partitioned table must hold every column of its partition key (INCLUDE columns do
 * not count), else `unique constraint on partitioned table must include all partitioning columns`, naming the first
 * column it lacks. Only for a partition key of columns, and key columns all named (not `USING INDEX`).
 */
function partitionKeyLeftOut(table: TableModel, keys: (string | undefined)[], kind: 'PRIMARY KEY' | 'UNIQUE'): { message: string; detail: string } | undefined {
  if (!table.partitioned || !table.partitionKey?.length || table.partitionParent || !keys.length || keys.some((k) => !k)) return undefined;
  const missing = table.partitionKey.find((c) => !keys.includes(c));
  if (!missing) return undefined;
  return { message: 'unique constraint on partitioned table must include all partitioning columns', detail: `${kind} constraint on table "${table.name}" lacks column "${missing}" which is part of the partition key.` };
}

/** A partition (created or attached) takes its parent's keys and unique indexes, as PostgreSQL makes them on it. */
function inheritKeys(part: TableModel, parent: TableModel): void {
  if (!part.primaryKey && parent.primaryKey) {
    part.primaryKey = [...parent.primaryKey];
    if (parent.primaryKeyUnsure) part.primaryKeyUnsure = true;
  }
  for (const k of parent.uniqueKeys) addUniqueIndex(part, { columns: k });
  for (const i of parent.otherUniqueIndexes ?? []) addUniqueIndex(part, i);
}

/**
 * A key or constraint on the table; `ctx` names a key it adds (not given for a partition's copy of its parent's key).
 * `citusNamed`: an unnamed constraint ALTER TABLE adds to a Citus table, which Citus names itself
 * (GenerateConstraintName, commands/table.c): a UNIQUE key from its key columns only, INCLUDE columns left out
 * (PostgreSQL's name has them); checked on Citus 13.2.2 (Citus' regression file
 * multi_alter_table_add_constraints_without_name.sql, recorded).
 */
function addConstraint(table: TableModel, con: PgNode, ctx: DdlContext | undefined, citusNamed = false): void {
  if (con.contype === 'CONSTR_CHECK') {
    addCheck(table, con);
    return;
  }
  // ADD [CONSTRAINT name] UNIQUE / PRIMARY KEY USING INDEX idx: the index becomes the constraint, renamed
  if (con.indexname && (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE')) {
    const index = table.keyNames?.[con.indexname];
    if (!index || index.kind !== 'index' || index.other || !ctx) return;
    const name: string = con.conname ?? con.indexname;
    renameKey(table, con.indexname, name);
    table.keyNames = { ...table.keyNames, [name]: { kind: con.contype === 'CONSTR_PRIMARY' ? 'primary' : 'unique', columns: index.columns, ...(con.deferrable ? { deferrable: true } : {}) } };
    noteKeyNamesChanged(table);
    if (con.contype === 'CONSTR_PRIMARY') {
      table.primaryKey = [...index.columns];
      for (const c of table.columns) if (index.columns.includes(c.name)) c.notNull = true;
      // (the index is the primary key's now, no longer a unique key beside it, unless another name makes one)
      const same = (cols: readonly string[]): boolean => cols.join() === index.columns.join();
      if (!Object.values(table.keyNames).some((n) => n.kind !== 'primary' && !n.other && same(n.columns))) table.uniqueKeys = table.uniqueKeys.filter((k) => !same(k));
    }
    return;
  }
  const keys = (con.keys ?? []).map((k: PgNode) => stringValue(k)).filter(Boolean) as string[];
  if (con.contype === 'CONSTR_PRIMARY' && keys.length) {
    table.primaryKey = keys;
    for (const k of keys) {
      const col = findColumn(table, k);
      if (col) col.notNull = true;
    }
    if (ctx) nameNewKey(table, con.conname, { kind: 'primary', columns: keys, ...(con.deferrable ? { deferrable: true } : {}) }, keys, ctx);
  } else if (con.contype === 'CONSTR_UNIQUE' && keys.length) {
    table.uniqueKeys.push(keys);
    if (ctx) nameNewKey(table, con.conname, { kind: 'unique', columns: keys, ...(con.deferrable ? { deferrable: true } : {}) }, citusNamed ? keys : [...keys, ...nameList(con.including)], ctx);
  }
}

/**
 * Citus refuses a key (ADD PRIMARY KEY / UNIQUE, CREATE UNIQUE INDEX) of a hash or range distributed table that lacks
 * the distribution column (ErrorIfUnsupportedConstraint), unless citus.allow_unsafe_constraints is on.
 */
function citusRefusesKey(table: TableModel, keys: readonly (string | undefined)[], model: SchemaModel): boolean {
  if ((table.kind !== 'hash' && table.kind !== 'range') || !table.distributionColumn || !keys.length || keys.some((k) => !k)) return false;
  return !keys.includes(table.distributionColumn) && model.settings.get('citus.allow_unsafe_constraints') !== 'on';
}

/** The names ChooseIndexColumnNames takes for an index's columns (INCLUDE's too): a column's, or its expression's. */
function indexNameParts(idx: PgNode): string[] {
  return [...(idx.indexParams ?? []), ...(idx.indexIncludingParams ?? [])].map((p: PgNode) => {
    const el = p.IndexElem ?? {};
    if (el.indexcolname || el.name) return el.indexcolname ?? el.name;
    // (FigureIndexColname: what FigureColname would call the expression, `expr` when it has no name)
    const name = figureColname(el.expr, 0);
    return name === '?column?' ? 'expr' : name;
  });
}

/**
 * The names of a new table's constraints, when the model knows them all (`constraintNamesComplete`): not for a table
 * made LIKE another, a partition, a child of INHERITS or a typed table (constraints it takes from elsewhere).
 */
function noteConstraintNames(table: TableModel, create: PgNode, ctx: DdlContext): void {
  if (create.inhRelations?.length || create.partbound || create.ofTypename || !allKeysNamed(table)) return;
  const constraints: { con: PgNode; column?: string }[] = [];
  for (const elt of create.tableElts ?? []) {
    if (elt.TableLikeClause) return;
    if (elt.Constraint) constraints.push({ con: elt.Constraint });
    for (const c of elt.ColumnDef?.constraints ?? []) if (c.Constraint) constraints.push({ con: c.Constraint, column: elt.ColumnDef.colname });
  }
  // (the CHECK constraints' names, given or chosen, are those of table.checks when it has them all)
  const checks = constraints.filter((c) => c.con.contype === 'CONSTR_CHECK').length;
  if (checks !== (table.checks?.length ?? 0)) return;
  table.constraintNamesComplete = true;
  for (const k of table.checks ?? []) nameConstraint(table, k.name, 'check');
  for (const { con, column } of constraints) noteConstraint(table, con, column, ctx);
}

/**
 * Kinds of constraint noteConstraint leaves alone: no named constraint of the table (PostgreSQL 15-17), or one named
 * where it is made (a key in keyNames, a CHECK in table.checks).
 */
const NAMED_ELSEWHERE = new Set(['CONSTR_NULL', 'CONSTR_NOTNULL', 'CONSTR_DEFAULT', 'CONSTR_IDENTITY', 'CONSTR_GENERATED', 'CONSTR_ATTR_DEFERRABLE', 'CONSTR_ATTR_NOT_DEFERRABLE', 'CONSTR_ATTR_DEFERRED', 'CONSTR_ATTR_IMMEDIATE', 'CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_CHECK']);

/** A foreign key or exclusion constraint's name, or forgets the table's names for what the model does not name. */
function noteConstraint(table: TableModel, con: PgNode, column: string | undefined, ctx: DdlContext): void {
  if (NAMED_ELSEWHERE.has(con.contype)) return;
  if (con.contype === 'CONSTR_FOREIGN') {
    // (a foreign key to a partitioned table is one constraint per partition too, <name>1, ..; a partitioned table's
    // are its partitions' too: not followed, nor one to a table the model does not know)
    const referenced = resolveRangeVar(con.pktable, ctx);
    if (!referenced || referenced.partitioned || table.partitioned) {
      forgetConstraintNames(table);
      return;
    }
    // (ChooseConstraintName: <table>_<columns>_fkey, numbered when the schema has the name: then not followed)
    const columns = nameList(con.fk_attrs).length ? nameList(con.fk_attrs) : column ? [column] : [];
    nameConstraint(table, con.conname ?? chosenForeignKeyName(table, columns, ctx), 'fkey');
  } else if (con.contype === 'CONSTR_EXCLUSION') {
    // (an exclusion constraint's index is named as an index is, with `excl`: <table>_<columns>_excl)
    const parts = indexNameParts({ indexParams: (con.exclusions ?? []).map((e: PgNode) => e.List?.items?.[0]), indexIncludingParams: con.including?.map((c: PgNode) => ({ IndexElem: { name: stringValue(c) } })) });
    const chosen = new Set(parts).size === parts.length ? `${table.name}_${parts.join('_')}_excl` : undefined;
    nameConstraint(table, con.conname ?? (chosen && fitsName(chosen) && !nameTaken(table, chosen, true, ctx) ? chosen : undefined), 'exclusion');
  } else forgetConstraintNames(table);
}

/** ALTER TABLE subcommands that neither add nor drop a constraint, nor change one's name. */
const CONSTRAINT_NEUTRAL_CMDS = new Set([
  'AT_ColumnDefault', 'AT_SetNotNull', 'AT_DropNotNull', 'AT_AlterColumnType', 'AT_SetStatistics', 'AT_SetStorage', 'AT_SetCompression',
  'AT_SetOptions', 'AT_ResetOptions', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_ReplaceRelOptions', 'AT_ReplicaIdentity',
  'AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig', 'AT_EnableTrigAll', 'AT_DisableTrigAll',
  'AT_EnableTrigUser', 'AT_DisableTrigUser', 'AT_EnableRule', 'AT_EnableAlwaysRule', 'AT_EnableReplicaRule', 'AT_DisableRule',
  'AT_ChangeOwner', 'AT_SetTableSpace', 'AT_ValidateConstraint', 'AT_AlterConstraint', 'AT_EnableRowSecurity', 'AT_DisableRowSecurity',
  'AT_ForceRowSecurity', 'AT_NoForceRowSecurity', 'AT_ClusterOn', 'AT_DropCluster', 'AT_SetLogged', 'AT_SetUnLogged', 'AT_SetAccessMethod',
  'AT_GenericOptions', 'AT_AddIdentity', 'AT_SetIdentity', 'AT_DropIdentity', 'AT_AttachPartition', 'AT_DetachPartition', 'AT_DetachPartitionFinalize',
  'AT_CookedColumnDefault', 'AT_DropExpression', 'AT_DropOids',
]);

/** What an ALTER TABLE subcommand does to the names of the table's constraints (`constraintNamesComplete`). */
function alterConstraintNames(table: TableModel, cmd: PgNode, ctx: DdlContext): void {
  if (!table.constraintNamesComplete || CONSTRAINT_NEUTRAL_CMDS.has(cmd.subtype)) return;
  const con = cmd.def?.Constraint;
  if (cmd.subtype === 'AT_AddConstraint' && con) {
    if (con.contype === 'CONSTR_PRIMARY' || con.contype === 'CONSTR_UNIQUE') {
      if (!allKeysNamed(table)) forgetConstraintNames(table);
    } else if (con.contype === 'CONSTR_CHECK') nameConstraint(table, con.conname, 'check');
    else noteConstraint(table, con, undefined, ctx);
  } else if (cmd.subtype === 'AT_AddColumn') {
    const kinds = (cmd.def?.ColumnDef?.constraints ?? []).map((c: PgNode) => c.Constraint?.contype);
    if (kinds.some((k: string) => !NAMED_ELSEWHERE.has(k) || k === 'CONSTR_CHECK') || !allKeysNamed(table)) forgetConstraintNames(table);
  } else if (cmd.subtype === 'AT_DropConstraint' && cmd.name) renameConstraint(table, cmd.name, undefined);
  else forgetConstraintNames(table);
}

/**
 * The constraint an ALTER TABLE drops, validates or alters (`DROP CONSTRAINT x`, not `IF EXISTS`) that the table
 * surely has not (`constraintNamed`): PostgreSQL refuses the whole statement. Not when the statement adds a constraint
 * too (the model does not follow the order of ALTER TABLE's passes).
 */
function missingConstraint(table: TableModel, alter: PgNode): string | undefined {
  const cmds: PgNode[] = (alter.cmds ?? []).map((c: PgNode) => c.AlterTableCmd).filter(Boolean);
  if (cmds.some((cmd) => cmd.subtype === 'AT_AddConstraint' || cmd.subtype === 'AT_AddColumn' || cmd.subtype === 'AT_AddIndexConstraint')) return undefined;
  for (const cmd of cmds) {
    const name: string | undefined = cmd.subtype === 'AT_DropConstraint' && !cmd.missing_ok ? cmd.name : cmd.subtype === 'AT_ValidateConstraint' ? cmd.name : cmd.subtype === 'AT_AlterConstraint' ? cmd.def?.Constraint?.conname : undefined;
    if (name && constraintNamed(table, name) === 'none') return name;
  }
  return undefined;
}

/**
 * ADD CONSTRAINT name CHECK / FOREIGN KEY of a name the table's constraints already have (ChooseConstraintName's
 * check in AddRelationNewConstraints / ATAddForeignKeyConstraint: `constraint .. for relation .. already exists`), on a
 * table whose every constraint name the model knows. A key's (UNIQUE, PRIMARY KEY) name is an index's too, which
 * PostgreSQL checks among all relations of the schema first: not followed; nor a foreign key of a Citus table, which
 * Citus checks first.
 */
function duplicateConstraint(table: TableModel, alter: PgNode): string | undefined {
  const cmds: PgNode[] = (alter.cmds ?? []).map((c: PgNode) => c.AlterTableCmd).filter(Boolean);
  // (a drop or rename in the same statement changes the names: not followed)
  if (cmds.some((cmd) => cmd.subtype !== 'AT_AddConstraint')) return undefined;
  for (const cmd of cmds) {
    const con = cmd.def?.Constraint;
    if (!con?.conname || (con.contype !== 'CONSTR_CHECK' && con.contype !== 'CONSTR_FOREIGN')) continue;
    if (con.contype === 'CONSTR_FOREIGN' && isCitusTable(table)) continue;
    const existing = constraintNamed(table, con.conname);
    if (existing !== undefined && existing !== 'none' && table.constraintsAtCreate?.includes(con.conname)) return con.conname;
  }
  return undefined;
}

/**
 * PostgreSQL's refusal to drop a key a foreign key surely uses (the dependency check of DROP without CASCADE): a foreign
 * key the model is sure of references exactly the key's columns, and no other key of the table has them (PostgreSQL
 * then uses the first made, which the model does not follow).
 */
function keyHeldByForeignKey(table: TableModel, name: string, as: 'constraint' | 'index', ctx: DdlContext): { message: string; detail?: string; hint: string } | undefined {
  const key = table.keyNames?.[name];
  if (!key || key.kind === 'plain' || key.other || (as === 'index' && key.kind !== 'index') || table.keysUncertain) return undefined;
  const others = columnKeys(table).filter((k) => sameColumnSet(k.columns, key.columns));
  const named = Object.values(table.keyNames ?? {}).filter((n) => n.kind !== 'plain' && !n.other && sameColumnSet(n.columns, key.columns));
  if (others.length !== 1 || named.length !== 1) return undefined;
  const target = qualifiedName(table.schema, table.name);
  for (const t of ctx.model.tables.values()) {
    const fk = t.foreignKeys?.find((f) => f.to === target && sameColumnSet(f.refColumns, key.columns));
    if (!fk) continue;
    const fkName = foreignKeyName(t, fk);
    const what = as === 'constraint' ? `constraint ${name} on table ${table.name}` : `index ${name}`;
    return {
      message: `cannot drop ${what} because other objects depend on it`,
      ...(fkName ? { detail: `constraint ${fkName} on table ${t.name} depends on index ${name}` } : {}),
      hint: 'Use DROP ... CASCADE to drop the dependent objects too.',
    };
  }
  return undefined;
}

/** DDL on tables in a body (a DO block), which the model does not run: `IF NOT EXISTS (..) THEN ALTER TABLE .. END IF`. */
const BODY_TABLE_DDL = /\b(?:ALTER\s+TABLE|CREATE\s+(?:UNIQUE\s+)?INDEX|DROP\s+(?:INDEX|TABLE))\b/i;
const NAME = '((?:[\\w$]+|"[^"]+")(?:\\s*\\.\\s*(?:[\\w$]+|"[^"]+"))?)';
const BODY_TABLE_NAMES = new RegExp(`\\b(?:ALTER\\s+TABLE(?:\\s+IF\\s+EXISTS)?|\\bON|DROP\\s+TABLE(?:\\s+IF\\s+EXISTS)?)\\s+(?:ONLY\\s+)?${NAME}`, 'gi');

/**
 * A DO block whose body changes tables (ALTER TABLE, CREATE INDEX, DROP ..): the model does not run bodies (a branch
 * may or may not run), so the tables it names, every table when it builds statements with EXECUTE or names none the
 * model knows, are no longer vouched for: their columns, keys and constraint names may be others (what the model
 * would refuse or report because of them is not said).
 */
function bodyTableDdl(text: string, ctx: DdlContext): void {
  if (!BODY_TABLE_DDL.test(text)) return;
  const tables = new Set<TableModel>();
  for (const m of text.matchAll(BODY_TABLE_NAMES)) {
    const parts = splitQualifiedName(m[1].replace(/\s+/g, ''));
    const t = parts.length > 1 ? ctx.model.get(parts[0], parts[1]) : ctx.model.resolve(undefined, parts[0] ?? '', ctx.session.searchPath);
    if (t && !t.catalog) for (const p of withPartitions(t, ctx.model)) tables.add(p);
  }
  const all = /\bEXECUTE\b/i.test(text) || tables.size === 0;
  for (const t of all ? ctx.model.tables.values() : tables) markAlteredOutOfSight(t);
}

/** Widening conversions no value fails (PostgreSQL's implicit casts between these built-in types, or to text). */
const NEVER_FAILING = new Set(['smallint>integer', 'smallint>bigint', 'integer>bigint', 'smallint>numeric', 'integer>numeric', 'bigint>numeric', 'real>double precision', 'smallint>double precision', 'integer>double precision']);

/**
 * Whether ALTER COLUMN .. TYPE from `from` to `to` converts every value (no USING: a USING expression may fail); the
 * caller compares the types' lengths and precisions (a narrower one may fail).
 */
function conversionNeverFails(from: string, to: string, using: boolean): boolean {
  if (using) return false;
  const a = knownBuiltinType(from);
  const b = knownBuiltinType(to);
  if (!a || !b) return false;
  return a === b || b === 'text' || NEVER_FAILING.has(`${a}>${b}`);
}

/**
 * Whether rows the file may have written can make PostgreSQL refuse a statement that checks them (SET NOT NULL, ADD
 * CHECK, ALTER COLUMN TYPE): then what the statement would make sure of is not taken as done.
 */
function rowsMayRefuse(ctx: DdlContext, table: TableModel): boolean {
  const s = ctx.session;
  if (!s.rowsWritten || s.freshTables?.has(table.name)) return false;
  if (s.rowsWrittenTo === undefined) return true;
  // (rows written to a partitioned table are in its partitions)
  for (let t: TableModel | undefined = table, depth = 0; t && depth < 32; t = ctx.model.parentOf(t), depth++) if (s.rowsWrittenTo.has(t.name)) return true;
  return false;
}

/**
 * A relation a statement may or may not have dropped or moved (PostgreSQL may have refused it for what the model cannot
 * see): it may be there, as it was or not; nothing is vouched for (its columns, keys, constraint names, kind), and the
 * file no longer surely made it.
 */
export function markUnsure(t: TableModel, session: SessionState): void {
  markAlteredOutOfSight(t);
  t.kindUncertain = true;
  session.created?.delete(qualifiedName(t.schema, t.name));
}

function markAlteredOutOfSight(t: TableModel): void {
  t.columnsIncomplete = true;
  t.keysUncertain = true;
  t.keysIncomplete = true;
  forgetConstraintNames(t);
}

/** A primary key the table surely has (one PostgreSQL refuses a second of). */
function surePrimaryKey(table: TableModel): boolean {
  return !!table.primaryKey && !table.primaryKeyUnsure && !table.keysUncertain;
}

/**
 * Names a key just added to `table`: `given`, or the name PostgreSQL chooses when the model is sure of it (not one a
 * relation or a key of the schema has already).
 */
function nameNewKey(table: TableModel, given: string | undefined, key: KeyName, parts: readonly string[], ctx: DdlContext): void {
  nameKey(table, given ?? chosenKeyName(table, key.kind, parts, (name) => nameTaken(table, name, true, ctx)), key);
}

/** The name PostgreSQL gives an unnamed foreign key of `table` on `columns` (ChooseConstraintName), when it is sure. */
function chosenForeignKeyName(table: TableModel, columns: readonly string[], ctx: DdlContext): string | undefined {
  const chosen = `${table.name}_${columns.join('_')}_fkey`;
  return columns.length && fitsName(chosen) && !nameTaken(table, chosen, false, ctx) ? chosen : undefined;
}


/**
 * Whether a name PostgreSQL would choose is taken in `table`'s schema (it then numbers it, which the model does not
 * follow): a key, an index or a constraint of a table there (`table` too, which is not in the model while it is being
 * created), or, for an index's name, a relation.
 */
function nameTaken(table: TableModel, name: string, relation: boolean, ctx: DdlContext): boolean {
  if (table.keyNames?.[name] || table.constraintNames?.[name] || (relation && ctx.model.get(table.schema, name))) return true;
  return ctx.model.keyNameTaken(table.schema, name);
}

/**
 * Whether a foreign key may reference the key (a primary key, a UNIQUE constraint or a unique index of columns), or a
 * grouped view may depend on it (a primary key makes the other columns of its table grouped: check_functional_grouping).
 */
function keyMayBeDependedOn(table: TableModel, key: KeyName | undefined, ctx: DdlContext): boolean {
  if (key?.other || key?.kind === 'plain') return false;
  const name = qualifiedName(table.schema, table.name);
  for (const t of ctx.model.tables.values()) {
    if (t.foreignKeysTo?.includes(name)) return true;
    if ((key && key.kind !== 'primary') || (t.kind !== 'view' && t.kind !== 'matview')) continue;
    if (t.viewDefinition && /\bgroup\s+by\b/i.test(t.viewDefinition) && t.viewDefinition.includes(table.name)) return true;
    let reads = false;
    if (t.viewQuery) {
      walk(t.viewQuery, (type, f) => {
        if (type === 'RangeVar' && f.relname === table.name) reads = true;
        return undefined;
      });
    }
    // (a GROUP BY anywhere in it: the branches of a UNION are not wrapped nodes, so the text of the tree is searched)
    if (reads && JSON.stringify(t.viewQuery).includes('"groupClause"')) return true;
  }
  return false;
}

/** `DROP INDEX name` / `ALTER INDEX name ..`: the tables that may hold an index of that name (its schema, or the path's). */
function indexTables(names: string[], ctx: DdlContext): TableModel[] {
  const name = names[names.length - 1];
  if (!name) return [];
  const schemas = names.length > 1 ? [names[names.length - 2]] : ctx.session.searchPath;
  for (const schema of schemas) {
    const holder = [...ctx.model.tables.values()].find((t) => t.schema === schema && t.keyNames?.[name]);
    if (holder) return [holder];
  }
  return [...ctx.model.tables.values()].filter((t) => schemas.includes(t.schema) && !t.catalog);
}

/**
 * Drops the key `name` names on `table` (and the partitions' copies), or marks the keys uncertain (./keyNames.ts).
 * Without CASCADE PostgreSQL refuses to drop a key a view or a foreign key depends on (`cannot drop constraint ..
 * because other objects depend on it`): when one may, the keys are uncertain instead.
 */
function dropNamedKey(table: TableModel, name: string, index: boolean, cascade: boolean, ctx: DdlContext): 'dropped' | 'refused' | 'unknown' {
  const key = table.keyNames?.[name];
  if (key && !cascade && keyMayBeDependedOn(table, key, ctx)) {
    for (const t of withPartitions(table, ctx.model)) t.keysUncertain = true;
    return 'refused';
  }
  const result = dropKeyName(table, name, index);
  // (CASCADE drops the foreign keys that use the key's index: those on its columns may have, whichever of two like
  // indexes PostgreSQL chose for them; a name the model does not know may be any key of the table)
  if (cascade && key?.kind !== 'plain') forgetForeignKeysReferencing(table, key && !key.other ? key.columns : undefined, ctx.model);
  const partitions = withPartitions(table, ctx.model).slice(1);
  if (result === 'dropped' && key) for (const p of partitions) dropInheritedKey(p, key);
  if (result === 'unknown' && table.keysUncertain) for (const p of partitions) p.keysUncertain = true;
  return result;
}

/**
 * The text the model keeps of a column default (ColumnModel.defaultText): a constant as written (partition bounds
 * and CHECKs are checked against it), `now()` for the current date or time (schema/currentTime.ts), else none.
 */
function defaultTextOf(expr: PgNode | undefined): string | undefined {
  let d = expr;
  while (d?.TypeCast) d = d.TypeCast.arg;
  const k = d?.A_Const;
  if (k?.sval !== undefined) return `'${k.sval.sval ?? ''}'`;
  if (k?.ival !== undefined) return String(k.ival.ival ?? 0);
  return isCurrentTime(expr) ? 'now()' : undefined;
}

/** What a DEFAULT expression does: sequences and volatile calls force Citus to pull (rules note §3.1 #6). */
export function defaultKindOf(expr: PgNode | undefined, model?: SchemaModel): DefaultKind {
  let kind: DefaultKind = 'immutable';
  const rank: Record<DefaultKind, number> = { none: 0, immutable: 1, stable: 2, volatile: 3, identity: 4, sequence: 5 };
  const raise = (k: DefaultKind): void => {
    if (rank[k] > rank[kind]) kind = k;
  };
  walk(expr, (type, fields) => {
    if (type === 'FuncCall') {
      const name = functionName(fields);
      if (name === 'nextval') raise('sequence');
      else raise(model?.functions.get(name) ?? functionVolatility(name));
    } else if (type === 'SQLValueFunction') raise('stable');
  });
  return kind;
}

const TRIGGER_CMDS = new Set(['AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_DisableTrig', 'AT_EnableTrigAll', 'AT_DisableTrigAll', 'AT_EnableTrigUser', 'AT_DisableTrigUser']);

function alterTable(alter: PgNode, ctx: DdlContext, location: SourceLocation): void {
  const table = resolveRangeVar(alter.relation, ctx);
  if (!table) return;
  // ENABLE / DISABLE TRIGGER on a Citus table: ErrorOutForTriggerIfNotSupported, as for CREATE TRIGGER
  const triggers = (alter.cmds ?? []).some((c: PgNode) => TRIGGER_CMDS.has(c.AlterTableCmd?.subtype)) ? triggerRefusal(table, ctx.model) : undefined;
  if (triggers) {
    ctx.problems?.push({ rule: 'trigger-refused', message: triggers, offset: location.offset ?? 0 });
    return;
  }
  const refused = alterTableRefusal(table, alter, ctx.model);
  if (refused) {
    ctx.problems?.push({ rule: 'alter-table-refused', ...refused, offset: location.offset ?? 0 });
    return;
  }
  // (ALTER TABLE ONLY on a partitioned table: PostgreSQL refuses much of it, which the model does not follow)
  if (table.partitioned && alter.relation?.inh !== true) forgetConstraintNames(table);
  // (PostgreSQL's, when it runs the command: the whole ALTER TABLE fails)
  const missing = missingConstraint(table, alter);
  if (missing) {
    ctx.problems?.push({ rule: 'undefined-constraint', message: `constraint "${missing}" of relation "${table.name}" does not exist`, offset: location.offset ?? 0 });
    return;
  }
  const dropped = (alter.cmds ?? []).flatMap((c: PgNode) => (c.AlterTableCmd?.subtype === 'AT_DropConstraint' && c.AlterTableCmd.name ? [c.AlterTableCmd.name] : []));
  if (dropped.length && table.constraintsAtCreate) table.constraintsAtCreate = table.constraintsAtCreate.filter((n) => !dropped.includes(n));
  const taken = duplicateConstraint(table, alter);
  if (taken) {
    ctx.problems?.push({ rule: 'constraint-already-exists', message: `constraint "${taken}" for relation "${table.name}" already exists`, offset: location.offset ?? 0 });
    return;
  }
  const column = alterTableColumnProblem(table, alter);
  if (column) {
    ctx.problems?.push({ rule: 'ddl-column-error', message: column, offset: location.offset ?? 0 });
    return;
  }
  // views that read a column dropped (without CASCADE) or whose type changes: PostgreSQL refuses the whole ALTER TABLE
  const dependency = columnDependencyProblem(table, alter, ctx);
  if (dependency) {
    ctx.problems?.push({ rule: 'dependent-objects', ...dependency, offset: location.offset ?? 0 });
    return;
  }
  // (Citus' check after PostgreSQL ran the command)
  const unnamed = addColumnConstraintRefusal(table, alter);
  if (unnamed) {
    ctx.problems?.push({ rule: 'alter-table-refused', ...unnamed, offset: location.offset ?? 0 });
    return;
  }
  // (and EnsureRelationHasCompatibleSequenceTypes, after it: a new DEFAULT nextval(..) of a column of another type)
  const sequence = isCitusTable(table) ? sequenceTypeRefusal(table, newSequenceDefaults(table, alter, ctx), ctx.model) : undefined;
  if (sequence) {
    ctx.problems?.push({ rule: 'alter-table-refused', ...sequence, offset: location.offset ?? 0 });
    return;
  }
  const touched = (alter.cmds ?? []).flatMap((c: PgNode) => (c.AlterTableCmd?.subtype === 'AT_AddColumn' ? [c.AlterTableCmd.def?.ColumnDef?.colname] : c.AlterTableCmd?.subtype === 'AT_DropColumn' ? [c.AlterTableCmd.name] : [])).filter((n: unknown): n is string => typeof n === 'string');
  if (touched.length) for (const t of withPartitions(table, ctx.model)) touchColumns(t, touched);
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    const held = cmd?.subtype === 'AT_DropConstraint' && cmd.name && cmd.behavior !== 'DROP_CASCADE' ? keyHeldByForeignKey(table, cmd.name, 'constraint', ctx) : undefined;
    if (held) {
      ctx.problems?.push({ rule: 'key-drop-refused', ...held, offset: location.offset ?? 0 });
      return;
    }
  }
  // (a foreign key's referenced key, before Citus' checks of foreign keys; not when the statement changes the keys of
  // the table it references: the model does not follow the order of ALTER TABLE's passes)
  for (const c of alter.cmds ?? []) {
    const fk = c.AlterTableCmd?.subtype === 'AT_AddConstraint' ? c.AlterTableCmd.def?.Constraint : undefined;
    const referenced = fk?.contype === 'CONSTR_FOREIGN' ? resolveRangeVar(fk.pktable, ctx) : undefined;
    if (!referenced || (referenced === table && (alter.cmds ?? []).some((x: PgNode) => x.AlterTableCmd?.subtype !== 'AT_AddConstraint' || x.AlterTableCmd.def?.Constraint?.contype !== 'CONSTR_FOREIGN'))) continue;
    const wrong = foreignKeyTargetError(fk, undefined, table, referenced);
    if (wrong) {
      ctx.problems?.push({ rule: 'foreign-key-without-unique-key', message: wrong, offset: location.offset ?? 0 });
      return;
    }
    const added = foreignKeyOf(fk, undefined, referenced);
    const name = added && (added.name ?? (table.constraintNamesComplete ? chosenForeignKeyName(table, added.columns, ctx) : undefined));
    const mismatch = added ? foreignKeyTypeError(added, table, referenced, name) : undefined;
    if (mismatch) {
      ctx.problems?.push({ rule: 'foreign-key-type-mismatch', ...mismatch, offset: location.offset ?? 0 });
      return;
    }
  }
  for (const c of alter.cmds ?? []) {
    const attach = c.AlterTableCmd?.subtype === 'AT_AttachPartition' ? c.AlterTableCmd.def?.PartitionCmd : undefined;
    const attached = attach ? resolveRangeVar(attach.name, ctx) : undefined;
    // (Citus' PreprocessAlterTableStmtAttachPartition, before PostgreSQL checks the bound)
    const citusRefused = attached ? attachRefusal(table, attached, ctx.model) : undefined;
    if (citusRefused) {
      ctx.problems?.push({ rule: 'alter-table-refused', ...citusRefused, offset: location.offset ?? 0 });
      return;
    }
    const checked = attached && attach && ctx.session.created?.has(qualifiedName(attached.schema, attached.name)) ? partitionBoundCheck(table, attached.name, attach.bound, ctx, attached) : undefined;
    const refusedBound = checked === 'accepted' ? undefined : checked;
    if (refusedBound) {
      ctx.problems?.push({ rule: 'partition-bound-refused', ...refusedBound, offset: location.offset ?? 0 });
      return;
    }
    // (likewise a key of a column the statement adds: ADD COLUMN c int UNIQUE)
    const added = c.AlterTableCmd?.subtype === 'AT_AddColumn' ? c.AlterTableCmd.def?.ColumnDef : undefined;
    if (added?.colname && (added.constraints ?? []).some((x: PgNode) => x.Constraint?.contype === 'CONSTR_PRIMARY' || x.Constraint?.contype === 'CONSTR_UNIQUE') && citusRefusesKey(table, [added.colname], ctx.model)) return;
    const con = c.AlterTableCmd?.subtype === 'AT_AddConstraint' ? c.AlterTableCmd.def?.Constraint : undefined;
    if (con?.contype !== 'CONSTR_PRIMARY' && con?.contype !== 'CONSTR_UNIQUE') continue;
    // Citus refuses a key without the distribution column before PostgreSQL sees it (rollup-key-without-dist-column
    // reports it): nothing of the ALTER TABLE happens
    if (citusRefusesKey(table, (con.keys ?? []).map((k: PgNode) => stringValue(k)), ctx.model)) return;
    // (index_check_primary_key, before the partition key is checked)
    if (con.contype === 'CONSTR_PRIMARY' && surePrimaryKey(table) && !(alter.cmds ?? []).some((x: PgNode) => x.AlterTableCmd?.subtype === 'AT_DropConstraint' || x.AlterTableCmd?.subtype === 'AT_DropColumn')) {
      ctx.problems?.push({ rule: 'multiple-primary-keys', message: `multiple primary keys for table "${table.name}" are not allowed`, offset: location.offset ?? 0 });
      return;
    }
    const keyless = partitionKeyLeftOut(table, (con.keys ?? []).map((k: PgNode) => stringValue(k)), con.contype === 'CONSTR_PRIMARY' ? 'PRIMARY KEY' : 'UNIQUE');
    if (keyless) {
      ctx.problems?.push({ rule: 'partitioned-key-without-partition-column', ...keyless, offset: location.offset ?? 0 });
      return;
    }
  }
  alterOneTable(table, alter, ctx);
  // ADD CONSTRAINT .. FOREIGN KEY, and ADD COLUMN c .. REFERENCES t (a key of the column added)
  const added: { con: PgNode; own?: string; constraints?: PgNode[] }[] = (alter.cmds ?? []).flatMap((c: PgNode) => {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype === 'AT_AddConstraint') return cmd.def?.Constraint?.contype === 'CONSTR_FOREIGN' ? [{ con: cmd.def.Constraint }] : [];
    const def = cmd?.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
    return (def?.constraints ?? []).filter((x: PgNode) => x.Constraint?.contype === 'CONSTR_FOREIGN').map((x: PgNode) => ({ con: x.Constraint, own: def.colname, constraints: def.constraints }));
  });
  const fks = added.map((a) => a.con);
  if (fks.length) {
    const details = added.map(({ con, own, constraints }) => {
      const referenced = resolveRangeVar(con.pktable, ctx);
      return referenced ? foreignKeyOf(con, own, referenced, constraints) : undefined;
    });
    // sure: on a table the file surely created, outside a transaction, when PostgreSQL surely accepts the key (columns
    // and types) and no row may fail it (none written since, or NOT VALID)
    const sure =
      fks.length === (alter.cmds ?? []).length &&
      !!ctx.session.created?.has(qualifiedName(table.schema, table.name)) &&
      !ctx.session.inTransaction &&
      !ctx.session.otherRole &&
      fks.every((con: PgNode, k: number) => {
        const referenced = resolveRangeVar(con.pktable, ctx);
        return !!details[k] && !!referenced && foreignKeyValid(details[k], table, referenced) && (con.skip_validation || !rowsMayRefuse(ctx, table));
      });
    if (!addForeignKeys(table, fks, ctx, location, details, sure) && sure) table.foreignKeys = [...(table.foreignKeys ?? []), ...(details as ForeignKeyModel[])];
  }
  // column changes of a partitioned table apply to its partitions too (ALTER TABLE recurses; ONLY, without `inh`, does not)
  if (alter.relation?.inh === true) {
    const columnCmds = (alter.cmds ?? []).filter((c: PgNode) => COLUMN_CMDS.has(c.AlterTableCmd?.subtype));
    if (columnCmds.length) for (const p of ctx.model.partitionsOf(table)) alterOneTable(p, { ...alter, cmds: columnCmds }, ctx);
  }
}

/**
 * PreprocessAlterTableStmtAttachPartition (commands/table.c): ATTACH PARTITION of a Citus table to a plain partitioned
 * table; to a Citus table, a partitioned table (multi-level partitioning), a reference table, or a distributed table to
 * a citus-local one. Checked on Citus 13.2.2. Not for kinds the model cannot vouch for, nor in distributed schemas.
 */
function attachRefusal(parent: TableModel, part: TableModel, model: SchemaModel): { message: string; detail?: string; hint?: string } | undefined {
  if (parent.kindUncertain || part.kindUncertain || model.opaqueCitusCalls || model.distributedSchemas.has(parent.schema) || model.distributedSchemas.has(part.schema)) return undefined;
  if (part.kind === 'view' || part.kind === 'matview' || parent.kind === 'view' || parent.kind === 'matview') return undefined;
  if (!isCitusTable(parent)) {
    if (!isCitusTable(part)) return undefined;
    return { message: 'non-citus partitioned tables cannot have citus table partitions', hint: `Distribute the partitioned table "${parent.name}" instead, or add it to metadata` };
  }
  if (part.partitioned) {
    return { message: "Citus doesn't support multi-level partitioned tables", detail: `Relation "${part.name}" is partitioned table itself and it is also partition of relation "${parent.name}".` };
  }
  if (part.kind === 'reference') return { message: 'partitioned reference tables are not supported' };
  if ((part.kind === 'hash' || part.kind === 'single_shard') && parent.kind === 'citus_local') return { message: 'non-distributed partitioned tables cannot have distributed partitions' };
  return undefined;
}

/** The subcommands whose column Citus checks against the distribution column (ErrorIfUnsupportedAlterTableStmt). */
const DISTRIBUTION_COLUMN_CMDS = new Set(['AT_ColumnDefault', 'AT_AlterColumnType', 'AT_DropColumn', 'AT_DropNotNull']);

/**
 * ErrorIfUnsupportedAlterTableStmt (commands/table.c) for an ALTER TABLE on a Citus table: a subcommand on the
 * distribution column (its type, its default, DROP COLUMN, DROP NOT NULL), or ADD CONSTRAINT with other subcommands,
 * in the order of the subcommands; with DDL propagation off, only DROP COLUMN of the distribution column
 * (ErrorIfAlterDropsPartitionColumn). Not for a table whose kind the model cannot vouch for.
 */
function alterTableRefusal(table: TableModel, alter: PgNode, model: SchemaModel): { message: string; detail?: string; hint?: string } | undefined {
  if (table.kind === 'local' || table.kind === 'view' || table.kind === 'matview' || table.kindUncertain) return undefined;
  if (alter.objtype !== 'OBJECT_TABLE') return undefined;
  const cmds: PgNode[] = (alter.cmds ?? []).map((c: PgNode) => c.AlterTableCmd).filter(Boolean);
  // with DDL propagation off Citus checks only that the distribution column is not dropped (utility_hook.c)
  if (model.settings.get('citus.enable_ddl_propagation') === 'off') {
    const drops = cmds.some((cmd) => cmd.subtype === 'AT_DropColumn' && table.distributionColumn && cmd.name === table.distributionColumn);
    return drops ? { message: 'cannot execute ALTER TABLE command dropping partition column' } : undefined;
  }
  for (const cmd of cmds) {
    // (dropping an append or range table's distribution column fails with another message, not followed)
    if (cmd.subtype === 'AT_DropColumn' && table.kind !== 'hash' && cmd.name === table.distributionColumn) return undefined;
    if (DISTRIBUTION_COLUMN_CMDS.has(cmd.subtype) && table.distributionColumn && cmd.name === table.distributionColumn) {
      return { message: 'cannot execute ALTER TABLE command involving partition column' };
    }
    // any other subcommand (an identity's options, SET STATISTICS / STORAGE, CLUSTER ON, SET TABLESPACE, ALTER
    // CONSTRAINT, INHERIT, DROP EXPRESSION, ...: the switch's default; checked on Citus 13.2.2)
    // (OPTIONS of a foreign table have their own check; the model does not tell foreign tables apart)
    if (!CITUS_ALTER_TABLE_CMDS.has(cmd.subtype) && cmd.subtype !== 'AT_GenericOptions') {
      return { message: 'alter table command is currently unsupported', detail: UNSUPPORTED_ALTER_DETAIL };
    }
    // (AlterColumnInvolvesIdentityColumn: an identity column's type stays, checked on Citus 13.2.2)
    if (cmd.subtype === 'AT_AlterColumnType' && !table.columnsIncomplete && findColumn(table, cmd.name)?.defaultKind === 'identity') {
      return { message: 'cannot execute ALTER COLUMN command involving identity column' };
    }
    // (GetDependentSequencesWithRelation: a serial column, or a DEFAULT nextval(..); checked on Citus 13.2.2)
    if (cmd.subtype === 'AT_AlterColumnType' && !table.columnsIncomplete && findColumn(table, cmd.name)?.defaultKind === 'sequence') {
      return { message: 'cannot execute ALTER COLUMN TYPE .. command because the column involves a default coming from a sequence' };
    }
    if (cmd.subtype === 'AT_AddConstraint' && cmds.length > 1) {
      return { message: 'cannot execute ADD CONSTRAINT command with other subcommands', hint: 'You can issue each subcommand separately' };
    }
    // (contain_nextval_expression_walker: a DEFAULT nextval(..) only alone, and a new column's without constraints;
    // checked on Citus 13.2.2)
    if (cmd.subtype === 'AT_ColumnDefault' && cmds.length > 1 && callsNextval(cmd.def)) {
      return { message: "cannot execute ALTER COLUMN COLUMN .. SET DEFAULT nextval('..') command with other subcommands", hint: 'You can issue each subcommand separately' };
    }
    // a serial or identity column: Citus does not add one to a table whose metadata it syncs to the workers (every
    // Citus table, metadata sync being Citus 11's default)
    const def = cmd.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
    if (def && SYNCED_KINDS.has(table.kind)) {
      const typeNames = nameList(def.typeName?.names);
      if (typeNames.length === 1 && !def.typeName?.pct_type && SERIAL_TYPES.has(typeNames[0].toLowerCase())) {
        return { message: 'cannot execute ADD COLUMN commands involving serial pseudotypes when metadata is synchronized to workers' };
      }
      if ((def.constraints ?? []).some((c: PgNode) => c.Constraint?.contype === 'CONSTR_IDENTITY')) {
        return { message: 'cannot execute ADD COLUMN commands involving identity columns when metadata is synchronized to workers' };
      }
    }
    const constraints: PgNode[] = def?.constraints ?? [];
    if (constraints.some((c) => c.Constraint?.contype === 'CONSTR_DEFAULT' && callsNextval(c.Constraint.raw_expr)) && (cmds.length > 1 || constraints.length > 1)) {
      return { message: "cannot execute ADD COLUMN .. DEFAULT nextval('..') command with other subcommands/constraints", hint: 'You can issue each subcommand separately' };
    }
  }
  return undefined;
}

const SYNCED_KINDS = new Set(['hash', 'reference', 'single_shard', 'citus_local']);

/** An expression that calls nextval() (Citus' contain_nextval_expression_walker). */
function callsNextval(expr: PgNode | undefined): boolean {
  let found = false;
  walk(expr, (type, f) => {
    if (found) return false;
    if (type === 'FuncCall' && functionName(f) === 'nextval') found = true;
    return undefined;
  });
  return found;
}

/** The ALTER TABLE subcommands ErrorIfUnsupportedAlterTableStmt has a case for (some with checks of their own). */
const CITUS_ALTER_TABLE_CMDS = new Set([
  'AT_AddColumn', 'AT_ColumnDefault', 'AT_AlterColumnType', 'AT_DropColumn', 'AT_DropNotNull', 'AT_AddConstraint', 'AT_AttachPartition',
  'AT_DetachPartitionFinalize', 'AT_DetachPartition', 'AT_EnableTrig', 'AT_EnableAlwaysTrig', 'AT_EnableReplicaTrig', 'AT_EnableTrigUser',
  'AT_DisableTrig', 'AT_DisableTrigUser', 'AT_EnableTrigAll', 'AT_DisableTrigAll', 'AT_SetExpression', 'AT_SetAccessMethod', 'AT_SetNotNull',
  'AT_ReplicaIdentity', 'AT_ChangeOwner', 'AT_EnableRowSecurity', 'AT_DisableRowSecurity', 'AT_ForceRowSecurity', 'AT_NoForceRowSecurity',
  'AT_ValidateConstraint', 'AT_DropConstraint', 'AT_SetCompression', 'AT_SetRelOptions', 'AT_ResetRelOptions', 'AT_ReplaceRelOptions',
  'AT_SetLogged', 'AT_SetUnLogged',
]);
const UNSUPPORTED_ALTER_DETAIL =
  'Only ADD|DROP COLUMN, SET|DROP NOT NULL, SET|DROP DEFAULT, ADD|DROP|VALIDATE CONSTRAINT, SET (), RESET (), ENABLE|DISABLE|NO FORCE|FORCE ROW LEVEL SECURITY, ATTACH|DETACH PARTITION and TYPE subcommands are supported.';
const SERIAL_TYPES = new Set(['smallserial', 'serial2', 'serial', 'serial4', 'bigserial', 'serial8']);

/**
 * PostprocessAlterTableStmt: an ADD COLUMN whose own PRIMARY KEY, UNIQUE, FOREIGN KEY or CHECK constraint has no name
 * once PostgreSQL ran it. Citus names them itself only for an ALTER TABLE of that one subcommand with no CHECK among
 * them (DeparserSupportsAlterTableAddColumn); otherwise the first unnamed one fails the statement. Its HINT quotes the
 * constraint; a foreign key's (with its actions) is not followed, nor a key on a hash-distributed table, which Citus
 * refuses first for lacking the distribution column.
 */
function addColumnConstraintRefusal(table: TableModel, alter: PgNode): { message: string; hint: string } | undefined {
  if (!SYNCED_KINDS.has(table.kind) || table.kindUncertain || alter.objtype !== 'OBJECT_TABLE') return undefined;
  const cmds: PgNode[] = (alter.cmds ?? []).map((c: PgNode) => c.AlterTableCmd).filter(Boolean);
  for (const cmd of cmds) {
    const def = cmd.subtype === 'AT_AddColumn' ? cmd.def?.ColumnDef : undefined;
    if (!def?.colname) continue;
    const constraints: PgNode[] = (def.constraints ?? []).map((c: PgNode) => c.Constraint).filter(Boolean);
    const named = cmds.length === 1 && !constraints.some((c) => c.contype === 'CONSTR_CHECK');
    if (named) continue;
    const first = constraints.find((c) => !c.conname && ['CONSTR_PRIMARY', 'CONSTR_UNIQUE', 'CONSTR_FOREIGN', 'CONSTR_CHECK'].includes(c.contype));
    if (!first) continue;
    if (first.contype === 'CONSTR_FOREIGN' || (table.kind === 'hash' && first.contype !== 'CONSTR_CHECK')) return undefined;
    const what = first.contype === 'CONSTR_CHECK' ? 'CHECK (check_expression)' : first.contype === 'CONSTR_UNIQUE' ? `UNIQUE (${def.colname})` : `PRIMARY KEY (${def.colname})`;
    return {
      message: 'cannot execute ADD COLUMN command with PRIMARY KEY, UNIQUE, FOREIGN and CHECK constraints',
      hint: `You can issue each command separately such as ALTER TABLE ${table.name} ADD COLUMN ${def.colname} data_type; ALTER TABLE ${table.name} ADD CONSTRAINT constraint_name ${what}`,
    };
  }
  return undefined;
}

const DEPENDENTS_HINT = 'Use DROP ... CASCADE to drop the dependent objects too.';

/**
 * The views and materialized views of the model that surely read `table` (its column `column` when given), in the
 * order they were created: a query level of the view reads the table by a name that resolves to it, and (for a
 * column) names the column qualified by the table's alias, or unqualified or `*` when the table is the level's only
 * FROM item. An under-approximation: a dependency the model is not sure of is not reported.
 */
function viewsSurelyReading(table: TableModel, column: string | undefined, ctx: DdlContext): TableModel[] {
  const out: TableModel[] = [];
  for (const v of ctx.model.tables.values()) {
    const query = v.viewQuery ?? v.matviewQuery;
    if ((v.kind !== 'view' && v.kind !== 'matview') || !query || v === table) continue;
    let found = false;
    walk(query, (type, f) => {
      if (found || type !== 'SelectStmt') return found ? false : undefined;
      const from: PgNode[] = f.fromClause ?? [];
      const rvs = from.filter((x) => x.RangeVar).map((x) => x.RangeVar);
      const mine = rvs.filter((rv) => {
        const t = rv.schemaname ? ctx.model.get(rv.schemaname, rv.relname) : ctx.model.resolve(undefined, rv.relname, ctx.session.searchPath);
        return t === table;
      });
      if (!mine.length) return undefined;
      if (column === undefined) {
        found = true;
        return false;
      }
      const aliases = new Set(mine.map((rv) => rv.alias?.aliasname ?? rv.relname));
      const only = from.length === 1 && rvs.length === 1;
      const own = { ...f, fromClause: undefined, withClause: undefined };
      walk(own, (t2, g) => {
        if (found || t2 === 'SubLink' || t2 === 'RangeSubselect') return false;
        if (t2 !== 'ColumnRef') return undefined;
        const fields: PgNode[] = g.fields ?? [];
        const parts = nameList(fields);
        const star = fields.length > 0 && fields[fields.length - 1].A_Star !== undefined;
        if (star) found = parts.length === 0 ? only : aliases.has(parts[parts.length - 1]);
        else if (parts.length === 2) found = aliases.has(parts[0]) && parts[1] === column;
        else if (parts.length === 1) found = only && parts[0] === column;
        return undefined;
      });
      return found ? false : undefined;
    });
    if (found) out.push(v);
  }
  return out;
}

/** Whether a foreign key or a view of the model may depend on the table (then a DROP without CASCADE may fail). */
function mayHaveDependents(table: TableModel, ctx: DdlContext): boolean {
  const key = qualifiedName(table.schema, table.name);
  for (const t of ctx.model.tables.values()) {
    if (t !== table && t.foreignKeysTo?.includes(key)) return true;
    const query = t.viewQuery ?? t.matviewQuery;
    if (!query || t === table) continue;
    let named = false;
    walk(query, (type, f) => {
      if (type === 'RangeVar' && f.relname === table.name) named = true;
      return named ? false : undefined;
    });
    if (named) return true;
  }
  return false;
}

/** What a CASCADE drops with a table (or its column): the views that read it, and the views on those, in turn. */
function dropDependentViews(table: TableModel, column: string | undefined, ctx: DdlContext, depth = 0): void {
  if (depth > 16) return;
  for (const v of viewsSurelyReading(table, column, ctx)) {
    dropDependentViews(v, undefined, ctx, depth + 1);
    ctx.model.remove(v);
  }
}

function dependentName(v: TableModel): string {
  return `${v.kind === 'matview' ? 'materialized view' : 'view'} ${v.name}`;
}

/** DROP COLUMN (no CASCADE) or ALTER COLUMN .. TYPE of a column a view reads: PostgreSQL's messages. */
function columnDependencyProblem(table: TableModel, alter: PgNode, ctx: DdlContext): { message: string; detail: string; hint?: string } | undefined {
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd?.name) continue;
    // (the subcommands run in order: one on a column the model does not know may fail first, with its own message)
    if (COLUMN_CMDS.has(cmd.subtype) && cmd.subtype !== 'AT_AddColumn' && !cmd.missing_ok && !findColumn(table, cmd.name)) return undefined;
    if (cmd.subtype === 'AT_DropColumn' && cmd.behavior !== 'DROP_CASCADE') {
      const views = viewsSurelyReading(table, cmd.name, ctx);
      if (views.length) return { message: `cannot drop column ${cmd.name} of table ${table.name} because other objects depend on it`, detail: views.map((v) => `${dependentName(v)} depends on column ${cmd.name} of table ${table.name}`).join('\n'), hint: DEPENDENTS_HINT };
    }
    if (cmd.subtype === 'AT_AlterColumnType') {
      const views = viewsSurelyReading(table, cmd.name, ctx);
      if (views.length) return { message: 'cannot alter type of a column used by a view or rule', detail: `rule _RETURN on ${dependentName(views[0])} depends on column "${cmd.name}"` };
    }
  }
  return undefined;
}

/**
 * Whether a view of the model may read the column: its query reads the table (by name) and names the column or
 * expands a `*` (PostgreSQL records the dependency either way).
 */
function viewsDependOn(table: TableModel, column: string, ctx: DdlContext): boolean {
  for (const v of ctx.model.tables.values()) {
    if ((v.kind !== 'view' && v.kind !== 'matview') || !v.viewQuery) continue;
    let readsTable = false;
    let readsColumn = false;
    walk(v.viewQuery, (type, f) => {
      if (type === 'RangeVar' && f.relname === table.name && (!f.schemaname || f.schemaname === table.schema)) readsTable = true;
      if (type === 'ColumnRef') {
        const last = f.fields?.[f.fields.length - 1];
        if (last?.A_Star || stringValue(last) === column) readsColumn = true;
      }
      return undefined;
    });
    if (readsTable && readsColumn) return true;
  }
  return false;
}

const COLUMN_CMDS = new Set(['AT_AddColumn', 'AT_DropColumn', 'AT_AlterColumnType', 'AT_SetNotNull', 'AT_DropNotNull']);

function alterOneTable(table: TableModel, alter: PgNode, ctx: DdlContext): void {
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (!cmd) continue;
    switch (cmd.subtype) {
      case 'AT_AddColumn':
        // (a column of the name: PostgreSQL refuses the ADD COLUMN, or skips it with IF NOT EXISTS; the column stays)
        if (cmd.def?.ColumnDef && !findColumn(table, cmd.def.ColumnDef.colname)) {
          addColumn(table, cmd.def.ColumnDef, ctx);
          // (NOT NULL without a default fails on the rows there: not taken as done once the file wrote rows into it)
          const added = findColumn(table, cmd.def.ColumnDef.colname);
          if (added?.notNull && added.defaultKind === 'none' && !added.generated && rowsMayRefuse(ctx, table)) added.notNull = false;
        }
        break;
      case 'AT_DropColumn':
        // Citus refuses to drop the distribution column ("cannot execute ALTER TABLE command involving partition column")
        if (cmd.name === table.distributionColumn) break;
        // PostgreSQL refuses to drop a column of the partition key, and, without CASCADE, one that a trigger or a view
        // depends on: the column stays
        if (table.partitionKey?.includes(cmd.name)) break;
        if (cmd.behavior !== 'DROP_CASCADE' && (table.triggerColumns?.includes(cmd.name) || viewsDependOn(table, cmd.name, ctx))) break;
        if (cmd.behavior === 'DROP_CASCADE') dropDependentViews(table, cmd.name, ctx);
        table.columns = table.columns.filter((col) => col.name !== cmd.name);
        // (so do the keys and indexes that include it, unless a view or a foreign key may depend on one: see dropNamedKey)
        for (const t of withPartitions(table, ctx.model)) {
          if (cmd.behavior !== 'DROP_CASCADE' && keyMayBeDependedOn(table, undefined, ctx)) t.keysUncertain = true;
          else dropKeysWithColumn(t, cmd.name);
        }
        // (the CHECK constraints that read the column go with it)
        if (table.checks?.some((k) => k.columns.includes(cmd.name))) table.checks = table.checks.filter((k) => !k.columns.includes(cmd.name));
        forgetForeignKeysOn(table, cmd.name, ctx.model);
        break;
      case 'AT_DropConstraint': {
        // a key by its name (./keyNames.ts); else
        const dropped = cmd.name ? dropNamedKey(table, cmd.name, false, cmd.behavior === 'DROP_CASCADE', ctx) : 'unknown';
        if (dropped !== 'unknown') break;
        // a CHECK constraint by its name; a name the model does not know may be a CHECK it named otherwise: all go
        const check = table.checks?.some((k) => k.name === cmd.name);
        if (table.checks?.length) table.checks = check ? table.checks.filter((k) => k.name !== cmd.name) : [];
        // (or one of the foreign keys: a sure one by its name, else any)
        const named = table.foreignKeys?.find((fk) => fk.name === cmd.name);
        if (named && table.foreignKeys) {
          table.foreignKeys = table.foreignKeys.filter((fk) => fk !== named);
          if (!table.foreignKeys.some((fk) => fk.to === named.to)) table.foreignKeysTo = table.foreignKeysTo?.filter((k) => k !== named.to);
        } else if (!check && table.foreignKeysTo?.length) {
          table.foreignKeysUncertain = true;
          table.foreignKeys = undefined;
        }
        break;
      }
      case 'AT_AddConstraint':
        // (a CHECK added to a parent of INHERITS goes to its children too, and may clash with theirs: not followed)
        if (cmd.def?.Constraint && !(cmd.def.Constraint.contype === 'CONSTR_CHECK' && table.inherited)) {
          // (a key added to a partitioned table is made on its partitions too)
          const keyed = cmd.def.Constraint.contype === 'CONSTR_PRIMARY' || cmd.def.Constraint.contype === 'CONSTR_UNIQUE';
          // (ALTER TABLE ONLY: the parent's index alone, the partitions' are attached later)
          const on = keyed && alter.relation?.inh === true ? withPartitions(table, ctx.model) : [table];
          const citusNamed = isCitusTable(table) && !table.kindUncertain && (alter.cmds ?? []).length === 1;
          // (a row the CHECK refuses makes PostgreSQL refuse ADD CHECK: not taken as done once the file may have written
          // rows, unless NOT VALID, which checks new rows only)
          const unsureCheck = cmd.def.Constraint.contype === 'CONSTR_CHECK' && !cmd.def.Constraint.skip_validation && rowsMayRefuse(ctx, table);
          if (!unsureCheck) for (const t of on) addConstraint(t, cmd.def.Constraint, t === table ? ctx : undefined, citusNamed);
          else forgetConstraintNames(table);
          // (a primary key ALTER TABLE adds is sure only when no row may make it fail, outside a transaction, on
          // columns the table has: else PostgreSQL may not have made it)
          if (cmd.def.Constraint.contype === 'CONSTR_PRIMARY' && table.primaryKey) {
            const sure = !rowsMayRefuse(ctx, table) && !ctx.session.inTransaction && table.primaryKey.every((k) => findColumn(table, k));
            for (const t of on) t.primaryKeyUnsure = sure ? undefined : true;
          }
        }
        break;
      case 'AT_ColumnDefault': {
        const col = findColumn(table, cmd.name);
        if (col) {
          col.defaultKind = cmd.def ? defaultKindOf(cmd.def, ctx.model) : 'none';
          col.defaultText = cmd.def ? defaultTextOf(cmd.def) : undefined;
          // (an owned sequence stays owned by the column when the default changes)
          col.sequence = cmd.def ? nextvalSequence(cmd.def, ctx) : undefined;
          col.sequenceOwned = undefined;
        }
        break;
      }
      case 'AT_AlterColumnType': {
        // Citus refuses to change the distribution column's type, so only other columns change
        const col = findColumn(table, cmd.name);
        const typeName = cmd.def?.ColumnDef?.typeName;
        if (col && typeName && col.name !== table.distributionColumn) {
          const type = typeNameOf(typeName.TypeName ?? typeName);
          const size = typeSize(type, typeName.TypeName ?? typeName);
          // (the partitions' columns change with their parent's)
          const tables = [table];
          for (let k = 0; k < tables.length && k < 1000; k++) tables.push(...ctx.model.partitionsOf(tables[k]));
          // (a row the conversion fails on makes PostgreSQL refuse it: once the file may have written rows, the column's
          // type is sure only for a conversion no value fails)
          const narrower = (before: number | undefined, after: number | undefined): boolean => after !== undefined && (before === undefined || after < before);
          const narrowed = narrower(col.length, size.length) || narrower(col.numericPrecision, size.numericPrecision) || (size.numericScale ?? 0) !== (col.numericScale ?? 0);
          const unsureType = rowsMayRefuse(ctx, table) && (narrowed || !conversionNeverFails(col.type, type, !!cmd.def?.ColumnDef?.raw_default));
          for (const t of tables) {
            const c = findColumn(t, cmd.name);
            if (!c) continue;
            if (unsureType) {
              c.type = 'unknown';
              c.length = undefined;
              c.fixedLength = undefined;
              c.numericPrecision = undefined;
              c.numericScale = undefined;
              c.domain = undefined;
              c.enumType = undefined;
              continue;
            }
            c.type = type;
            c.length = size.length;
            c.fixedLength = size.fixedLength;
            c.numericPrecision = size.numericPrecision;
            c.numericScale = size.numericScale;
            // (a domain or enum column changed to another type: not followed further)
            c.domain = undefined;
            c.enumType = undefined;
          }
        }
        break;
      }
      case 'AT_AddIdentity': {
        const col = findColumn(table, cmd.name);
        if (col) {
          col.defaultKind = 'identity';
          col.notNull = true;
          col.identityAlways = cmd.def?.Constraint?.generated_when === 'a';
          col.sequence = ownSequence(table, col.name, ctx.model);
          col.sequenceOwned = true;
        }
        break;
      }
      case 'AT_DropIdentity': {
        const col = findColumn(table, cmd.name);
        if (col) {
          col.defaultKind = 'none';
          col.sequence = undefined;
          col.identityAlways = undefined;
        }
        break;
      }
      case 'AT_SetIdentity': {
        // SET GENERATED ALWAYS / BY DEFAULT (the option's value is the attidentity letter: 'a' 97, 'd' 100)
        const col = findColumn(table, cmd.name);
        const generated = (cmd.def?.List?.items ?? []).find((d: PgNode) => d.DefElem?.defname === 'generated')?.DefElem?.arg?.Integer?.ival;
        if (col?.defaultKind === 'identity' && generated !== undefined) col.identityAlways = generated === 97;
        break;
      }
      case 'AT_DropExpression': {
        // the stored values stay, the column is a plain one from now on
        const col = findColumn(table, cmd.name);
        if (col) col.generated = undefined;
        break;
      }
      case 'AT_SetNotNull': {
        const col = findColumn(table, cmd.name);
        // (a row with NULL there makes PostgreSQL refuse it: sure only before the file wrote any row)
        if (col && !rowsMayRefuse(ctx, table)) col.notNull = true;
        break;
      }
      case 'AT_DropNotNull': {
        const col = findColumn(table, cmd.name);
        if (col) col.notNull = false;
        break;
      }
      case 'AT_AttachPartition': {
        const part = resolveRangeVar(cmd.def?.PartitionCmd?.name, ctx);
        // (refused before anything changes: alterTable checks it first)
        // (a table the model does not know, a foreign table say, may take rows the known partitions do not)
        if (!part) table.partitionsIncomplete = true;
        if (part) {
          part.partitionParent = qualifiedName(table.schema, table.name);
          part.partitionBound = partitionBound(cmd.def?.PartitionCmd?.bound);
          for (const p of withPartitions(part, ctx.model)) inheritKeys(p, table);
          inheritDistribution(part, table);
          // (it takes constraints of its parent: their names are not followed)
          forgetConstraintNames(part);
        }
        break;
      }
      case 'AT_SetAccessMethod':
        setAccessMethod(table, cmd.name);
        break;
      case 'AT_DetachPartition': {
        const part = resolveRangeVar(cmd.def?.PartitionCmd?.name, ctx);
        if (part) {
          part.partitionParent = undefined;
          part.partitionBound = undefined;
        }
        break;
      }
      default:
        break;
    }
    alterConstraintNames(table, cmd, ctx);
  }
}

const RELATION_OBJECTS = new Set(['OBJECT_TABLE', 'OBJECT_VIEW', 'OBJECT_MATVIEW', 'OBJECT_FOREIGN_TABLE']);

/**
 * A CREATE SCHEMA element with its unqualified relation names in `schema`; undefined for elements the model skips.
 * PostgreSQL creates the elements with the new schema first on the search_path, so a view's query reads the
 * schema's own tables: those names are qualified in the copy the model keeps.
 */
function schemaElement(element: PgNode, schema: string, model: SchemaModel): PgNode | undefined {
  const inSchema = (rv: PgNode | undefined): PgNode | undefined => (rv && !rv.schemaname ? { ...rv, schemaname: schema } : rv);
  if (element.CreateStmt) return { CreateStmt: { ...element.CreateStmt, relation: inSchema(element.CreateStmt.relation) } };
  if (element.ViewStmt) {
    const query = structuredClone(element.ViewStmt.query) as PgNode;
    walk(query, (type, rv) => {
      if (type === 'RangeVar' && !rv.schemaname && model.get(schema, rv.relname)) rv.schemaname = schema;
    });
    return { ViewStmt: { ...element.ViewStmt, view: inSchema(element.ViewStmt.view), query } };
  }
  if (element.IndexStmt) return { IndexStmt: { ...element.IndexStmt, relation: inSchema(element.IndexStmt.relation) } };
  if (element.CreateSeqStmt) return { CreateSeqStmt: { ...element.CreateSeqStmt, sequence: inSchema(element.CreateSeqStmt.sequence) } };
  return undefined;
}

/** ALTER SCHEMA a RENAME TO b: its relations, sequences and distributed-schema entry follow. */
function renameSchema(model: SchemaModel, from: string, to: string): void {
  if (!model.schemas.has(from) && ![...model.tables.values()].some((t) => t.schema === from)) return;
  model.schemas.delete(from);
  model.schemas.add(to);
  const moved = (q: string | undefined): string | undefined => (q?.startsWith(`${from}.`) ? `${to}.${q.slice(from.length + 1)}` : q);
  for (const t of [...model.tables.values()]) {
    const parent = moved(t.partitionParent);
    if (t.schema === from) {
      model.remove(t);
      t.schema = to;
      t.partitionParent = parent;
      model.put(t);
    } else t.partitionParent = parent;
    if (t.foreignKeysTo?.some((k) => k.startsWith(`${from}.`))) t.foreignKeysTo = t.foreignKeysTo.map((k) => moved(k) as string);
    if (t.foreignKeys?.some((fk) => fk.to.startsWith(`${from}.`))) t.foreignKeys = t.foreignKeys.map((fk) => ({ ...fk, to: moved(fk.to) as string }));
  }
  for (const q of [...model.sequences]) {
    if (!q.startsWith(`${from}.`)) continue;
    model.sequences.delete(q);
    model.sequences.add(moved(q)!);
  }
  const colocation = model.distributedSchemas.get(from);
  if (colocation !== undefined) {
    model.distributedSchemas.delete(from);
    model.distributedSchemas.set(to, colocation);
  }
}

/** `ALTER TABLE .. RENAME TO` and `RENAME COLUMN` (Citus propagates both, the distribution column included). */
function renameRelationOrColumn(r: PgNode, ctx: DdlContext, offset: number): void {
  if (r.renameType === 'OBJECT_SCHEMA') {
    if (r.subname && r.newname) renameSchema(ctx.model, r.subname, r.newname);
    return;
  }
  if (RELATION_OBJECTS.has(r.renameType)) {
    const table = resolveRangeVar(r.relation, ctx);
    if (!table || !r.newname) return;
    // a relation of the new name: PostgreSQL refuses the rename (`relation "b" already exists`), said when the file
    // surely made that one; the table keeps its name either way
    const taken = table.name !== r.newname ? ctx.model.get(table.schema, r.newname) : undefined;
    if (taken) {
      if (ctx.session.created?.has(qualifiedName(taken.schema, taken.name))) ctx.problems?.push({ rule: 'relation-already-exists', message: `relation "${r.newname}" already exists`, offset });
      return;
    }
    moveRelation(ctx.model, table, table.schema, r.newname);
    return;
  }
  // ALTER TABLE .. RENAME CONSTRAINT, ALTER INDEX .. RENAME TO: a key's name
  if (r.renameType === 'OBJECT_TABCONSTRAINT' && r.subname && r.newname) {
    const table = resolveRangeVar(r.relation, ctx);
    // (Citus refuses it on its tables, before PostgreSQL looks for the constraint: ErrorIfUnsupportedRenameStmt)
    if (table && isCitusTable(table) && !table.kindUncertain) {
      ctx.problems?.push({ rule: 'alter-table-refused', message: 'renaming constraints belonging to distributed tables is currently unsupported', offset });
      return;
    }
    // (ONLY on a table with partitions or children: PostgreSQL refuses to rename an inherited constraint in the
    // parent alone, which the model does not follow: its names and keys are no longer sure)
    if (table && (table.partitioned || table.inherited) && r.relation?.inh !== true) {
      forgetConstraintNames(table);
      table.keysUncertain = true;
      return;
    }
    // (rename_constraint_internal: get_relation_constraint_oid, without IF EXISTS, which RENAME CONSTRAINT has not)
    if (table && constraintNamed(table, r.subname) === 'none') {
      ctx.problems?.push({ rule: 'undefined-constraint', message: `constraint "${r.subname}" for table "${table.name}" does not exist`, offset });
      return;
    }
    // (a constraint of the new name: PostgreSQL refuses the rename, and the constraint keeps its name; a key's index of
    // the name, or another relation's, as well)
    if (table && r.subname !== r.newname && (constraintNamed(table, r.newname) ?? 'none') !== 'none') {
      ctx.problems?.push({ rule: 'constraint-already-exists', message: `constraint "${r.newname}" for relation "${table.name}" already exists`, offset });
      return;
    }
    if (table && r.subname !== r.newname && nameTaken(table, r.newname, true, ctx)) return;
    if (table?.constraintsAtCreate) table.constraintsAtCreate = table.constraintsAtCreate.filter((n) => n !== r.subname && n !== r.newname);
    if (table && !renameKey(table, r.subname, r.newname)) renameConstraint(table, r.subname, r.newname);
    return;
  }
  if (r.renameType === 'OBJECT_INDEX' && r.relation?.relname && r.newname) {
    const names = [...(r.relation.schemaname ? [r.relation.schemaname] : []), r.relation.relname];
    const tables = indexTables(names, ctx);
    // (a relation, an index or a key's index of the new name in the schema: PostgreSQL refuses the rename)
    if (r.relation.relname !== r.newname && tables.some((t) => nameTaken(t, r.newname, true, ctx))) return;
    for (const t of tables) if (renameKey(t, r.relation.relname, r.newname)) break;
    return;
  }
  if (r.renameType !== 'OBJECT_COLUMN' || !r.subname || !r.newname) return;
  const table = resolveRangeVar(r.relation, ctx);
  const renameProblem = table && renameColumnProblem(table, r.subname, r.newname);
  if (renameProblem) {
    ctx.problems?.push({ rule: 'ddl-column-error', message: renameProblem, offset });
    return;
  }
  if (table) for (const t of withPartitions(table, ctx.model)) touchColumns(t, [r.subname, r.newname]);
  const col = table && findColumn(table, r.subname);
  // (a column of the new name: PostgreSQL refuses the rename, and the column keeps its name)
  if (!table || !col || (r.subname !== r.newname && findColumn(table, r.newname))) return;
  const from: string = r.subname;
  const to: string = r.newname;
  col.name = to;
  // (CHECK expressions read columns by name: those that read the renamed one are no longer evaluated)
  if (table.checks?.some((k) => k.columns.includes(from))) table.checks = table.checks.filter((k) => !k.columns.includes(from));
  const rename = (names: string[]): string[] => names.map((n) => (n === from ? to : n));
  if (table.primaryKey) table.primaryKey = rename(table.primaryKey);
  table.uniqueKeys = table.uniqueKeys.map(rename);
  if (table.otherUniqueIndexes) table.otherUniqueIndexes = table.otherUniqueIndexes.map((i) => ({ ...i, columns: rename(i.columns) }));
  renameKeyColumn(table, from, to);
  if (table.distributionColumn === from) table.distributionColumn = to;
  // foreign keys name columns: the table's own, and those of the keys that reference it
  const key = qualifiedName(table.schema, table.name);
  if (table.foreignKeys) table.foreignKeys = table.foreignKeys.map((fk) => ({ ...fk, columns: rename([...fk.columns]) }));
  for (const t of ctx.model.tables.values()) {
    if (t.foreignKeys?.some((fk) => fk.to === key)) t.foreignKeys = t.foreignKeys.map((fk) => (fk.to === key ? { ...fk, refColumns: rename([...fk.refColumns]) } : fk));
  }
  // partitions share their parent's columns
  for (const p of ctx.model.partitionsOf(table)) {
    const pc = findColumn(p, from);
    if (pc) pc.name = to;
    if (p.distributionColumn === from) p.distributionColumn = to;
  }
}

/** Renames a relation or moves it to another schema; its partitions follow the new name. */
function moveRelation(model: SchemaModel, table: TableModel, schema: string, name: string): void {
  const partitions = model.partitionsOf(table);
  const from = qualifiedName(table.schema, table.name);
  const to = qualifiedName(schema, name);
  // the old name is surely free afterwards, unless the new one was taken (PostgreSQL refuses that rename) or the
  // table is a temporary one (it may hide a table of its name)
  if (from !== to && !table.temporary && !model.get(schema, name)) model.goneRelations.add(from);
  model.remove(table);
  table.schema = schema;
  table.name = name;
  model.put(table);
  for (const p of partitions) p.partitionParent = to;
  // foreign keys follow the table they reference
  for (const t of model.tables.values()) {
    if (t.foreignKeysTo?.includes(from)) t.foreignKeysTo = t.foreignKeysTo.map((k) => (k === from ? to : k));
    if (t.foreignKeys?.some((fk) => fk.to === from)) t.foreignKeys = t.foreignKeys.map((fk) => (fk.to === from ? { ...fk, to } : fk));
  }
}

function putRelation(ctx: DdlContext, rv: PgNode | undefined, kind: 'view' | 'matview' | 'local', derived: { columns: ColumnModel[]; incomplete: boolean }, location: SourceLocation, viewQuery?: PgNode, options: { replace?: boolean; ifNotExists?: boolean } = {}): boolean {
  if (!rv?.relname) return false;
  const schema = rv.schemaname ?? creationSchema(ctx);
  const existing = rv.relpersistence === 't' ? undefined : ctx.model.get(schema, rv.relname);
  if (existing && !(options.replace && existing.kind === 'view')) {
    // a relation of the name: PostgreSQL refuses the CREATE (or skips it, IF NOT EXISTS), and the relation stays; said
    // when the file surely made it. One the file made before without the model being sure (a view whose query may have
    // failed): either may be there, and its columns are not vouched for
    if (options.ifNotExists || createdBefore(existing, ctx, location)) return false;
    if (ctx.session.createdHere?.has(qualifiedName(schema, rv.relname))) {
      markAlteredOutOfSight(existing);
      return false;
    }
  }
  ctx.session.createdHere?.add(qualifiedName(schema, rv.relname));
  ctx.model.put({
    schema: rv.schemaname ?? creationSchema(ctx),
    name: rv.relname,
    kind,
    columns: derived.columns,
    ...(derived.incomplete ? { columnsIncomplete: true } : {}),
    uniqueKeys: [],
    partitioned: false,
    definedAt: location,
    ...(rv.relpersistence === 't' ? { temporary: true } : {}),
    ...(viewQuery?.SelectStmt ? { viewQuery } : {}),
  });
  return true;
}

/** checkViewColumns' refusal of a view's new columns (names and number; the types are not compared here). */
function viewColumnsRefusal(before: readonly ColumnModel[], after: readonly ColumnModel[]): string | undefined {
  if (after.length < before.length) return 'cannot drop columns from view';
  const renamed = before.findIndex((c, i) => c.name !== after[i].name);
  return renamed >= 0 ? `cannot change name of view column "${before[renamed].name}" to "${after[renamed].name}"` : undefined;
}

/**
 * The columns of a view, materialized view or CREATE TABLE AS: one per output column of the query, named and
 * typed as PostgreSQL names and types them (the semantic layer resolves the query; column aliases first, `*`
 * expanded). The type matters: a table created AS SELECT and then distributed colocates by default only with
 * tables whose distribution column has its type. `incomplete` when a `*` covered something the model does not
 * know (the list may lack columns).
 */
function derivedColumns(aliases: PgNode[] | undefined, query: PgNode | undefined, ctx: DdlContext): { columns: ColumnModel[]; incomplete: boolean } {
  const select = query?.SelectStmt;
  if (!select) return { columns: [], incomplete: true };
  const qm = buildQueryModel(select, undefined, { model: ctx.model, session: ctx.session, variables: [] });
  const names = nameList(aliases);
  const columns = qm.root.targets.map(
    (t, i): ColumnModel => ({ name: names[i] ?? t.name, type: t.type === NO_TYPE ? 'unknown' : builtins().display(t.type), notNull: false, defaultKind: 'none' }),
  );
  return { columns, incomplete: levelTargetsIncomplete(qm.root) };
}

// PostgreSQL's TableLikeOption bits (parsenodes.h): what `LIKE source INCLUDING ...` copies
const LIKE_DEFAULTS = 1 << 3;
const LIKE_GENERATED = 1 << 4;
const LIKE_IDENTITY = 1 << 5;
const LIKE_INDEXES = 1 << 6;

/**
 * `CREATE TABLE t (LIKE source [INCLUDING ...])`: the source's columns with their types and NOT NULL; the
 * defaults (a sequence default forces Citus to pull), identity, generation expressions and the primary key
 * and unique indexes only when included, as PostgreSQL copies them.
 */
function addLikeColumns(table: TableModel, like: PgNode, ctx: DdlContext): void {
  const source = resolveRangeVar(like.relation, ctx);
  if (!source || source.columnsIncomplete || source.columns.length === 0) {
    table.columnsIncomplete = true;
    if (!source) return;
  }
  const options: number = like.options ?? 0;
  for (const c of source.columns) {
    const copy: ColumnModel = { name: c.name, type: c.type, notNull: c.notNull, defaultKind: 'none' };
    const included = c.defaultKind === 'identity' ? options & LIKE_IDENTITY : options & LIKE_DEFAULTS;
    if (included && c.defaultKind !== 'none') {
      copy.defaultKind = c.defaultKind;
      copy.defaultText = c.defaultText;
    }
    if (c.generated && options & LIKE_GENERATED) copy.generated = true;
    const existing = table.columns.findIndex((x) => x.name === c.name);
    if (existing >= 0) table.columns[existing] = copy;
    else table.columns.push(copy);
  }
  if (options & LIKE_INDEXES) {
    if (source.primaryKey && !table.primaryKey) table.primaryKey = [...source.primaryKey];
    for (const k of source.uniqueKeys) table.uniqueKeys.push([...k]);
    for (const i of source.otherUniqueIndexes ?? []) addUniqueIndex(table, i);
  }
}

/** Names an ALTER TABLE added, dropped or renamed: see TableModel.columnsTouched. */
function touchColumns(table: TableModel, names: readonly string[]): void {
  const before = table.columnsTouched ?? [];
  const added = names.filter((n) => !before.includes(n));
  if (added.length) table.columnsTouched = [...before, ...added];
}

function resolveRangeVar(rv: PgNode | undefined, ctx: DdlContext): TableModel | undefined {
  if (!rv?.relname) return undefined;
  const t = ctx.model.resolve(rv.schemaname, rv.relname, ctx.session.searchPath);
  return t?.catalog ? undefined : t; // DDL on catalogs changes nothing the analysis models
}

/** Resolves a regclass text ('analytics."T"', 'events') through the search path. */
export function resolveRegclass(text: string, model: SchemaModel, searchPath: readonly string[]): TableModel | undefined {
  const parts = splitQualifiedName(text);
  if (parts.length === 0) return undefined;
  if (parts.length >= 2) return model.get(parts[parts.length - 2], parts[parts.length - 1]);
  const t = model.resolve(undefined, parts[0], searchPath);
  return t?.catalog ? undefined : t;
}

/**
 * regclass input (`'evnts'`) that names no relation the model has in any form: the name as PostgreSQL reads it, and
 * the known table it is a near miss of (edit distance 1, or 2 from four characters), if any. Undefined for a known
 * relation, a catalog's name (pg_*, information_schema), an OID, and a name regclass input would refuse anyway.
 */
function unknownRelation(text: string, model: SchemaModel, searchPath: readonly string[]): { shown: string; near?: string } | undefined {
  const parts = splitQualifiedName(text);
  if (parts.length === 0 || parts.length > 3 || /^\d+$/.test(text.trim())) return undefined;
  const schema = parts.length >= 2 ? parts[parts.length - 2] : undefined;
  const rel = parts[parts.length - 1];
  if (schema === 'pg_catalog' || schema === 'information_schema' || schema?.startsWith('pg_') || rel.startsWith('pg_')) return undefined;
  if (model.resolve(schema, rel, searchPath) || model.sequences.has(qualifiedName(schema ?? 'public', rel))) return undefined;
  const near = closestName(rel, [...model.tables.values()].filter((t) => !t.catalog).map((t) => t.name), rel.length >= 4 ? 2 : 1);
  return { shown: parts.join('.'), near };
}

/**
 * Splits a qualified identifier as regclass input does (SplitIdentifierString): dots outside quotes, unquoted parts
 * lower-cased, every part cut to 63 bytes as PostgreSQL's parser cuts the same name written in SQL.
 */
export function splitQualifiedName(text: string): string[] {
  return splitParts(text).map(truncateIdentifier);
}

/** truncate_identifier(): a name longer than NAMEDATALEN - 1 (63) bytes keeps its first 63 bytes, whole characters only. */
export function truncateIdentifier(name: string): string {
  if (name.length <= 15 || Buffer.byteLength(name, 'utf8') <= 63) return name;
  let out = '';
  let bytes = 0;
  for (const ch of name) {
    const n = Buffer.byteLength(ch, 'utf8');
    if (bytes + n > 63) break;
    out += ch;
    bytes += n;
  }
  return out;
}

function splitParts(text: string): string[] {
  const parts: string[] = [];
  let i = 0;
  const s = text.trim();
  while (i < s.length) {
    if (s[i] === '"') {
      let k = i + 1;
      let part = '';
      while (k < s.length) {
        if (s[k] === '"' && s[k + 1] === '"') {
          part += '"';
          k += 2;
        } else if (s[k] === '"') break;
        else part += s[k++];
      }
      parts.push(part);
      i = k + 1;
    } else {
      let k = i;
      while (k < s.length && s[k] !== '.') k++;
      parts.push(s.slice(i, k).trim().toLowerCase());
      i = k;
    }
    if (s[i] === '.') i++;
  }
  return parts;
}

// ---------------------------------------------------------------------------------------------------
// Citus calls: SELECT create_distributed_table(...), create_reference_table(...), ...

interface CallArgs {
  positional: (string | null | undefined)[];
  named: Map<string, string | null | undefined>;
}

function callArgs(call: PgNode): CallArgs {
  const positional: (string | null | undefined)[] = [];
  const named = new Map<string, string | null | undefined>();
  for (const a of call.args ?? []) {
    if (a.NamedArgExpr) named.set(String(a.NamedArgExpr.name).toLowerCase(), constantText(a.NamedArgExpr.arg));
    else positional.push(constantText(a));
  }
  return { positional, named };
}

/** Text of a constant argument ('x', 'x'::regclass, 8, NULL); undefined when not a constant. */
function constantText(node: PgNode | undefined): string | null | undefined {
  if (!node) return undefined;
  if (node.TypeCast) return constantText(node.TypeCast.arg);
  const c = as(node, 'A_Const');
  if (c) {
    if (c.isnull) return null;
    if (c.sval) return c.sval.sval ?? '';
    if (c.ival) return String(c.ival.ival ?? 0);
    if (c.fval) return String(c.fval.fval);
    if (c.boolval) return String(c.boolval.boolval ?? false);
    return undefined;
  }
  return undefined;
}

/**
 * The PRIMARY KEY and UNIQUE keys of `t` that do not contain `column`, each once: Citus refuses to distribute a hash or range
 * table by a column its keys do not all contain (ErrorIfUnsupportedConstraint), unless citus.allow_unsafe_constraints is on.
 */
export function keysWithoutColumn(t: TableModel, column: string, model: SchemaModel): string[][] {
  // (a key may have been dropped: see ./keyNames.ts)
  if (model.settings.get('citus.allow_unsafe_constraints') === 'on' || t.keysUncertain) return [];
  const seen = new Set<string>();
  return [...(t.primaryKey ? [t.primaryKey] : []), ...t.uniqueKeys].filter((k) => {
    const id = k.join(',');
    if (seen.has(id) || k.includes(column)) return false;
    seen.add(id);
    return true;
  });
}

function arg(args: CallArgs, name: string, position: number): string | null | undefined {
  if (args.named.has(name)) return args.named.get(name);
  return args.positional[position];
}

function applyCitusCalls(select: PgNode, stmt: ParsedStatement, ctx: DdlContext): boolean {
  let changed = false;
  // a refusal is reported only for a call that surely runs: one of the select list of a SELECT without FROM, WHERE,
  // HAVING or LIMIT (`SELECT create_distributed_table(..) WHERE NOT EXISTS (..)` is a guard), or a CALL
  const unconditional = !!select.FuncCall || (!select.fromClause?.length && !select.whereClause && !select.havingClause && !select.limitCount && (!select.op || select.op === 'SETOP_NONE'));
  const direct = new Set<PgNode>(select.FuncCall ? [select.FuncCall] : (select.targetList ?? []).map((t: PgNode) => t.ResTarget?.val?.FuncCall).filter(Boolean));
  walk(select, (type, call) => {
    if (type !== 'FuncCall') return;
    const name = functionName(call);
    const location: SourceLocation = { source: ctx.source, offset: stmt.toDocumentOffset(call.location ?? 0) };
    const reporting = unconditional && direct.has(call) ? ctx : { ...ctx, problems: undefined, unsure: true };
    // (a procedure runs only from CALL: a SELECT of it fails, `.. is a procedure`)
    if ((name === 'drop_old_time_partitions' || name === 'alter_old_partitions_set_access_method') && !select.FuncCall) return;
    if (name === 'create_time_partitions' || name === 'drop_old_time_partitions') {
      if (applyTimePartitionCall(name, call, reporting, location)) changed = true;
      return;
    }
    // (every table with its kind before the call: pairs, not a map, as a folder of schema files makes many such calls)
    const before = FOREIGN_KEY_SENSITIVE.has(name) ? Array.from(ctx.model.tables.values(), (t) => ({ t, kind: t.kind })) : undefined;
    if (!applyCitusCall(name, callArgs(call), reporting, location)) return;
    changed = true;
    // a change Citus makes or refuses by foreign keys the model is not sure of (or only partly follows): the tables it
    // changed (still in the model) may not be what the model says
    if (before) {
      const touched = before.filter(({ t, kind }) => kind !== t.kind && ctx.model.get(t.schema, t.name) === t);
      // (a citus-local table's foreign keys are dropped and defined again: one from a reference or citus-local table is
      // refused, which the model does not follow)
      const followed =
        (name === 'create_distributed_table' || name === 'create_reference_table') &&
        touched.every(({ t, kind }) => foreignKeysAllSure(t, ctx.model) && (kind === 'local' || (kind === 'citus_local' && !referencedBy(t, ctx.model, ['reference', 'citus_local']))));
      const none = touched.every(({ t }) => !t.foreignKeysTo?.length && !referencedBy(t, ctx.model));
      if (!followed && !none) for (const { t } of touched) t.kindUncertain = true;
    }
  });
  return changed;
}

/** An argument of a call as written (a named one by its name, else by its position). */
function rawArg(call: PgNode, name: string, position: number): PgNode | undefined {
  const args: PgNode[] = call.args ?? [];
  const named = args.find((a) => String(a.NamedArgExpr?.name ?? '').toLowerCase() === name);
  if (named) return named.NamedArgExpr.arg;
  const positional = args.filter((a) => !a.NamedArgExpr);
  return positional[position];
}

/**
 * create_time_partitions(table_name, partition_interval, end_at [, start_from]) creates the partitions
 * ./timePartitions.ts computes, as the CREATE TABLE .. PARTITION OF Citus runs for each; drop_old_time_partitions(
 * table_name, older_than) drops those whose range ends at or before older_than. What the model cannot compute (an
 * argument it cannot read, a call that may not run, a now() the session's time zone may move) leaves the table's
 * partitions incomplete: no row is then said to find no partition. Checked on Citus 13.2.2.
 */
function applyTimePartitionCall(name: string, call: PgNode, ctx: DdlContext, location: SourceLocation): boolean {
  const tableText = constantText(rawArg(call, 'table_name', 0));
  const t = typeof tableText === 'string' ? resolveRegclass(tableText, ctx.model, ctx.session.searchPath) : undefined;
  if (!t || !t.partitioned) return false;
  const parts = ctx.model.partitionsOf(t);
  const ranges = parts.filter((p) => p.partitionBound?.kind === 'range');
  const known = !t.partitionsIncomplete && parts.every((p) => p.partitionBound?.kind === 'range' || p.partitionBound?.kind === 'default');
  const bounds = ranges.map((p) => {
    const b = p.partitionBound as { from: unknown[]; to: unknown[] };
    return { table: p, from: typeof b.from[0] === 'string' ? b.from[0] : '', to: typeof b.to[0] === 'string' ? b.to[0] : '' };
  });
  if (name === 'drop_old_time_partitions') {
    const limit = timeArg(rawArg(call, 'older_than', 1));
    if (ctx.unsure || !limit) return false;
    // (the earliest moment now() may be: a partition older than it is dropped whatever the session's time zone)
    const until = earliestTime(limit, ctx.session.today);
    if (until === undefined) return false;
    let dropped = false;
    for (const b of bounds) {
      const to = parseWallClock(b.to);
      if (to === undefined || to > until) continue;
      dropWithPartitions(b.table, ctx);
      // (surely gone: a name PostgreSQL no longer knows, for the statements after)
      ctx.model.goneRelations.add(qualifiedName(b.table.schema, b.table.name));
      dropped = true;
    }
    return dropped;
  }
  const key = t.partitionKey ?? [];
  const column = key.length === 1 ? findColumn(t, key[0]) : undefined;
  const intervalText = constantText(rawArg(call, 'partition_interval', 1));
  const interval = typeof intervalText === 'string' ? parseInterval(intervalText) : undefined;
  const endAt = timeArg(rawArg(call, 'end_at', 2));
  const startNode = rawArg(call, 'start_from', 3);
  const startFrom = startNode ? timeArg(startNode) : { kind: 'now' as const, plus: { months: 0, days: 0, ms: 0 } };
  const result = !ctx.unsure && known && column && interval && endAt && startFrom ? timePartitionsToCreate(t.name, column.type, bounds, interval, endAt, startFrom, ctx.session.today) : undefined;
  if (!result) {
    t.partitionsIncomplete = true;
    return true;
  }
  const quote = (id: string): string => (/^[a-z_][a-z0-9_]*$/.test(id) ? id : `"${id.replace(/"/g, '""')}"`);
  for (const p of result.partitions) {
    const sql = `CREATE TABLE ${quote(t.schema)}.${quote(p.name)} PARTITION OF ${quote(t.schema)}.${quote(t.name)} FOR VALUES FROM ('${p.from}') TO ('${p.to}')`;
    const parsed = parseSql(sql);
    const create = parsed.ok ? parsed.statements[0]?.stmt?.CreateStmt : undefined;
    if (create) createTable(create, { ...ctx, problems: undefined }, location);
  }
  if (!result.sure) t.partitionsIncomplete = true;
  return true;
}

/** The Citus calls that Citus checks, or cascades, along the table's foreign keys. */
const FOREIGN_KEY_SENSITIVE = new Set(['create_distributed_table', 'create_distributed_table_concurrently', 'create_reference_table', 'citus_add_local_table_to_metadata', 'undistribute_table', 'alter_distributed_table', 'update_distributed_table_colocation']);

/** Whether another table (of one of `kinds`, when given) has a foreign key to `t`. */
function referencedBy(t: TableModel, model: SchemaModel, kinds?: readonly string[]): boolean {
  const key = qualifiedName(t.schema, t.name);
  for (const o of model.tables.values()) if (o !== t && (!kinds || kinds.includes(o.kind)) && o.foreignKeysTo?.includes(key)) return true;
  return false;
}

/** Citus' functions whose first argument is the table (regclass), named as in their signature. */
const TABLE_FIRST_CALLS: ReadonlyMap<string, string> = new Map([
  ['create_distributed_table', 'table_name'],
  ['create_distributed_table_concurrently', 'table_name'],
  ['create_reference_table', 'table_name'],
  ['citus_add_local_table_to_metadata', 'table_name'],
  ['undistribute_table', 'table_name'],
  ['alter_distributed_table', 'table_name'],
  ['alter_table_set_access_method', 'table_name'],
  ['update_distributed_table_colocation', 'table_name'],
  ['create_time_partitions', 'table_name'],
  ['drop_old_time_partitions', 'table_name'],
  ['alter_old_partitions_set_access_method', 'parent_table_name'],
  ['isolate_tenant_to_new_shard', 'table_name'],
]);

function applyCitusCall(name: string, args: CallArgs, ctx: DdlContext, location: SourceLocation): boolean {
  const model = ctx.model;
  const table = (position: number, argName: string): TableModel | undefined => {
    const t = arg(args, argName, position);
    return typeof t === 'string' ? resolveRegclass(t, model, ctx.session.searchPath) : undefined;
  };
  // a table the model does not know: PostgreSQL reads the name as regclass when it analyses the call (`relation "x" does
  // not exist`, a misspelt name); said for sure when the model is the whole database, else as an unknown table
  // (said as a warning only when the name is a near miss of a table the model knows: a relation the model does not
  // follow, a foreign table or an index, is no typo of one)
  const argName = TABLE_FIRST_CALLS.get(name);
  const named = argName ? arg(args, argName, 0) : undefined;
  const unknown = typeof named === 'string' && !table(0, argName!) ? unknownRelation(named, model, ctx.session.searchPath) : undefined;
  if (unknown) {
    if (model.complete) ctx.problems?.push({ message: `relation "${unknown.shown}" does not exist`, offset: location.offset ?? 0 });
    else if (unknown.near) ctx.problems?.push({ rule: 'unknown-table', message: `relation "${unknown.shown}" is not known to the schema model`, offset: location.offset ?? 0, unknownTable: { name: unknown.shown, near: unknown.near } });
    return false;
  }
  switch (name) {
    case 'create_distributed_table':
    case 'create_distributed_table_concurrently': {
      const t = table(0, 'table_name');
      if (!t) return false;
      const column = arg(args, 'distribution_column', 1);
      const method = String(arg(args, 'distribution_type', 2) ?? 'hash').toLowerCase();
      const colocateWith = arg(args, 'colocate_with', 3);
      const shardCountText = arg(args, 'shard_count', 4);
      const refused = distributionRefusal(t, column, colocateWith, shardCountText, ctx) ?? partitionRefusal(t, method === 'append' || method === 'range' ? method : 'hash', ctx.model);
      if (refused) {
        ctx.problems?.push({ ...refused, offset: location.offset ?? 0 });
        return false;
      }
      // "Distribution column must not use GENERATED ALWAYS AS (...) STORED": the table stays as it was
      const distCol = typeof column === 'string' ? findColumn(t, column) : undefined;
      if (distCol?.generated) return false;
      // Citus' checks of the table's foreign keys (ErrorIfUnsupportedForeignConstraintExists), on the sure ones
      const options = {
        column: column ?? null,
        method,
        colocateWith: typeof colocateWith === 'string' ? colocateWith : 'default',
        shardCount: shardCountText ? Number(shardCountText) : undefined,
        searchPath: ctx.session.searchPath,
        location,
      };
      if (t.foreignKeys?.length && (method === 'hash' || column === null) && (t.kind === 'local' || t.kind === 'citus_local')) {
        const prospect = distributionOf(model, t, options, false);
        const as: Prospect = {
          kind: prospect.kind,
          distributionColumn: prospect.distributionColumn,
          colocationId: prospect.colocationId,
          ownGroup: options.colocateWith.toLowerCase() === 'none',
          shardCount: options.shardCount,
          replicationFactor: model.replicationFactor,
        };
        const refused = unsupportedForeignKey(t, as, t.foreignKeys, model);
        if (refused) {
          ctx.problems?.push({ rule: 'foreign-key-refused', ...refused, offset: location.offset ?? 0 });
          return false;
        }
      }
      // "Citus currently supports foreign key constraints only for citus.shard_replication_factor = 1" (for the
      // table's own foreign keys): the call fails and the table stays what it was
      if (model.replicationFactor > 1 && t.foreignKeysTo?.length) return false;
      // "cannot create constraint on ..." (ErrorIfUnsupportedConstraint): a PRIMARY KEY or UNIQUE key without the
      // distribution column; rollup-key-without-dist-column reports it, and the table stays as it was
      if (distCol && (method === 'hash' || method === 'range') && keysWithoutColumn(t, distCol.name, model).length) return false;
      // (PropagatePrerequisiteObjectsForDistributedTable, once the table may be distributed)
      const sequences = sequenceTypeRefusal(t, sequenceDefaults(t), model);
      if (sequences) {
        ctx.problems?.push({ ...sequences, offset: location.offset ?? 0 });
        return false;
      }
      distributeTable(model, t, options);
      // (create_distributed_table_concurrently refuses more: never a sure first call)
      noteDistributed(t, name === 'create_distributed_table' ? ctx : { ...ctx, unsure: true }, args);
      return true;
    }
    case 'create_reference_table': {
      const t = table(0, 'table_name');
      if (!t) return false;
      const again = relationKindRefusal(t) ?? alreadyDistributed(t, ctx.model, ctx.session) ?? triggersRefusal(t, ctx.model) ?? partitionRefusal(t, 'reference', ctx.model);
      if (again) {
        ctx.problems?.push({ ...again, offset: location.offset ?? 0 });
        return false;
      }
      // its foreign keys to Citus tables are checked first, then the plain tables they connect it to are converted
      if (t.kind === 'local' && !t.partitionParent) {
        const asReference: Prospect = { kind: 'reference', colocationId: model.referenceGroup().id, replicationFactor: 1 };
        const plain = foreignKeyNeighbours(t, model).filter((o) => o.kind === 'local' && o !== t);
        const refused = unsupportedForeignKey(t, asReference, t.foreignKeys ?? [], model) ?? (plain.length ? conversionRefusal(plain, model) : undefined);
        if (refused) {
          ctx.problems?.push({ rule: 'foreign-key-refused', ...refused, offset: location.offset ?? 0 });
          return false;
        }
      }
      const sequences = sequenceTypeRefusal(t, sequenceDefaults(t), model);
      if (sequences) {
        ctx.problems?.push({ ...sequences, offset: location.offset ?? 0 });
        return false;
      }
      setKind(model, t, { kind: 'reference', distributionColumn: undefined, colocationId: model.referenceGroup().id, shardCount: 1 }, location);
      noteDistributed(t, ctx);
      // the plain tables its foreign keys connect it to become citus-local (CreateReferenceTable cascades)
      if (model.settings.get('citus.enable_local_reference_table_foreign_keys') !== 'off') {
        for (const other of foreignKeyNeighbours(t, model)) {
          if (other.kind !== 'local' || other.partitionParent) continue;
          for (const c of connectedPlainTables(other, model)) setKind(model, c, { kind: 'citus_local', distributionColumn: undefined, colocationId: 0, shardCount: 1 }, location);
        }
      }
      return true;
    }
    case 'citus_add_local_table_to_metadata': {
      const t = table(0, 'table_name');
      if (!t) return false;
      const cascade = parsePgBool(String(arg(args, 'cascade_via_foreign_keys', 1) ?? 'false')) === true;
      const parent = localParent(t, model);
      if (parent) {
        ctx.problems?.push({ message: `cannot add local table ${t.name} to metadata since it is a partition of ${parent.name}. Instead, add the parent table ${parent.name} to metadata.`, offset: location.offset ?? 0 });
        return false;
      }
      // ErrorIfUnsupportedCitusLocalTableKind (its message ends in a space)
      if (t.kind === 'view' || t.kind === 'matview' || t.temporary) {
        const message = t.temporary ? 'constraints on temporary tables may reference only temporary tables' : `cannot add local table "${t.name}" to metadata, only regular tables, partitioned tables and foreign tables can be added to citus metadata `;
        ctx.problems?.push({ message, offset: location.offset ?? 0 });
        return false;
      }
      if (!cascade && t.kind === 'local' && hasSureForeignKeysWithOthers(t, model)) {
        const name = `${t.schema}.${t.name}`;
        ctx.problems?.push({
          rule: 'foreign-key-refused',
          message: `relation ${name} is involved in a foreign key relationship with another table`,
          hint: `Use cascade_via_foreign_keys option to add all the relations involved in a foreign key relationship with ${name} to citus metadata by executing SELECT citus_add_local_table_to_metadata($$${name}$$, cascade_via_foreign_keys=>true)`,
          offset: location.offset ?? 0,
        });
        return false;
      }
      // cascade_via_foreign_keys: the plain tables its foreign keys connect it to too
      for (const c of cascade && t.kind === 'local' ? connectedPlainTables(t, model) : [t]) setKind(model, c, { kind: 'citus_local', distributionColumn: undefined, colocationId: 0, shardCount: 1 }, location);
      return true;
    }
    case 'alter_table_set_access_method': {
      const t = table(0, 'table_name');
      const method = arg(args, 'access_method', 1);
      if (!t || typeof method !== 'string') return false;
      // AlterTableSetAccessMethod's checks the model follows pass (no foreign key either way, not partitioned, another
      // access method), then ConvertTable
      const sure = !t.kindUncertain && !model.opaqueCitusCalls && !t.partitioned && t.kind !== 'range' && t.kind !== 'append' && !t.foreignKeys?.length && !t.foreignKeysTo?.length && !t.foreignKeysUncertain && !referencedBy(t, model);
      const refused = sure && (t.accessMethod ?? 'heap') !== method.toLowerCase() ? identityConversionRefusal(t) : undefined;
      if (refused) {
        ctx.problems?.push({ ...refused, offset: location.offset ?? 0 });
        return false;
      }
      setAccessMethod(t, method);
      return true;
    }
    case 'alter_old_partitions_set_access_method': {
      // the partitions whose range ends at or before older_than (a time); a bound the model cannot compare is left
      const t = table(0, 'parent_table_name');
      const olderThan = arg(args, 'older_than', 1);
      const method = arg(args, 'new_access_method', 2);
      const limit = typeof olderThan === 'string' ? Date.parse(olderThan) : NaN;
      if (!t || typeof method !== 'string' || Number.isNaN(limit)) return false;
      let changed = false;
      for (const p of model.partitionsOf(t)) {
        const to = p.partitionBound?.kind === 'range' ? p.partitionBound.to[0] : undefined;
        const end = typeof to === 'string' ? Date.parse(to) : NaN;
        if (!Number.isNaN(end) && end <= limit) {
          setAccessMethod(p, method);
          changed = true;
        }
      }
      return changed;
    }
    case 'undistribute_table': {
      const t = table(0, 'table_name');
      // ("cannot complete operation because table is a partition")
      if (!t || t.partitionParent) return false;
      // UndistributeTable's checks the model follows pass (a Citus table, no foreign key either way, not in a
      // distributed schema), then ConvertTable
      const sure = t.kind !== 'local' && t.kind !== 'view' && t.kind !== 'matview' && !t.kindUncertain && !model.opaqueCitusCalls && !model.distributedSchemas.has(t.schema) && !t.foreignKeys?.length && !t.foreignKeysTo?.length && !t.foreignKeysUncertain && !referencedBy(t, model);
      const refused = sure ? identityConversionRefusal(t) : undefined;
      if (refused) {
        ctx.problems?.push({ ...refused, offset: location.offset ?? 0 });
        return false;
      }
      setKind(model, t, { kind: 'local', distributionColumn: undefined, colocationId: undefined, shardCount: undefined }, location);
      return true;
    }
    case 'alter_distributed_table': {
      const t = table(0, 'table_name');
      if (!t) return false;
      const refused = alterDistributedTableRefusal(t, args, ctx);
      if (refused) {
        ctx.problems?.push({ ...refused, offset: location.offset ?? 0 });
        return false;
      }
      const column = arg(args, 'distribution_column', 1);
      const shardCountText = arg(args, 'shard_count', 2);
      const colocateWith = arg(args, 'colocate_with', 3);
      // cascade_to_colocated := true: the tables colocated with it get the new shard count and colocation too
      const cascade = parsePgBool(String(arg(args, 'cascade_to_colocated', 4) ?? '')) === true;
      const colocated = cascade && t.colocationId ? [...model.tables.values()].filter((o) => o !== t && o.colocationId === t.colocationId && !o.partitionParent) : [];
      distributeTable(model, t, {
        column: column ?? t.distributionColumn ?? null,
        method: t.kind === 'range' || t.kind === 'append' ? t.kind : 'hash',
        colocateWith: typeof colocateWith === 'string' ? colocateWith : column || shardCountText ? 'default' : 'keep',
        shardCount: shardCountText ? Number(shardCountText) : (t.shardCount ?? undefined),
        searchPath: ctx.session.searchPath,
        location,
      });
      for (const o of colocated) {
        for (const target of [o, ...model.partitionsOf(o)]) {
          target.shardCount = t.shardCount;
          target.colocationId = t.colocationId;
        }
      }
      return true;
    }
    case 'update_distributed_table_colocation': {
      const t = table(0, 'table_name');
      const target = arg(args, 'colocate_with', 1);
      if (!t || typeof target !== 'string') return false;
      if (target.toLowerCase() === 'none') {
        const g = model.newGroup({ kind: 'hash', shardCount: t.shardCount ?? model.defaultShardCount, distributionColumnType: distributionType(t), replicationFactor: model.replicationFactor });
        setGroup(model, t, g.id);
      } else {
        const other = resolveRegclass(target, model, ctx.session.searchPath);
        if (other?.colocationId !== undefined) setGroup(model, t, other.colocationId);
      }
      return true;
    }
    case 'citus_schema_distribute': {
      const schema = arg(args, 'schemaname', 0);
      if (typeof schema !== 'string') return false;
      distributeSchema(model, splitQualifiedName(schema)[0] ?? schema);
      return true;
    }
    case 'citus_schema_undistribute': {
      const schema = arg(args, 'schemaname', 0);
      if (typeof schema !== 'string') return false;
      const name = splitQualifiedName(schema)[0] ?? schema;
      model.distributedSchemas.delete(name);
      for (const t of model.tables.values()) {
        if (t.schema === name && t.kind === 'single_shard') Object.assign(t, { kind: 'local', colocationId: undefined, shardCount: undefined });
      }
      return true;
    }
    case 'isolate_tenant_to_new_shard': {
      const t = table(0, 'table_name');
      const refused = t ? isolateTenantRefusal(t, args, ctx) : undefined;
      if (refused) ctx.problems?.push({ ...refused, offset: location.offset ?? 0 });
      // (the shards it makes change no prediction the model makes)
      return false;
    }
    case 'set_config': {
      if (String(args.positional[0] ?? '').toLowerCase() !== 'search_path') return false;
      const value = args.positional[1];
      if (typeof value === 'string') ctx.session.searchPath = value.split(',').map((p) => splitQualifiedName(p)[0] ?? '').filter(Boolean);
      return true;
    }
    default:
      return false;
  }
}

interface DistributeOptions {
  column: string | null;
  method: string;
  colocateWith: string;
  shardCount?: number;
  searchPath: readonly string[];
  location: SourceLocation;
}

function distributionType(t: TableModel): string | undefined {
  return t.distributionColumn ? findColumn(t, t.distributionColumn)?.type : undefined;
}

function distributeTable(model: SchemaModel, t: TableModel, o: DistributeOptions): void {
  setKind(model, t, distributionOf(model, t, o, true), o.location);
}

/**
 * What create_distributed_table makes of `t`: its kind, column and colocation group. `create`: make the group it needs
 * (false: the distribution it would have, with no colocation id for a group that does not exist yet).
 */
function distributionOf(model: SchemaModel, t: TableModel, o: DistributeOptions, create: boolean): Pick<TableModel, 'kind' | 'distributionColumn' | 'colocationId' | 'shardCount'> {
  const newGroup = (g: Parameters<SchemaModel['newGroup']>[0]): number | undefined => (create ? model.newGroup(g).id : undefined);
  if (o.column === null) {
    // single-shard distributed table (Citus 12+)
    let groupId: number | undefined;
    const other = o.colocateWith.toLowerCase() !== 'default' && o.colocateWith.toLowerCase() !== 'none'
      ? resolveRegclass(o.colocateWith, model, o.searchPath)
      : undefined;
    // colocate_with => 'default' joins the lowest existing single-shard group that is not a distributed
    // schema's (ColocationId() in colocation_utils.c); 'none' always makes a new group
    const tenantGroups = new Set(model.distributedSchemas.values());
    const defaultGroup =
      o.colocateWith.toLowerCase() === 'default' ? [...model.groups.values()].filter((g) => g.kind === 'single_shard' && !tenantGroups.has(g.id)).sort((x, y) => x.id - y.id)[0] : undefined;
    if (other?.kind === 'single_shard' && other.colocationId !== undefined) groupId = other.colocationId;
    else groupId = defaultGroup?.id ?? newGroup({ kind: 'single_shard', shardCount: 1 });
    return { kind: 'single_shard', distributionColumn: undefined, colocationId: groupId, shardCount: 1 };
  }
  // Citus looks the name up as written (BuildDistributionKeyFromColumnName: no case folding, no quotes), so
  // 'UserID' is the column "UserID"; a name only a folded spelling matches fails on the cluster, and the
  // model keeps the folded one as before
  const column = findColumn(t, o.column) ? o.column : (splitQualifiedName(o.column)[0] ?? o.column);
  if (o.method === 'append' || o.method === 'range') {
    return { kind: o.method, distributionColumn: column, colocationId: 0, shardCount: 0 };
  }
  const type = findColumn(t, column)?.type ?? 'unknown';
  const colocate = o.colocateWith.toLowerCase();
  let shardCount = o.shardCount ?? model.defaultShardCount;
  let groupId: number | undefined;
  if (colocate === 'keep' && t.colocationId) {
    groupId = t.colocationId;
  } else if (colocate === 'none') {
    groupId = newGroup({ kind: 'hash', shardCount, distributionColumnType: type, replicationFactor: model.replicationFactor });
  } else if (colocate === 'default' || colocate === 'keep') {
    const rf = model.replicationFactor;
    groupId = model.findDefaultGroup(shardCount, type, rf)?.id ?? newGroup({ kind: 'hash', shardCount, distributionColumnType: type, replicationFactor: rf });
  } else {
    const other = resolveRegclass(o.colocateWith, model, o.searchPath);
    if (other?.colocationId) {
      groupId = other.colocationId;
      shardCount = other.shardCount ?? shardCount;
    } else if (!other) {
      // a table the model does not know (another file, the cluster): the tables colocated with it share a group, whose
      // relation to the other groups is unknown
      const key = o.colocateWith.toLowerCase();
      groupId = [...model.groups.values()].find((g) => g.colocatedWithUnknown === key)?.id ?? newGroup({ kind: 'hash', shardCount, distributionColumnType: type, replicationFactor: model.replicationFactor, colocatedWithUnknown: key });
    } else groupId = newGroup({ kind: 'hash', shardCount, distributionColumnType: type, replicationFactor: model.replicationFactor });
  }
  return { kind: 'hash', distributionColumn: column, colocationId: groupId, shardCount };
}

/** citus.enable_unsafe_triggers, which lets triggers on Citus tables through. */
function unsafeTriggers(model: SchemaModel): boolean {
  return parsePgBool(model.settings.get('citus.enable_unsafe_triggers') ?? 'off') === true;
}

/**
 * ErrorOutForTriggerIfNotSupported: a trigger on a distributed or reference table (not a citus-local one). Citus checks
 * it while it propagates the DDL: not with citus.enable_ddl_propagation off (Citus' regression file
 * citus_table_triggers.sql, recorded).
 */
function triggerRefusal(table: TableModel, model: SchemaModel): string | undefined {
  if (table.kindUncertain || unsafeTriggers(model) || !isCitusTable(table) || table.kind === 'citus_local') return undefined;
  if (model.settings.get('citus.enable_ddl_propagation') === 'off') return undefined;
  return `triggers are not supported on ${table.kind === 'reference' ? 'reference' : 'distributed'} tables`;
}

/** A column of `table` whose default draws from `sequence` (`schema.name`) with nextval(): a serial or DEFAULT nextval(..) column. */
interface SequenceDefault {
  column: string;
  type: string | undefined;
  sequence: string;
}

/** The columns of a table whose DEFAULT calls nextval() of a sequence the model is sure of (not an identity column's). */
function sequenceDefaults(table: TableModel): SequenceDefault[] {
  return table.columns.filter((c) => c.defaultKind === 'sequence' && c.sequence).map((c) => ({ column: c.name, type: c.type, sequence: c.sequence! }));
}

/** The DEFAULT nextval(..) an ALTER TABLE gives a column: SET DEFAULT of a column, or ADD COLUMN with its DEFAULT. */
function newSequenceDefaults(table: TableModel, alter: PgNode, ctx: DdlContext): SequenceDefault[] {
  const out: SequenceDefault[] = [];
  for (const c of alter.cmds ?? []) {
    const cmd = c.AlterTableCmd;
    if (cmd?.subtype === 'AT_ColumnDefault' && cmd.def) {
      const sequence = nextvalSequence(cmd.def, ctx);
      const column = findColumn(table, cmd.name);
      if (sequence && column) out.push({ column: column.name, type: column.type, sequence });
    } else if (cmd?.subtype === 'AT_AddColumn' && cmd.def?.ColumnDef) {
      const def = cmd.def.ColumnDef;
      const expr = (def.constraints ?? []).find((k: PgNode) => k.Constraint?.contype === 'CONSTR_DEFAULT')?.Constraint?.raw_expr;
      const sequence = expr ? nextvalSequence(expr, ctx) : undefined;
      if (sequence && def.colname && def.typeName) out.push({ column: def.colname, type: typeNameOf(def.typeName), sequence });
    }
  }
  return out;
}

/**
 * EnsureSequenceTypeSupported (commands/create_distributed_table.c), when a table becomes a Citus table or an ALTER TABLE
 * gives a Citus table's column a DEFAULT nextval(..): a sequence another column of a Citus table (or of the table
 * itself) draws from must feed columns of one type (checked on Citus 13.2.2: `The sequence public.s is already used for
 * a different type in column 2 of the table public.t`). Citus names the first column it finds (pg_depend's order: the
 * order the defaults were made, the model's order of tables and columns); said only when the model knows that column's
 * number (its table had no column added or dropped after CREATE TABLE), for built-in types, for tables whose kinds the
 * model is sure of, and not when the table's own defaults of one sequence disagree (which of them Citus checks first
 * the model cannot tell).
 */
function sequenceTypeRefusal(table: TableModel, defaults: readonly SequenceDefault[], model: SchemaModel): { message: string } | undefined {
  if (!defaults.length || model.opaqueCitusCalls) return undefined;
  for (const d of defaults) {
    const type = knownBuiltinType(d.type);
    if (!type) continue;
    // (the table's own columns of this sequence, the new defaults among them: of one type, or nothing is said)
    if (defaults.some((e) => e.sequence === d.sequence && knownBuiltinType(e.type) !== type)) return undefined;
    for (const other of model.tables.values()) {
      if (other !== table && (!isCitusTable(other) || other.kindUncertain)) continue;
      const at = other.columns.findIndex((c) => !(other === table && defaults.some((e) => e.column === c.name)) && c.defaultKind === 'sequence' && c.sequence === d.sequence);
      if (at < 0) continue;
      const theirs = knownBuiltinType(other.columns[at].type);
      // (the first column of the sequence decides: a type the model does not know, or a column number it cannot vouch for)
      if (theirs === undefined || (theirs !== type && (other.columnsTouched?.length || other.columnsIncomplete || other.catalog))) return undefined;
      if (theirs === type) continue;
      const [schema, name] = d.sequence.split('.');
      return { message: `The sequence ${quoteIdent(schema)}.${quoteIdent(name)} is already used for a different type in column ${at + 1} of the table ${quoteIdent(other.schema)}.${quoteIdent(other.name)}` };
    }
  }
  return undefined;
}

/** EnsureRelationHasNoTriggers: create_distributed_table / create_reference_table of a table with triggers the document made. */
function triggersRefusal(t: TableModel, model: SchemaModel): { message: string; hint: string } | undefined {
  if (!t.triggerNames?.length || unsafeTriggers(model)) return undefined;
  return { message: `cannot distribute relation "${t.name}" because it has triggers`, hint: `Consider dropping all the triggers on "${t.name}" and retry.` };
}

/**
 * What makes Citus refuse a create_distributed_table call before it changes anything (checked on Citus 13.2.2): the
 * column name, taken as written (not folded, quotes included), is none of the table's; colocate_with a table together
 * with shard_count; and colocate_with a table Citus cannot colocate with, in EnsureTableCanBeColocatedWith's order
 * (colocation_utils.c): a plain table ("is not distributed"), an append, range or citus-local table, a reference table
 * (its replication model differs from a single-shard table's; it has no distribution column for a hash table's), a
 * table whose distribution column has another type (a single-shard table has none). Unknown columns, types or colocate_with tables are given the benefit of the doubt, and
 * so are kinds the model cannot vouch for. (A table that is a Citus table already is refused too, but a procedure or a
 * function the model cannot see may have re-created it.)
 */
function distributionRefusal(t: TableModel, column: string | null | undefined, colocateWith: string | null | undefined, shardCount: string | null | undefined, ctx: DdlContext): { message: string; detail?: string; hint?: string } | undefined {
  const colocate = typeof colocateWith === 'string' ? colocateWith.toLowerCase() : 'default';
  // (the function's own argument check, then CreateCitusTable's: EnsureTableNotDistributed, the column, the colocation)
  if (colocate !== 'default' && colocate !== 'none' && shardCount) return { message: 'Cannot use colocate_with with a table and shard_count at the same time' };
  const kind = relationKindRefusal(t);
  if (kind) return kind;
  const again = alreadyDistributed(t, ctx.model, ctx.session);
  if (again) return again;
  const complete = t.columns.length > 0 && !t.columnsIncomplete && !t.catalog;
  if (typeof column === 'string' && complete && !findColumn(t, column)) return { message: `column "${column}" of relation "${t.name}" does not exist` };
  const triggers = triggersRefusal(t, ctx.model);
  if (triggers) return triggers;
  if (colocate === 'default' || colocate === 'none') return multiLevelRefusal(t, ctx.model);
  const other = resolveRegclass(colocateWith as string, ctx.model, ctx.session.searchPath);
  if (!other) return undefined; // (a table the model does not know may exist)
  if (other.kindUncertain || ctx.model.opaqueCitusCalls) return undefined;
  if (other.kind === 'local' && !other.catalog) return { message: `relation ${other.name} is not distributed` };
  if (other.kind === 'append' || other.kind === 'range' || other.kind === 'citus_local') {
    return { message: 'cannot distribute relation', detail: 'Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.' };
  }
  const cannot = `cannot colocate tables ${other.name} and ${t.name}`;
  // (measured: a single-shard table's replication model differs from a reference table's, a hash table's does not, and
  // then the reference table's lack of a distribution column differs from its column's type)
  if (other.kind === 'reference') {
    return { message: cannot, detail: column === null ? `Replication models don't match for ${other.name} and ${t.name}.` : `Distribution column types don't match for ${other.name} and ${t.name}.` };
  }
  if (other.kind !== 'hash' && other.kind !== 'single_shard') return undefined;
  // a single-shard table (column NULL) has no distribution column: its "type" matches only another single-shard table's
  const typesDiffer = (): boolean => {
    if (column === null || other.kind === 'single_shard') return (column === null) !== (other.kind === 'single_shard');
    if (typeof column !== 'string') return false;
    // (types compared only when both are built-in types the model knows: a domain or another type may still match)
    const mine = knownBuiltinType(findColumn(t, column)?.type);
    const theirs = other.distributionColumn ? knownBuiltinType(findColumn(other, other.distributionColumn)?.type) : undefined;
    return mine !== undefined && theirs !== undefined && mine !== theirs;
  };
  if (typesDiffer()) return { message: cannot, detail: `Distribution column types don't match for ${other.name} and ${t.name}.` };
  return multiLevelRefusal(t, ctx.model);
}

/**
 * EnsureRelationCanBeDistributed's partition checks (checked on Citus 13.2.2): a partition whose parent is a plain
 * table is not distributed on its own (create_distributed_table and create_reference_table alike), and a partitioned
 * table only by hash (or as a single-shard table): not as a reference, append or range table.
 */
function partitionRefusal(t: TableModel, as: 'hash' | 'append' | 'range' | 'reference', model: SchemaModel): { message: string; detail?: string; hint?: string } | undefined {
  const parent = localParent(t, model);
  if (parent) {
    return {
      message: `cannot distribute relation "${t.name}" which is partition of "${parent.name}"`,
      detail: 'Citus does not support distributing partitions if their parent is not distributed table.',
      hint: `Distribute the partitioned table "${parent.name}" instead.`,
    };
  }
  if (t.partitioned && as !== 'hash') return { message: 'distributing partitioned tables in only supported for hash-distributed tables' };
  return undefined;
}

/**
 * EnsureCitusTableCanBeCreated's checks of the relation (create_distributed_table, create_reference_table, checked on
 * Citus 13.2.2): ErrorIfTemporaryTable, then EnsureRelationKindSupported (a view or a materialized view is no table).
 */
function relationKindRefusal(t: TableModel): { message: string } | undefined {
  if (t.temporary) return { message: 'cannot distribute a temporary table' };
  if (t.kind === 'view' || t.kind === 'matview') return { message: `${t.name} is not a regular, foreign or partitioned table` };
  return undefined;
}

/** The parent of a partition, when the model is sure it is a plain PostgreSQL table. */
function localParent(t: TableModel, model: SchemaModel): TableModel | undefined {
  if (model.opaqueCitusCalls) return undefined;
  const parent = model.parentOf(t);
  return parent && parent.kind === 'local' && !parent.kindUncertain && !parent.catalog ? parent : undefined;
}

/**
 * CreateDistributedTable of a partition that is partitioned itself, as Citus distributes a partitioned table's
 * partitions after it (checked on Citus 13.2.2): `distributing multi-level partitioned tables is not supported`.
 */
function multiLevelRefusal(t: TableModel, model: SchemaModel): { message: string; detail: string } | undefined {
  if (!t.partitioned || t.partitionsIncomplete) return undefined;
  const sub = model.partitionsOf(t).find((p) => p.partitioned);
  if (!sub) return undefined;
  return { message: 'distributing multi-level partitioned tables is not supported', detail: `Relation "${sub.name}" is partitioned table itself and it is also partition of relation "${t.name}".` };
}

/**
 * EnsureTableNotDistributed / EnsureDistributableTable: a table this document surely made a Citus table (other than
 * citus-local, which create_distributed_table and create_reference_table convert) and that is still one. Not a table
 * of the base model (the workspace's setup script may have run on the cluster the model was read from), nor one
 * whose kind the model cannot vouch for.
 */
export function alreadyDistributed(t: TableModel, model: SchemaModel, session: SessionState): { message: string } | undefined {
  if (!session.distributed?.has(qualifiedName(t.schema, t.name))) return undefined;
  if (t.kind === 'local' || t.kind === 'citus_local' || t.kind === 'view' || t.kind === 'matview' || t.kindUncertain || model.opaqueCitusCalls) return undefined;
  return { message: `table "${t.name}" is already distributed` };
}

/**
 * isolate_tenant_to_new_shard's first checks (operations/isolate_shards.c): a table that is not hash-distributed, or one
 * with colocated tables without the CASCADE option. Only for tables this document surely distributed (as
 * alreadyDistributed), counting the colocated tables it surely distributed too; the tenant value must be a literal
 * (Citus' HINT quotes it).
 */
function isolateTenantRefusal(t: TableModel, args: CallArgs, ctx: DdlContext): { message: string; hint?: string } | undefined {
  const sure = (x: TableModel): boolean => !!ctx.session.distributed?.has(qualifiedName(x.schema, x.name)) && !x.kindUncertain;
  if (ctx.model.opaqueCitusCalls) return undefined;
  if (sure(t) && (t.kind === 'reference' || t.kind === 'single_shard' || t.kind === 'append' || t.kind === 'range')) {
    return { message: 'cannot isolate tenant because tenant isolation is only support for hash distributed tables' };
  }
  // (a hash table this document distributed by a call the model applied, also with colocate_with another table or
  // foreign keys that session.distributed leaves out; not one whose kind a foreign key's conversion may have changed)
  const distributedHere = (x: TableModel): boolean => sure(x) || (x.distributedAt?.source === ctx.source && !x.kindUncertain);
  if (t.kind !== 'hash' || t.colocationId === undefined || !distributedHere(t)) return undefined;
  const tenant = arg(args, 'tenant_id', 1);
  // the option as written: absent is '' (the default); anything but a literal is not known
  const given = args.named.has('cascade_option') || args.positional.length > 2;
  const cascade = given ? arg(args, 'cascade_option', 2) : '';
  if (typeof tenant !== 'string' || typeof cascade !== 'string' || cascade.toUpperCase() === 'CASCADE') return undefined;
  const colocated = [...ctx.model.tables.values()].filter((x) => x.kind === 'hash' && x.colocationId === t.colocationId && distributedHere(x));
  if (colocated.length < 2) return undefined;
  return {
    message: `cannot isolate tenant because "${t.name}" has colocated tables`,
    hint: `Use CASCADE option to isolate tenants for the colocated tables too. Example usage: isolate_tenant_to_new_shard('${t.name}', '${tenant}', 'CASCADE')`,
  };
}

/** Distribution column types Citus surely hashes (text and varchar only without a COLLATE clause, see noteDistributed). */
const SURELY_HASHED = new Set(['integer', 'bigint', 'smallint', 'uuid', 'date', 'timestamp without time zone', 'timestamp with time zone', 'boolean', 'text', 'character varying']);

/**
 * Records a create_distributed_table / create_reference_table that surely ran (see SessionState.distributed): a call
 * that surely runs, on a table the file surely created with a plain definition and did not change since (ALTER TABLE,
 * a trigger or a rule may add what Citus refuses), without foreign keys, hash-distributed by a column of a type Citus
 * surely hashes (or a reference table), with no other argument. Citus refuses calls for more reasons than the model
 * checks (Citus' regression files make many of them fail on purpose): any other call may not have run, and a second
 * call on its table is not reported.
 */
function noteDistributed(t: TableModel, ctx: DdlContext, args?: CallArgs): void {
  const key = qualifiedName(t.schema, t.name);
  ctx.session.distributed?.delete(key);
  if (ctx.unsure || !ctx.session.created?.has(key) || t.alteredAfterCreate || t.partitioned || t.partitionParent || t.columnsIncomplete) return;
  if (t.foreignKeysTo?.length || t.foreignKeysUncertain || referencedBy(t, ctx.model)) return;
  if (args) {
    const given = new Set([...args.named.keys(), ...args.positional.flatMap((_, k) => [['table_name', 'distribution_column', 'distribution_type', 'colocate_with', 'shard_count'][k]])]);
    if ([...given].some((n) => n !== 'table_name' && n !== 'distribution_column' && n !== 'colocate_with')) return;
    const colocate = arg(args, 'colocate_with', 3);
    if (colocate !== undefined && (typeof colocate !== 'string' || !['default', 'none'].includes(colocate.toLowerCase()))) return;
    const column = arg(args, 'distribution_column', 1);
    if (column === null) {
      // ("could not create single shard table" when citus.shard_replication_factor > 1: only a value the file SET or
      // the cluster's declared settings give is known; a database may set it otherwise)
      if (ctx.model.replicationFactor !== 1 || !ctx.model.settings.has('citus.shard_replication_factor')) return;
    } else {
      const col = typeof column === 'string' ? findColumn(t, column) : undefined;
      // (text without COLLATE has the database's collation, deterministic; numeric is not listed: one with a negative
      // scale is refused, which pg15.sql of Citus' regression files calls first)
      if (!col || col.collated || col.domain || !SURELY_HASHED.has(col.type)) return;
    }
  }
  ctx.session.distributed?.add(key);
}

/**
 * What makes Citus refuse alter_distributed_table before it changes anything, in AlterDistributedTable's order
 * (commands/alter_table.c of Citus 13.2.2): a table that is not distributed, a partition, one not hash-distributed;
 * then CheckAlterDistributedTableConversionParameters: no parameter, colocate_with a table that is not distributed or
 * has a single shard, shard_count 0, what cascade_to_colocated cannot cascade, a call that changes nothing, and a new
 * shard count for a table colocated with others without cascade_to_colocated. Not when an argument is not a constant,
 * nor for tables whose kind the model cannot vouch for (a body that calls Citus, keys it is not sure of), nor for the
 * checks Citus makes in between that the model does not (distributed schemas, foreign tables, foreign-key cascades).
 */
function alterDistributedTableRefusal(t: TableModel, args: CallArgs, ctx: DdlContext): { message: string; detail?: string; hint?: string } | undefined {
  const model = ctx.model;
  if (t.kindUncertain || model.opaqueCitusCalls || model.distributedSchemas.has(t.schema)) return undefined;
  const NAMES = ['table_name', 'distribution_column', 'shard_count', 'colocate_with', 'cascade_to_colocated'];
  // (an argument given but not a constant: the model cannot tell)
  for (const [k, name] of NAMES.entries()) if ((args.named.has(name) || args.positional.length > k) && arg(args, name, k) === undefined) return undefined;
  if (t.kind === 'local' || t.kind === 'citus_local' || t.kind === 'reference') return { message: 'cannot alter table because the table is not distributed' };
  if (t.kind === 'view' || t.kind === 'matview') return undefined;
  const column = arg(args, 'distribution_column', 1) ?? undefined;
  const shardCount = arg(args, 'shard_count', 2) ?? undefined;
  const colocateWith = arg(args, 'colocate_with', 3) ?? undefined;
  const cascadeText = arg(args, 'cascade_to_colocated', 4);
  const cascade = cascadeText === undefined || cascadeText === null ? undefined : parsePgBool(cascadeText);
  const colocateWithOther = colocateWith !== undefined && !['default', 'none'].includes(colocateWith.toLowerCase());
  if (colocateWithOther && model.distributedSchemas.size) return undefined; // (ErrorIfColocateWithTenantTable)
  if (t.partitionParent) {
    const parent = t.partitionParent.split('.').pop();
    return { message: 'cannot complete operation because table is a partition', hint: `the parent table is "${parent}"` };
  }
  if (t.kind !== 'hash') return { message: `relation ${t.name} should be a hash distributed table` };
  // (ErrorIfUnsupportedCascadeObjects: foreign keys it cannot cascade along come first)
  if (t.foreignKeys?.length || t.foreignKeysTo?.length || referencedBy(t, model)) return undefined;
  if (column === undefined && shardCount === undefined && colocateWith === undefined && cascade !== true) {
    return { message: 'you have to specify at least one of the distribution_column, shard_count or colocate_with parameters' };
  }
  let sameColocateWith = false;
  let other: TableModel | undefined;
  if (colocateWithOther) {
    other = resolveRegclass(colocateWith, model, ctx.session.searchPath);
    if (!other || other.kindUncertain) return undefined;
    sameColocateWith = other.colocationId !== undefined && other.colocationId === t.colocationId;
    if (other.kind === 'local' || other.kind === 'citus_local' || other.kind === 'reference') return { message: `cannot colocate with ${colocateWith} because it is not a distributed table` };
    if (other.kind === 'single_shard') return { message: `cannot colocate with ${colocateWith} because it is a single shard distributed table` };
    if (other.kind !== 'hash') return undefined;
  }
  const shards = shardCount === undefined ? undefined : Number(shardCount);
  if (shards === 0) return { message: 'shard_count cannot be 0', hint: 'if you no longer want this to be a distributed table you can try undistribute_table() function' };
  if (cascade === true && column !== undefined) return { message: 'distribution_column cannot be cascaded to colocated tables' };
  if (cascade === true && shardCount === undefined && colocateWith === undefined) return { message: 'shard_count or colocate_with is necessary for cascading to colocated tables' };
  // (the shard count compared only when the model knows the table's: with the cluster's default shard count declared,
  // by the project's config, a snapshot or the connected cluster; else a table distributed with the default may have
  // another count than the model's 32)
  const shardCountKnown = shards === undefined || (t.shardCount !== undefined && model.clusterSettings.has('citus.shard_count'));
  const sameShardCount = shards !== undefined && shardCountKnown && shards === t.shardCount;
  if (shardCountKnown && (column === undefined || column === t.distributionColumn) && (shards === undefined || sameShardCount) && (colocateWith === undefined || sameColocateWith)) {
    return { message: "this call doesn't change any properties of the table", hint: 'check citus_tables view to see current properties of the table' };
  }
  if (cascade === true && colocateWith?.toLowerCase() === 'none') return { message: "colocate_with := 'none' cannot be cascaded to colocated tables" };
  const colocated = t.colocationId ? [...model.tables.values()].some((o) => o !== t && o.colocationId === t.colocationId && !o.partitionParent && o.kind === 'hash') : false;
  if (colocated && shards !== undefined && shardCountKnown && !sameShardCount && cascade === undefined) {
    return {
      message: 'cascade_to_colocated parameter is necessary',
      detail: 'this table is colocated with some other tables',
      hint: 'cascade_to_colocated := false will break the current colocation, cascade_to_colocated := true will change the shard count of colocated tables too.',
    };
  }
  if (other && colocateWith !== undefined) {
    if (shards !== undefined && shardCountKnown && other.shardCount !== undefined && shards !== other.shardCount) {
      return { message: 'shard_count cannot be different than the shard count of the table in colocate_with', hint: "if no shard_count is specified shard count will be same with colocate_with table's" };
    }
    // (types compared only when both are built-in types the model knows)
    const theirs = other.distributionColumn ? knownBuiltinType(findColumn(other, other.distributionColumn)?.type) : undefined;
    const mine = knownBuiltinType(findColumn(t, column ?? t.distributionColumn ?? '')?.type);
    if (theirs !== undefined && mine !== undefined && theirs !== mine) {
      return column !== undefined
        ? { message: `cannot colocate with ${colocateWith} and change distribution column to ${column} because data type of column ${column} is different then the distribution column of the ${colocateWith}` }
        : { message: `cannot colocate with ${colocateWith} because data type of its distribution column is different than ${t.name}` };
    }
  }
  return identityConversionRefusal(t);
}

/**
 * ConvertTable (commands/alter_table.c): alter_distributed_table, undistribute_table and alter_table_set_access_method
 * build the table anew, and refuse one with an identity column, whose sequence's state Citus could not carry over
 * (ErrorIfTableHasIdentityColumn; checked on Citus 13.2.2: GENERATED ALWAYS and BY DEFAULT, of distributed,
 * reference and plain tables; a serial column is no identity column).
 */
function identityConversionRefusal(t: TableModel): { message: string } | undefined {
  if (t.columnsIncomplete || !t.columns.some((c) => c.defaultKind === 'identity')) return undefined;
  return { message: 'cannot complete operation on a table with identity column' };
}

/** Records a table access method (heap, the default, is recorded as none). */
function setAccessMethod(table: TableModel, method: string | undefined): void {
  const m = method?.toLowerCase();
  table.accessMethod = m && m !== 'heap' ? m : undefined;
}

function setKind(
  model: SchemaModel,
  t: TableModel,
  d: Pick<TableModel, 'kind' | 'distributionColumn' | 'colocationId' | 'shardCount'>,
  location: SourceLocation,
): void {
  for (const target of [t, ...model.partitionsOf(t)]) {
    target.kind = d.kind;
    target.distributionColumn = d.distributionColumn;
    target.colocationId = d.colocationId;
    target.shardCount = d.shardCount;
    target.distributedAt = location;
  }
}

function setGroup(model: SchemaModel, t: TableModel, groupId: number): void {
  for (const target of [t, ...model.partitionsOf(t)]) target.colocationId = groupId;
}

function distributeSchema(model: SchemaModel, schema: string): void {
  const group = model.newGroup({ kind: 'single_shard', shardCount: 1 });
  model.distributedSchemas.set(schema, group.id);
  for (const t of model.tables.values()) {
    if (t.schema === schema && (t.kind === 'local' || t.kind === 'citus_local')) {
      t.kind = 'single_shard';
      t.colocationId = group.id;
      t.shardCount = 1;
      t.distributionColumn = undefined;
    }
  }
}
