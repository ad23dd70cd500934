/**
 * Citus' relation access tracking inside a transaction block (transaction/relation_access_tracking.c), for foreign
 * keys from distributed tables to reference tables: once a transaction has run a statement over several shards in
 * parallel, a modification of a reference (or citus-local) table that such tables reference fails, and a
 * modification of it before any parallel statement switches the rest of the transaction to sequential execution.
 *
 * After DDL that runs over a distributed table's shards in parallel (ALTER TABLE .. ADD COLUMN, CREATE INDEX), even a
 * read of a table it references is refused; DDL on the referenced table after a parallel access to such a table is too.
 *
 * The tracker follows a file's transaction blocks statement by statement and knows only what it can be sure of: a
 * statement whose accesses it cannot tell (other DDL, COPY, a function of the user's, a plan through the coordinator, an
 * INSERT..SELECT that is not pushed down, MERGE) ends what it knows for the rest of the block, and it then says
 * nothing. A statement that fails aborts the block until ROLLBACK [TO SAVEPOINT]. Outside BEGIN .. COMMIT Citus records
 * nothing, but for a statement's own data-modifying CTEs (one coordinated transaction).
 */
import { functionName, nameList, stringValue, walk, type PgNode } from '../parse/ast';
import { parsePgBool } from '../schema/settings';
import type { ParsedStatement } from '../parse/document';
import { qualifiedName, type SchemaModel, type TableModel } from '../schema/model';
import { builtins } from '../semantic/catalog';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage, StatementResult } from '../types';
import { DML_EXPLANATIONS } from './dml-messages';
import { predictDml } from './dml';
import type { SessionState } from '../schema/ddl';

const RULE_ID = 'reference-table-after-parallel-access';

const HINT = `Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;

interface BlockState {
  /** a statement ran as several tasks in parallel (ParallelQueryExecutedInTransaction) */
  parallelRan: boolean;
  /** hash-distributed tables modified in parallel (`schema.name`; a partitioned table's parent) */
  parallelDml: Set<string>;
  /** hash-distributed tables altered in parallel (ALTER TABLE .. ADD COLUMN, CREATE INDEX: one task per shard) */
  parallelDdl: Set<string>;
  /** hash-distributed tables a statement of several tasks read (or modified: a modification's tasks record both) */
  parallelSelect: Set<string>;
  /** reference and citus-local tables this block modified */
  nonDistModified: Set<string>;
  /** Citus switched the block to sequential execution (SetLocalMultiShardModifyModeToSequential) */
  sequential: boolean;
  /** a statement failed: the block is aborted until ROLLBACK [TO SAVEPOINT] */
  failed: boolean;
  /** open savepoints, with the switch to sequential as it was when each was set (a SET LOCAL that ROLLBACK TO undoes) */
  savepoints: { name: string; sequential: boolean }[];
}

export class RelationAccessTracker {
  /** undefined: outside a transaction block, or the tracker no longer knows the block's accesses */
  private block: BlockState | undefined;
  private inBlockNow = false;

  /** Inside BEGIN .. COMMIT (as this tracker saw the transaction statements). */
  get inBlock(): boolean {
    return this.inBlockNow;
  }

  /** psql's `\c`: a new session, outside any block. */
  reset(): void {
    this.block = undefined;
    this.inBlockNow = false;
  }

  /**
   * One top-level statement, after its analysis: the finding Citus' error for it when the block's earlier accesses
   * make Citus refuse it, and the block's state updated with its accesses.
   */
  step(stmt: ParsedStatement, result: StatementResult, model: SchemaModel, session: SessionState): PlannerFinding | undefined {
    const ast = stmt.ast;
    if (!ast) return undefined;
    const tx = ast.TransactionStmt;
    if (tx) {
      this.transaction(tx);
      return undefined;
    }
    if (model.settings.get('citus.enforce_foreign_key_restrictions') === 'off') return undefined;
    // a statement that fails aborts the block (what it did is not known: a planning error did nothing, an executor's
    // error may have run tasks); outside a block it leaves nothing behind
    if (stmt.parentIndex === undefined && (result.outcome === 'error' || result.prediction.method === 'error')) {
      if (this.block) this.block.failed = true;
      return undefined;
    }
    const searchPath = session.searchPath;
    const modify = ast.UpdateStmt ?? ast.DeleteStmt ?? ast.InsertStmt;
    const ctes = stmt.parentIndex === undefined && (modify || ast.SelectStmt) ? modifyingCtes(modify ?? ast.SelectStmt) : [];
    // a statement with data-modifying CTEs runs them first, in a coordinated transaction that records accesses inside
    // a block or not (ShouldRecordRelationAccess)
    if (ctes.length) {
      const block = this.block ?? newBlock();
      if (block.failed) return undefined;
      const out = this.withCtes(stmt, ast, modify, ctes, block, model, session);
      if (out === 'lose') return this.lose();
      return out;
    }
    const block = this.block;
    if (!block || block.failed) return undefined;
    if (ast.VariableSetStmt || ast.VariableShowStmt || (ast.ExplainStmt && !explainAnalyze(ast.ExplainStmt))) return undefined;
    // DDL on a distributed table that Citus runs over its shards in parallel (the only DDL followed)
    const altered = stmt.parentIndex === undefined ? followedDdlTable(ast, model, searchPath) : undefined;
    if (altered) {
      if (altered.kind === 'hash') return this.ddl(altered, block, model);
      if (altered.kind === 'reference' || altered.kind === 'citus_local') {
        const out = this.ddlOnReference(stmt, altered, block, model);
        return out === 'lose' ? this.lose() : out;
      }
      // (a plain table's DDL is no Citus access)
      if (altered.kind === 'local' && !altered.kindUncertain) return undefined;
      return this.lose();
    }
    // (SELECT .. FOR UPDATE locks rows the way a modification does: not followed)
    if (!(modify || (ast.SelectStmt && !ast.SelectStmt.lockingClause)) || result.kind === 'ddl' || stmt.parentIndex !== undefined || !this.plainCalls(ast, model)) return this.lose();
    const target = modify?.relation ? model.resolve(modify.relation.schemaname, modify.relation.relname, searchPath) : undefined;
    if (modify && (!target || target.kind === 'view' || target.rowHooks)) return this.lose();
    // a reference or citus-local table read or modified after a parallel DDL on a distributed table referencing it
    if (block.parallelDdl.size) {
      const out = this.afterParallelDdl(stmt, ast, target, block, model, searchPath);
      if (out === 'lose') return this.lose();
      if (out) return out;
    }
    // how many tasks: an INSERT..SELECT pushed down runs one per target shard (one left is Citus' router plan); one
    // repartitioned or pulled runs its SELECT and its INSERT as separate steps, not followed
    let tasks: Tasks | undefined;
    if (result.kind === 'insert_select') {
      const method = result.prediction.method;
      if (method === 'router') tasks = 'one';
      else if (method === 'pushdown' && target?.kind === 'hash' && (target.shardCount ?? 0) >= 2) tasks = 'several';
      // a reference table filled through the coordinator from a SELECT of no distributed table: Citus' COPY into it is
      // its one access (multi_copy.c)
      else if (method === 'pull_to_coordinator' && target && (target.kind === 'reference' || target.kind === 'citus_local') && readsNoDistributedTable(ast.InsertStmt.selectStmt, model, searchPath)) tasks = 'one';
    } else tasks = tasksOf(result.outcome, result.shardCount, result.shardCountUpperBound, !!ast.InsertStmt);
    if (!tasks) return this.lose();
    const out = this.access(stmt, ast, target, tasks, block, model, searchPath);
    return out === 'lose' ? this.lose() : out;
  }

  /**
   * A statement with data-modifying CTEs: each CTE, in order, as a statement of its own (its outcome predicted on its
   * own), then the rest of the statement when it modifies a reference or citus-local table, or reads no distributed
   * table. Anything else is not followed.
   */
  private withCtes(stmt: ParsedStatement, ast: PgNode, modify: PgNode | undefined, ctes: PgNode[], block: BlockState, model: SchemaModel, session: SessionState): PlannerFinding | 'lose' | undefined {
    const searchPath = session.searchPath;
    if (!this.plainCalls(ast, model, true)) return 'lose';
    for (const cte of ctes) {
      const q = cte.ctequery;
      const m = q.UpdateStmt ?? q.DeleteStmt ?? (q.InsertStmt?.selectStmt?.SelectStmt?.valuesLists && !q.InsertStmt.withClause ? q.InsertStmt : undefined);
      const target = m?.relation ? model.resolve(m.relation.schemaname, m.relation.relname, searchPath) : undefined;
      if (!m || !target || target.kind === 'view' || target.rowHooks || m.withClause) return 'lose';
      const own = predictDml({ ...stmt, ast: q, parentIndex: undefined }, model, session);
      const tasks = own ? tasksOf(own.outcome, own.shardCount, own.shardCountUpperBound, !!q.InsertStmt) : undefined;
      if (!tasks) return 'lose';
      const out = this.access(stmt, q, target, tasks, block, model, searchPath);
      if (out) return out;
    }
    // the rest: a modification of a non-distributed Citus table is one task; a read of no distributed table records
    // nothing
    const names = new Set(ctes.map((c) => c.ctename as string));
    const kind = ast.UpdateStmt ? 'UpdateStmt' : ast.DeleteStmt ? 'DeleteStmt' : ast.InsertStmt ? 'InsertStmt' : 'SelectStmt';
    const target = modify?.relation ? model.resolve(modify.relation.schemaname, modify.relation.relname, searchPath) : undefined;
    if (modify && (!target || target.rowHooks || (target.kind !== 'reference' && target.kind !== 'citus_local'))) return 'lose';
    if (!readsNoDistributedTable({ [kind]: { ...ast[kind], withClause: undefined, relation: undefined } }, model, searchPath, names)) return 'lose';
    return modify ? this.access(stmt, ast, target, 'one', block, model, searchPath) : undefined;
  }

  /**
   * One access to the block: a statement of several tasks records its parallel accesses; a modification of a reference
   * or citus-local table is checked against them (CheckConflictingRelationAccesses).
   */
  private access(stmt: ParsedStatement, ast: PgNode, target: TableModel | undefined, tasks: Tasks, block: BlockState, model: SchemaModel, searchPath: readonly string[]): PlannerFinding | 'lose' | undefined {
    if (tasks === 'several') {
      // RecordParallelRelationAccessForTaskList: two tasks or more, in parallel mode, with a pool of two connections
      // or more
      if (!this.sequential(model, block)) {
        if (!poolAllowsParallel(model)) return 'lose';
        // CheckConflictingParallelRelationAccesses: a table referencing one this block modified switches the block
        // to sequential (or fails): not followed
        if (this.readsReferencing(ast, target, model, searchPath, block)) return 'lose';
        block.parallelRan = true;
        if (target && target.kind === 'hash') block.parallelDml.add(parentKey(target));
        // (every relation of the tasks gets a parallel SELECT access, a modification's target too)
        if (target && target.kind === 'hash') block.parallelSelect.add(parentKey(target, model));
        walk(ast, (type, fields) => {
          if (type === 'RangeVar') {
            const t = model.resolve(fields.schemaname, fields.relname, searchPath);
            if (t?.kind === 'hash') block.parallelSelect.add(parentKey(t, model));
          }
          return undefined;
        });
      }
      return undefined;
    }
    if (!target || (target.kind !== 'reference' && target.kind !== 'citus_local')) return undefined;
    // RecordRelationAccessIfNonDistTable -> CheckConflictingRelationAccesses, for the DML access to the target
    const key = qualifiedName(target.schema, target.name);
    const referencing = referencingTables(target, model);
    block.nonDistModified.add(key);
    if (!referencing.length) return undefined;
    const conflicting = referencing.find((t) => t.kind === 'hash' && block.parallelDml.has(parentKey(t, model)));
    if (conflicting) {
      const d = conflicting.partitionParent ? model.tables.get(conflicting.partitionParent) ?? conflicting : conflicting;
      return this.refused(stmt, block, {
        level: 'ERROR',
        message: `cannot execute DML on table "${target.name}" because there was a parallel DML access to distributed table "${d.name}" in the same transaction`,
        hint: HINT,
      }, `${target.name} is referenced by ${d.name}, which this transaction modified over several shards in parallel`);
    }
    return this.modifiedAfterNoConflict(stmt, target, block);
  }

  /**
   * A modification (or DDL) of a referenced reference or citus-local table that no parallel access conflicts with: refused
   * after any parallel statement, else the block switches to sequential ("switching to sequential query execution mode").
   */
  private modifiedAfterNoConflict(stmt: ParsedStatement, t: TableModel, block: BlockState): PlannerFinding | undefined {
    if (block.parallelRan) {
      return this.refused(stmt, block, {
        level: 'ERROR',
        message: `cannot modify table "${t.name}" because there was a parallel operation on a distributed table`,
        detail: 'When there is a foreign key to a reference table or to a local table, Citus needs to perform all operations over a single connection per node to ensure consistency.',
        hint: HINT,
      }, `${t.name} has foreign keys pointing to it, and this transaction already ran a statement over several shards in parallel`);
    }
    block.sequential = true;
    return undefined;
  }

  /**
   * ALTER TABLE .. ADD COLUMN or CREATE INDEX on a hash-distributed table (the caller's): one task per shard, in parallel unless the
   * block runs sequentially (RecordParallelDDLAccess). A table whose shard count, kind or partitions the model cannot
   * vouch for, or that references a table this block modified (CheckConflictingParallelRelationAccesses), is not
   * followed.
   */
  private ddl(t: TableModel, block: BlockState, model: SchemaModel): undefined {
    if (t.kindUncertain || t.partitioned || t.partitionParent || t.foreignKeysUncertain || !((t.shardCount ?? 0) >= 2)) return this.lose();
    if (this.sequential(model, block)) return undefined;
    if (!poolAllowsParallel(model)) return this.lose();
    if (referencedKeys(t, model).some((k) => block.nonDistModified.has(k))) return this.lose();
    block.parallelDdl.add(qualifiedName(t.schema, t.name));
    block.parallelRan = true;
    return undefined;
  }

  /**
   * DDL on a reference or citus-local table (CheckConflictingRelationAccesses for a DDL access): refused after a
   * parallel SELECT, DML or DDL access to a hash-distributed table that references it (Citus names the last of those it
   * finds, in that order), then, as a modification is, after any parallel statement; otherwise the block switches to
   * sequential.
   */
  private ddlOnReference(stmt: ParsedStatement, t: TableModel, block: BlockState, model: SchemaModel): PlannerFinding | 'lose' | undefined {
    if (t.kindUncertain || t.foreignKeysUncertain) return 'lose';
    const referencing = referencingTables(t, model);
    if (!referencing.length) return undefined;
    for (const r of referencing) {
      if (r.kind !== 'hash') continue;
      const key = parentKey(r, model);
      let mode: string | undefined;
      if (block.parallelSelect.has(key)) mode = 'SELECT';
      if (block.parallelDml.has(key)) mode = 'DML';
      if (block.parallelDdl.has(qualifiedName(r.schema, r.name))) mode = 'DDL';
      if (!mode) continue;
      const d = r.partitionParent ? (model.tables.get(r.partitionParent) ?? r) : r;
      return this.refused(stmt, block, {
        level: 'ERROR',
        message: `cannot execute DDL on table "${t.name}" because there was a parallel ${mode} access to distributed table "${d.name}" in the same transaction`,
        hint: HINT,
      }, `${t.name} is referenced by ${d.name}, which this transaction used over several shards in parallel`);
    }
    block.nonDistModified.add(qualifiedName(t.schema, t.name));
    return this.modifiedAfterNoConflict(stmt, t, block);
  }

  /**
   * CheckConflictingRelationAccesses for a statement after a parallel DDL: a reference or citus-local table it reads
   * (SELECT access) or modifies (DML access) that a table altered in parallel references is refused. (A modification
   * EXPLAIN planned first in the same transaction is refused as a SELECT: the recorder's EXPLAIN does that, psql does
   * not.) A statement that touches two such tables is not followed.
   */
  private afterParallelDdl(stmt: ParsedStatement, ast: PgNode, target: TableModel | undefined, block: BlockState, model: SchemaModel, searchPath: readonly string[]): PlannerFinding | 'lose' | undefined {
    const conflictOf = (t: TableModel): TableModel | undefined =>
      t.kind === 'reference' || t.kind === 'citus_local' ? referencingTables(t, model).find((r) => r.kind === 'hash' && block.parallelDdl.has(qualifiedName(r.schema, r.name))) : undefined;
    const hits: { table: TableModel; by: TableModel; access: 'SELECT' | 'DML' }[] = [];
    const add = (t: TableModel, access: 'SELECT' | 'DML'): void => {
      if (hits.some((h) => h.table === t)) return;
      const by = conflictOf(t);
      if (by) hits.push({ table: t, by, access });
    };
    if (target) add(target, 'DML');
    walk(ast, (type, fields) => {
      if (type === 'RangeVar') {
        const t = model.resolve(fields.schemaname, fields.relname, searchPath);
        if (t) add(t, 'SELECT');
      }
      return undefined;
    });
    if (!hits.length) return undefined;
    if (hits.length > 1) return 'lose';
    const { table, by, access } = hits[0];
    return this.refused(stmt, block, {
      level: 'ERROR',
      message: `cannot execute ${access} on table "${table.name}" because there was a parallel DDL access to distributed table "${by.name}" in the same transaction`,
      hint: HINT,
    }, `${table.name} is referenced by ${by.name}, whose shards this transaction altered in parallel`);
  }

  private transaction(tx: PgNode): void {
    const block = this.block;
    switch (tx.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        // (BEGIN inside a block is only a warning)
        if (!this.inBlock) this.block = newBlock();
        this.inBlockNow = true;
        break;
      case 'TRANS_STMT_COMMIT':
      case 'TRANS_STMT_ROLLBACK':
      case 'TRANS_STMT_PREPARE':
        this.reset();
        break;
      case 'TRANS_STMT_SAVEPOINT':
        if (block && !block.failed) block.savepoints.push({ name: tx.savepoint_name, sequential: block.sequential });
        break;
      case 'TRANS_STMT_RELEASE': {
        const k = block ? block.savepoints.map((p) => p.name).lastIndexOf(tx.savepoint_name) : -1;
        if (block && k >= 0) block.savepoints.length = k;
        break;
      }
      case 'TRANS_STMT_ROLLBACK_TO': {
        // the accesses stay recorded (Citus resets them only at the end of the transaction); the switch to sequential,
        // a SET LOCAL, is undone with the savepoint, and the block is no longer aborted
        const k = block ? block.savepoints.map((p) => p.name).lastIndexOf(tx.savepoint_name) : -1;
        if (!block || k < 0) {
          this.block = undefined;
          break;
        }
        block.savepoints.length = k + 1;
        block.sequential = block.savepoints[k].sequential;
        block.failed = false;
        break;
      }
    }
  }

  private lose(): undefined {
    this.block = undefined;
    return undefined;
  }

  private sequential(model: SchemaModel, block: BlockState): boolean {
    return block.sequential || model.settings.get('citus.multi_shard_modify_mode') === 'sequential';
  }

  /** The error aborts the block; the refused statement recorded nothing (Citus checks before it records). */
  private refused(stmt: ParsedStatement, block: BlockState, citus: CitusMessage, why: string): PlannerFinding {
    block.failed = true;
    const e = DML_EXPLANATIONS[RULE_ID];
    return {
      rule: RULE_ID,
      citus,
      range: { start: stmt.start, end: stmt.end },
      summary: 'refused after a parallel statement in this transaction',
      message: `${e.headline}: ${citus.message} (${why})`,
      explanation: e.explanation,
      severity: 'error',
    };
  }

  /**
   * Calls only PostgreSQL's own functions (a function of the user's may run statements of its own), and no
   * data-modifying CTE (but at the top level of the statement when `topCtes`).
   */
  private plainCalls(ast: PgNode, model: SchemaModel, topCtes = false): boolean {
    const top = topCtes ? new Set(modifyingCtes(ast.UpdateStmt ?? ast.DeleteStmt ?? ast.InsertStmt ?? ast.SelectStmt)) : undefined;
    let plain = true;
    const catalog = builtins();
    walk(ast, (type, fields) => {
      if (!plain) return false;
      if (type === 'FuncCall') {
        const names = nameList(fields.funcname);
        const name = functionName(fields);
        const schema = names.length > 1 ? names[0].toLowerCase() : undefined;
        if ((schema && schema !== 'pg_catalog') || model.functions.has(name) || !catalog.hasFunction(name)) plain = false;
      } else if (type === 'CommonTableExpr' && fields.ctequery && !fields.ctequery.SelectStmt && !top?.has(fields)) plain = false;
      return undefined;
    });
    return plain;
  }

  /** Whether the statement modifies or reads a Citus table whose foreign keys lead to a table this block modified. */
  private readsReferencing(ast: PgNode, target: TableModel | undefined, model: SchemaModel, searchPath: readonly string[], block: BlockState): boolean {
    if (!block.nonDistModified.size) return false;
    const leads = (t: TableModel): boolean => referencedKeys(t, model).some((k) => block.nonDistModified.has(k));
    if (target && leads(target)) return true;
    // (the target of UPDATE / DELETE is a bare RangeVar, not a wrapped node: read above)
    let found = false;
    walk(ast, (type, fields) => {
      if (found) return false;
      if (type === 'RangeVar') {
        const t = model.resolve(fields.schemaname, fields.relname, searchPath);
        if (t && leads(t)) found = true;
      }
      return undefined;
    });
    return found;
  }
}

type Tasks = 'one' | 'several';

/**
 * RecordParallelRelationAccessForTaskList: several tasks run over several connections per node only with a pool of two
 * connections or more (citus.max_adaptive_executor_pool_size; a pool the model cannot read is not followed).
 */
function poolAllowsParallel(model: SchemaModel): boolean {
  const pool = model.settings.get('citus.max_adaptive_executor_pool_size');
  return pool === undefined || Number(pool) > 1;
}

/**
 * The table of an ALTER TABLE whose subcommands are all ADD COLUMN without a foreign key (SetupExecutionModeForAlterTable
 * keeps those parallel), or of a CREATE INDEX that is neither unique nor concurrent.
 */
function followedDdlTable(ast: PgNode, model: SchemaModel, searchPath: readonly string[]): TableModel | undefined {
  const alter = ast.AlterTableStmt;
  const index = ast.IndexStmt;
  let rv: PgNode | undefined;
  if (alter && alter.objtype === 'OBJECT_TABLE' && alter.cmds?.length) {
    const plainAdd = (c: PgNode): boolean =>
      c.AlterTableCmd?.subtype === 'AT_AddColumn' && !(c.AlterTableCmd.def?.ColumnDef?.constraints ?? []).some((k: PgNode) => k.Constraint?.contype === 'CONSTR_FOREIGN');
    if (alter.cmds.every(plainAdd)) rv = alter.relation;
  } else if (index && !index.unique && !index.primary && !index.concurrent) rv = index.relation;
  if (!rv?.relname) return undefined;
  return model.resolve(rv.schemaname, rv.relname, searchPath);
}

function newBlock(): BlockState {
  return { parallelRan: false, parallelDml: new Set(), parallelDdl: new Set(), parallelSelect: new Set(), nonDistModified: new Set(), sequential: false, failed: false, savepoints: [] };
}

/** How many tasks a statement of this outcome runs, when that is certain (a multi-row INSERT .. VALUES runs sequentially). */
function tasksOf(outcome: string | undefined, shardCount: number | undefined, upperBound: boolean | undefined, insertValues: boolean): Tasks | undefined {
  if (outcome !== 'single_shard' && outcome !== 'multi_shard' && outcome !== 'local') return undefined;
  if (outcome !== 'multi_shard' || insertValues) return 'one';
  if (upperBound || shardCount === undefined) return undefined;
  return shardCount >= 2 ? 'several' : 'one';
}

/** The data-modifying CTEs of a statement's own WITH (not nested ones), in order. */
function modifyingCtes(stmt: PgNode | undefined): PgNode[] {
  const w = stmt?.withClause?.WithClause ?? stmt?.withClause;
  if (!w?.ctes?.length) return [];
  return w.ctes.map((c: PgNode) => c.CommonTableExpr).filter((c: PgNode | undefined) => c?.ctequery && !c.ctequery.SelectStmt);
}

/**
 * Every relation the query reads is a reference, citus-local or plain table the model knows (not a view), or one of
 * `ctes` (the statement's own CTEs).
 */
function readsNoDistributedTable(query: PgNode, model: SchemaModel, searchPath: readonly string[], ctes?: ReadonlySet<string>): boolean {
  let only = true;
  walk(query, (type, fields) => {
    if (!only) return false;
    if (type === 'RangeVar') {
      if (!fields.schemaname && ctes?.has(fields.relname)) return undefined;
      const t = model.resolve(fields.schemaname, fields.relname, searchPath);
      if (!t || (t.kind !== 'reference' && t.kind !== 'citus_local' && t.kind !== 'local')) only = false;
    } else if (type === 'WithClause') only = false;
    return undefined;
  });
  return only;
}

/** EXPLAIN (ANALYZE [true | on | ..]): the statement runs. */
function explainAnalyze(explain: PgNode): boolean {
  return (explain.options ?? []).some((o: PgNode) => {
    if (o.DefElem?.defname !== 'analyze') return false;
    const arg = o.DefElem.arg;
    if (!arg) return true;
    if (arg.Boolean) return !!arg.Boolean.boolval;
    return parsePgBool(arg.Integer ? String(arg.Integer.ival ?? 0) : (stringValue(arg) ?? '')) !== false;
  });
}

const CITUS_KINDS = new Set(['hash', 'reference', 'citus_local', 'single_shard']);

/** A foreign key the model can vouch for: from a Citus table whose foreign keys it followed, to a Citus table. */
function edgesFrom(t: TableModel, model: SchemaModel): TableModel[] {
  if (!CITUS_KINDS.has(t.kind) || t.foreignKeysUncertain || !t.foreignKeysTo?.length) return [];
  const out: TableModel[] = [];
  for (const k of t.foreignKeysTo) {
    const to = model.tables.get(k);
    if (to && CITUS_KINDS.has(to.kind)) out.push(to);
  }
  return out;
}

/** ReferencingRelationIdList: the tables whose foreign keys lead to `table`, directly or through others. */
export function referencingTables(table: TableModel, model: SchemaModel): TableModel[] {
  const out: TableModel[] = [];
  const seen = new Set<TableModel>([table]);
  const queue = [table];
  while (queue.length) {
    const to = queue.shift() as TableModel;
    for (const t of model.tables.values()) {
      if (seen.has(t) || !edgesFrom(t, model).includes(to)) continue;
      seen.add(t);
      out.push(t);
      queue.push(t);
    }
  }
  return out;
}

/** ReferencedRelationIdList, as `schema.name` keys. */
function referencedKeys(table: TableModel, model: SchemaModel): string[] {
  const out: string[] = [];
  const seen = new Set<TableModel>([table]);
  const queue = [table];
  while (queue.length) {
    const from = queue.shift() as TableModel;
    for (const t of edgesFrom(from, model)) {
      if (seen.has(t)) continue;
      seen.add(t);
      out.push(qualifiedName(t.schema, t.name));
      queue.push(t);
    }
  }
  return out;
}

/** A partition's accesses are recorded with its parent's (RecordParallelRelationAccess): one key for both. */
function parentKey(t: TableModel, model?: SchemaModel): string {
  if (t.partitionParent && (!model || model.tables.has(t.partitionParent))) return t.partitionParent;
  return qualifiedName(t.schema, t.name);
}
