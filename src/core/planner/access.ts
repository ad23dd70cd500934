/**
 * Citus' relation access tracking inside a transaction block (transaction/relation_access_tracking.c), for foreign
 * keys from distributed tables to reference tables: once a transaction has run a statement over several shards in
 * parallel, a modification of a reference (or citus-local) table that such tables reference fails, and a
 * modification of it before any parallel statement switches the rest of the transaction to sequential execution.
 *
 * The tracker follows a file's transaction blocks statement by statement and knows only what it can be sure of: a
 * statement whose accesses it cannot tell (DDL, COPY, a function of the user's, a data-modifying CTE, a plan
 * through the coordinator, an INSERT..SELECT that is not pushed down, MERGE, an error it did not predict itself) ends what it knows for the
 * rest of the block, and it then says nothing. Outside BEGIN .. COMMIT Citus records nothing.
 */
import { functionName, nameList, walk, type PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import { qualifiedName, type SchemaModel, type TableModel } from '../schema/model';
import { builtins } from '../semantic/catalog';
import type { PlannerFinding } from '../rules/rule';
import type { CitusMessage, StatementResult } from '../types';
import { DML_EXPLANATIONS } from './dml-messages';

export const RULE_ID = 'reference-table-after-parallel-access';

const HINT = `Try re-running the transaction with "SET LOCAL citus.multi_shard_modify_mode TO 'sequential';"`;

interface BlockState {
  /** a statement ran as several tasks in parallel (ParallelQueryExecutedInTransaction) */
  parallelRan: boolean;
  /** hash-distributed tables modified in parallel (`schema.name`; a partitioned table's parent) */
  parallelDml: Set<string>;
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
  private inBlock = false;

  /** psql's `\c`: a new session, outside any block. */
  reset(): void {
    this.block = undefined;
    this.inBlock = false;
  }

  /**
   * One top-level statement, after its analysis: the finding Citus' error for it when the block's earlier accesses
   * make Citus refuse it, and the block's state updated with its accesses.
   */
  step(stmt: ParsedStatement, result: StatementResult, model: SchemaModel, searchPath: readonly string[]): PlannerFinding | undefined {
    const ast = stmt.ast;
    if (!ast) return undefined;
    const tx = ast.TransactionStmt;
    if (tx) {
      this.transaction(tx);
      return undefined;
    }
    const block = this.block;
    if (!block || block.failed) return undefined;
    if (ast.VariableSetStmt || ast.VariableShowStmt || (ast.ExplainStmt && !explainAnalyze(ast.ExplainStmt))) return undefined;
    if (model.settings.get('citus.enforce_foreign_key_restrictions') === 'off') return undefined;
    const modify = ast.UpdateStmt ?? ast.DeleteStmt ?? ast.InsertStmt;
    // (SELECT .. FOR UPDATE locks rows the way a modification does: not followed)
    if (!(modify || (ast.SelectStmt && !ast.SelectStmt.lockingClause)) || result.kind === 'ddl' || stmt.parentIndex !== undefined || !this.plainCalls(ast, model)) return this.lose();
    const target = modify?.relation ? model.resolve(modify.relation.schemaname, modify.relation.relname, searchPath) : undefined;
    if (modify && (!target || target.kind === 'view' || target.rowHooks)) return this.lose();
    // how many tasks: an INSERT..SELECT pushed down runs one per target shard (one left is Citus' router plan); one
    // repartitioned or pulled runs its SELECT and its INSERT as separate steps, not followed
    let tasks: 'one' | 'several';
    if (result.kind === 'insert_select') {
      const method = result.prediction.method;
      if (method === 'router') tasks = 'one';
      else if (method === 'pushdown' && target?.kind === 'hash' && (target.shardCount ?? 0) >= 2) tasks = 'several';
      // a reference table filled through the coordinator from a SELECT of no distributed table: Citus' COPY into it is
      // its one access (multi_copy.c)
      else if (method === 'pull_to_coordinator' && target && (target.kind === 'reference' || target.kind === 'citus_local') && readsNoDistributedTable(ast.InsertStmt.selectStmt, model, searchPath)) tasks = 'one';
      else return this.lose();
    } else {
      const outcome = result.outcome;
      if (outcome !== 'single_shard' && outcome !== 'multi_shard' && outcome !== 'local') return this.lose();
      // (a multi-row INSERT .. VALUES always runs sequentially and records nothing)
      if (outcome === 'multi_shard' && !ast.InsertStmt) {
        if (result.shardCountUpperBound || result.shardCount === undefined) return this.lose();
        tasks = result.shardCount >= 2 ? 'several' : 'one';
      } else tasks = 'one';
    }

    if (tasks === 'several') {
      // RecordParallelRelationAccessForTaskList: two tasks or more, in parallel mode, with a pool of two connections
      // or more
      if (!this.sequential(model)) {
        const pool = model.settings.get('citus.max_adaptive_executor_pool_size');
        if (pool !== undefined && !(Number(pool) > 1)) return this.lose();
        // CheckConflictingParallelRelationAccesses: a table referencing one this block modified switches the block
        // to sequential (or fails): not followed
        if (this.readsReferencing(ast, target, model, searchPath, block)) return this.lose();
        block.parallelRan = true;
        if (target && target.kind === 'hash') block.parallelDml.add(parentKey(target));
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
      return this.refused(stmt, {
        level: 'ERROR',
        message: `cannot execute DML on table "${target.name}" because there was a parallel DML access to distributed table "${d.name}" in the same transaction`,
        hint: HINT,
      }, `${target.name} is referenced by ${d.name}, which this transaction modified over several shards in parallel`);
    }
    if (block.parallelRan) {
      return this.refused(stmt, {
        level: 'ERROR',
        message: `cannot modify table "${target.name}" because there was a parallel operation on a distributed table`,
        detail: 'When there is a foreign key to a reference table or to a local table, Citus needs to perform all operations over a single connection per node to ensure consistency.',
        hint: HINT,
      }, `${target.name} has foreign keys pointing to it, and this transaction already ran a statement over several shards in parallel`);
    }
    // "switching to sequential query execution mode"
    block.sequential = true;
    return undefined;
  }

  private transaction(tx: PgNode): void {
    const block = this.block;
    switch (tx.kind) {
      case 'TRANS_STMT_BEGIN':
      case 'TRANS_STMT_START':
        // (BEGIN inside a block is only a warning)
        if (!this.inBlock) this.block = { parallelRan: false, parallelDml: new Set(), nonDistModified: new Set(), sequential: false, failed: false, savepoints: [] };
        this.inBlock = true;
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

  private sequential(model: SchemaModel): boolean {
    return !!this.block?.sequential || model.settings.get('citus.multi_shard_modify_mode') === 'sequential';
  }

  /** The error aborts the block; the refused statement recorded nothing (Citus checks before it records). */
  private refused(stmt: ParsedStatement, citus: CitusMessage, why: string): PlannerFinding {
    if (this.block) this.block.failed = true;
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

  /** Calls only PostgreSQL's own functions (a function of the user's may run statements of its own), and no data-modifying CTE. */
  private plainCalls(ast: PgNode, model: SchemaModel): boolean {
    let plain = true;
    const catalog = builtins();
    walk(ast, (type, fields) => {
      if (!plain) return false;
      if (type === 'FuncCall') {
        const names = nameList(fields.funcname);
        const name = functionName(fields);
        const schema = names.length > 1 ? names[0].toLowerCase() : undefined;
        if ((schema && schema !== 'pg_catalog') || model.functions.has(name) || !catalog.hasFunction(name)) plain = false;
      } else if (type === 'CommonTableExpr' && fields.ctequery && !fields.ctequery.SelectStmt) plain = false;
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

/** Every relation the query reads is a reference, citus-local or plain table the model knows (not a CTE, not a view). */
function readsNoDistributedTable(query: PgNode, model: SchemaModel, searchPath: readonly string[]): boolean {
  let only = true;
  walk(query, (type, fields) => {
    if (!only) return false;
    if (type === 'RangeVar') {
      const t = model.resolve(fields.schemaname, fields.relname, searchPath);
      if (!t || (t.kind !== 'reference' && t.kind !== 'citus_local' && t.kind !== 'local')) only = false;
    } else if (type === 'WithClause') only = false;
    return undefined;
  });
  return only;
}

function explainAnalyze(explain: PgNode): boolean {
  return (explain.options ?? []).some((o: PgNode) => o.DefElem?.defname === 'analyze' && o.DefElem.arg?.Boolean?.boolval !== false && o.DefElem.arg?.String?.sval !== 'false' && o.DefElem.arg?.String?.sval !== 'off');
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
