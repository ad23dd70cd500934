/**
 * Citus' (and PostgreSQL's) message texts for modifications other than INSERT..SELECT, for SELECT ..
 * FOR UPDATE, COPY, MERGE and SET of `citus.*` settings — quoted as Citus 13.2 prints them (the DML
 * corpus in test/fixtures/citus-corpus/dml.jsonl holds the real ones), plus the plain-language
 * headline and explanation of each DML rule.
 */

export const DML_MSG = {
  // INSERT .. VALUES
  insertNoPartitionValue: 'cannot perform an INSERT without a partition column value',
  insertPartitionKeyNotEvaluated: 'failed to evaluate partition key in insert',
  insertNullPartitionValue: 'cannot perform an INSERT with NULL in the partition column',
  insertSubquery: 'subqueries are not supported within INSERT queries',
  insertSubqueryHint: "Try rewriting your queries with 'INSERT INTO ... SELECT' syntax.",
  // UPDATE / DELETE
  modifyPartition: 'modifying the partition value of rows is not allowed',
  updateVolatile: 'functions used in UPDATE queries on distributed tables must not be VOLATILE',
  whereVolatile: 'functions used in the WHERE/ON/WHEN clause of modification queries on distributed tables must not be VOLATILE',
  stableWithColumn: 'STABLE functions used in UPDATE queries cannot be called with column references',
  mutableCase: 'non-IMMUTABLE functions are not allowed in CASE or COALESCE statements',
  compositeField: 'inserting or modifying composite type fields is not supported',
  compositeFieldHint: 'Use the column name to insert or update the composite type as a single value',
  onConflictSet: 'functions used in the DO UPDATE SET clause of INSERTs on distributed tables must be marked IMMUTABLE',
  onConflictWhere: 'functions used in the WHERE clause of the ON CONFLICT clause of INSERTs on distributed tables must be marked IMMUTABLE',
  noArbiter: 'there is no unique or exclusion constraint matching the ON CONFLICT specification',
  cannotPushdown: 'cannot push down this subquery',
  notColocated: (a: string, b: string) => `${a} and ${b} are not colocated`,
  routerNotColocated: 'router planner does not support queries that reference non-colocated distributed tables',
  complexJoins: 'complex joins are only supported when all distributed tables are co-located and joined on their distribution columns',
  joinUsingConflict: 'a join with USING causes an internal naming conflict, use ON instead',
  // (Citus' spelling)
  mergeAmbiguousJoins: 'Query has ambigious joins, merge is not pushable, try repartitioning',
  referenceTargetSelectsDistributed: 'cannot perform select on a distributed table and modify a reference table',
  referenceTargetMultiTable: 'only reference tables may be queried when targeting a reference table with multi shard UPDATE/DELETE queries with multiple tables ',
  ctidModification: 'cannot perform distributed planning for the given modification',
  cursorModification: 'cannot run DML queries with cursors',
  ctidModificationDetail: 'Recursively planned distributed modifications with ctid on where clause are not supported.',
  notDistributed: (rel: string) => `relation ${rel} is not distributed`,
  localTableJoin: (rel: string) => `local table ${rel} cannot be joined with these distributed tables`,
  matviewInModify: 'materialized views in modify queries are not supported',
  modifyView: 'cannot modify views when the query contains citus tables',
  viewNotUpdatable: (command: string, name: string) => `cannot ${command === 'INSERT' ? 'insert into' : command === 'UPDATE' ? 'update' : 'delete from'} view "${name}"`,
  viewNotUpdatableHint: (command: string) =>
    command === 'INSERT' ? 'To enable inserting into the view, provide an INSTEAD OF INSERT trigger or an unconditional ON INSERT DO INSTEAD rule.'
    : command === 'UPDATE' ? 'To enable updating the view, provide an INSTEAD OF UPDATE trigger or an unconditional ON UPDATE DO INSTEAD rule.'
    : 'To enable deleting from the view, provide an INSTEAD OF DELETE trigger or an unconditional ON DELETE DO INSTEAD rule.',
  cannotChangeMatview: (name: string) => `cannot change materialized view "${name}"`,
  columnarScan: 'UPDATE and CTID scans not supported for ColumnarScan',
  multiTask: 'multi-task query about to be executed',
  cteInInsert: "Router planner doesn't support common table expressions with INSERT queries.",
  cteModifyingMultiShard: "Router planner doesn't support non-select common table expressions with multi shard queries.",
  volatileCte: "Router planner doesn't support VOLATILE functions in common table expressions.",
  cteInsert: "Router planner doesn't support INSERT common table expressions.",
  multiTaskHint: 'Queries are split to multiple tasks if they have to be split into several queries on the workers.',
  generatingSubplan: 'generating subplan for subquery (its rows pass through the coordinator as an intermediate result)',
  fastPath: 'Distributed planning for a fast-path router query',
  routerPlan: 'Creating router plan',
  singleValue: (v: string) => `query has a single distribution column value: ${v}`,
  // SELECT
  forUpdate: 'could not run distributed query with FOR UPDATE/SHARE commands',
  equalityHint: "Consider using an equality filter on the distributed table's partition column.",
  joinRepartition: 'the query contains a join that requires repartitioning',
  joinRepartitionHint: 'Set citus.enable_repartition_joins to on to enable repartitioning',
  multiShardSelect: 'Router planner cannot handle multi-shard select queries',
  // COPY
  copyNullPartition: (table: string) => `the partition column of table ${table} cannot be NULL`,
  // MERGE
  mergeReferenceTarget: 'Reference table as target is not allowed in MERGE command',
  mergeSourceNotCitus: 'To MERGE into a distributed table, source must be Citus table(s)',
  mergeMissingJoin:
    "The required join operation is missing between the target's distribution column and any expression originating from the source. The issue may arise from a non-equi-join.",
  mergeMissingJoinDetail:
    "Without a equi-join condition on the target's distribution column, the source rows cannot be efficiently redistributed, and the NOT-MATCHED condition cannot be evaluated unambiguously. This can result in incorrect or unexpected results when attempting to merge tables in a distributed setting",
  mergeTypeMismatch: "In the MERGE ON clause, there is a datatype mismatch between target's distribution column and the expression originating from the source.",
  mergeTypeMismatchDetail: 'If the types are different, Citus uses different hash functions for the two column types, which might lead to incorrect repartitioning of the result data',
  mergeInsertColumn: "MERGE INSERT must use the source's joining column for target's distribution column",
  mergeInsertExpression: 'MERGE INSERT is using unsupported expression type for distribution column',
  mergeInsertExpressionDetail: "Inserting arbitrary values that don't correspond to the joined column values can lead to unpredictable outcomes where rows are incorrectly distributed among different shards",
  mergeUpdateDist: 'updating the distribution column is not allowed in MERGE actions',
  mergeRepartitionLocalTarget: 'MERGE involving repartition of rows is supported only if the target is distributed',
  mergeNotColocated: 'Distributed tables are not co-located, try repartitioning',
  mergeMixReference: 'A mix of distributed and reference table, try repartitioning',
  mergeNotPushable: 'Sub-query is not pushable, try repartitioning',
  mergeRepartition: 'Creating MERGE repartition plan',
  mergeCollect: 'Collect source query results on coordinator',
  mergeRouter: 'Creating MERGE router plan',
  mergeInsertNoDist: 'MERGE INSERT must have distribution column as value',
  mergeInsertDefaults: 'cannot perform MERGE INSERT with DEFAULTS',
  // (two spaces in "need  to", as Citus 13.2 prints it)
  mergeTargetFalse: 'Target relation has a filter of the form: false (AND ..), which results in empty shards, but we still need  to evaluate NOT-MATCHED clause, try repartitioning',
  returningMutable: 'non-IMMUTABLE functions are not allowed in the RETURNING clause',
  mergeMutable: 'non-IMMUTABLE functions are not yet supported in MERGE sql with distributed tables',
  // SET
  reservedPrefix: (name: string) => `invalid configuration parameter name "${name}"`,
  reservedPrefixDetail: '"citus" is a reserved prefix.',
  cannotChangeNow: (name: string) => `parameter "${name}" cannot be changed now`,
  cannotChangeRestart: (name: string) => `parameter "${name}" cannot be changed without restarting the server`,
  cannotSetAfterStart: (name: string) => `parameter "${name}" cannot be set after connection start`,
  cannotChange: (name: string) => `parameter "${name}" cannot be changed`,
} as const;

export const DML_EXPLANATIONS: Record<string, { headline: string; explanation: string }> = {
  'reference-table-after-parallel-access': {
    headline: 'Refused: a referenced table used after a parallel statement in the same transaction',
    explanation:
      "Distributed tables have foreign keys to this reference (or citus-local) table. A modification of it takes row locks on the referencing shards over one connection per node, so Citus refuses it once the transaction has used several connections per node: after a statement that ran over several shards in parallel (a multi-shard UPDATE, DELETE or SELECT). After DDL that ran over the referencing table's shards in parallel (ALTER TABLE .. ADD COLUMN, CREATE INDEX), even a read of the reference table is refused. Modify the reference table first (Citus then runs the rest of the transaction over one connection per node), run SET LOCAL citus.multi_shard_modify_mode TO 'sequential' at the start of the transaction, or commit between the two.",
  },
  'multi-task-query': {
    headline: 'Refused: more than one task with citus.multi_task_query_log_level = error',
    explanation:
      "citus.multi_task_query_log_level = 'error' makes Citus refuse every statement that would run as more than one task (a multi-shard modification or SELECT, a pushed-down or repartitioned INSERT..SELECT, or one whose SELECT reads many shards). Teams set it to catch statements that leave a tenant's shard. Filter on the distribution column so that one shard remains, or SET LOCAL citus.multi_task_query_log_level TO 'off' for a statement that is meant to run everywhere.",
  },
  'dist-column-null-at-runtime': {
    headline: 'The distribution column may be NULL at run time',
    explanation:
      'The MERGE inserts the distribution column from a source column that allows NULL. The plan stands, but a source row with a NULL there fails when Citus routes it to a shard. Filter such rows out of the source (WHERE <column> IS NOT NULL) or give a default with coalesce().',
  },
  'insert-without-dist-column': {
    headline: 'INSERT without the distribution column',
    explanation:
      "Citus routes each inserted row to the shard its distribution column value hashes to. The column list leaves the distribution column out (and it has no DEFAULT), so there is nothing to route on and Citus refuses the statement. Add the distribution column and its value to the column list and VALUES.",
  },
  'insert-null-dist-column': {
    headline: 'NULL in the distribution column',
    explanation:
      'A NULL distribution value hashes to no shard, so Citus refuses the row. Give every row a non-NULL value for the distribution column.',
  },
  'insert-values-subquery': {
    headline: 'Subquery inside INSERT .. VALUES',
    explanation:
      "Citus evaluates INSERT .. VALUES on the coordinator and routes each row to its shard; it does not run subqueries inside VALUES. Write the statement as INSERT .. SELECT, where the subquery becomes part of the SELECT (the fix does this).",
  },
  'update-modifies-dist-column': {
    headline: 'UPDATE changes the distribution column',
    explanation:
      'A row lives on the shard its distribution value hashes to; changing the value would have to move the row to another shard, which Citus does not do. Setting the column to itself, or to the same constant the WHERE clause pins it to, is allowed. Delete the row and insert it with the new value instead.',
  },
  'insert-target-subscript': {
    headline: 'Composite field assigned',
    explanation:
      'Citus sends each row to its shard with the whole column list lined up; a field of a composite column (`col.field`) is a partial assignment it cannot route. Assign the whole composite value: `col = ROW(...)`, or `col = (col).field1, ...` rebuilt with ROW().',
  },
  'volatile-function-in-modification': {
    headline: 'Volatile function in a modification',
    explanation:
      "Citus sends UPDATE/DELETE (and ON CONFLICT DO UPDATE) to every placement of a shard; a VOLATILE function such as random() or clock_timestamp() would give each placement (and each shard) a different value, so Citus refuses it. Compute the value first (in the application or a CTE/variable) and pass it as a constant; now() is STABLE and is fine unless it is called with a column argument.",
  },
  'for-update-multi-shard': {
    headline: 'SELECT .. FOR UPDATE on several shards',
    explanation:
      'Citus only supports row locks (FOR UPDATE / FOR SHARE) when the query runs on a single shard (or only reads reference tables). Filter the distributed table by its distribution column with an equality (WHERE tenant_id = 5).',
  },
  'multi-shard-modification': {
    headline: 'Multi-shard modification',
    explanation:
      'The statement has no equality filter on the distribution column, so Citus sends it to every shard of the table (in parallel, in one distributed transaction with two-phase commit). That is correct but costs one task per shard and locks rows across the cluster; filter by the distribution column when you mean one tenant.',
  },
  'dml-join-not-colocated': {
    headline: 'Modification joins a table Citus cannot push down',
    explanation:
      "UPDATE .. FROM / DELETE .. USING / WHERE .. IN (SELECT ..) run on the shards of the modified table, so every other distributed table must be colocated with it and joined on both distribution columns (reference tables are fine). citus.enable_repartition_joins does not help modifications. Join on the distribution column, colocate the tables (colocate_with), or move the other table's part into a subquery that does not reference the distribution column so Citus can plan it separately.",
  },
  'modification-via-coordinator': {
    headline: 'Subquery planned through the coordinator',
    explanation:
      'Citus cannot run this subquery (or local table) together with the modification on the shards, so it runs it first, collects its rows on the coordinator as an intermediate result, and ships them to every task. That works, but every row of the subquery passes through the coordinator. Join on the distribution column (or pin both sides to one tenant) to keep it on the shards.',
  },
  'modify-materialized-view': {
    headline: 'A materialized view cannot be modified',
    explanation:
      'A materialized view holds the result of its query; PostgreSQL refuses INSERT, UPDATE and DELETE on it (when the executor starts, so even EXPLAIN fails). Modify the tables it reads and run REFRESH MATERIALIZED VIEW, or keep the rows in a table (a rollup table, which Citus can distribute) instead of a materialized view.',
  },
  'modify-view': {
    headline: 'A view next to Citus tables cannot be modified',
    explanation:
      "PostgreSQL writes an INSERT, UPDATE or DELETE on a simple view through to the table it reads, but Citus refuses the modification when the statement contains a Citus table, in the view or anywhere else (DeferErrorIfModifyView: `cannot modify views when the query contains citus tables`). A view that is not automatically updatable (a join, DISTINCT, GROUP BY, ...) is refused by PostgreSQL first. Modify the table itself, with the view's filter in the WHERE clause. An INSERT..SELECT into a view over a distributed table is not refused, but it is never pushed down (`cannot insert into view over distributed table`): insert into the table to keep it on the shards.",
  },
  'modify-columnar-table': {
    headline: 'A columnar table takes no UPDATE, DELETE or upsert',
    explanation:
      'Columnar storage is append-only: its scan refuses to fetch the row ids an UPDATE or DELETE needs when the executor starts (so EXPLAIN fails too), on the coordinator and on every shard. For a time-partitioned table whose old partitions were made columnar (alter_old_partitions_set_access_method), filter on the partition key so only heap partitions are touched, or turn the partition back to heap first (alter_table_set_access_method(\'p\', \'heap\')).',
  },
  'domain-dist-column-constant': {
    headline: 'A constant not cast to the distribution column\'s domain',
    explanation:
      "The distribution column's type is a domain with a CHECK or NOT NULL constraint. To find the shard, Citus 13.2 coerces the constant to the column's type (TransformPartitionRestrictionValue), and a coercion to such a domain is no constant it can fold: a one-row INSERT .. VALUES fails with `Cannot coerce integer to <domain>`, and an UPDATE or DELETE filtered by `dist = <constant>` ends the server process on the coordinator (every session there is reset). Cast the constant to the domain (`5::positive_int`), or make the column the domain's base type and keep the CHECK on the table.",
  },
  'truncate-referenced-table': {
    headline: 'TRUNCATE of a table a foreign key references',
    explanation:
      "PostgreSQL refuses to TRUNCATE a table that another table's foreign key references unless that table is truncated in the same statement: the referencing rows would be left pointing at nothing (heap_truncate_check_FKs). In a Citus schema it is usually a reference table of tenants or plans that distributed tables reference. List the referencing tables in the same TRUNCATE, or use TRUNCATE .. CASCADE, which truncates them too.",
  },
  'ctid-subquery-modification': {
    headline: 'ctid filter with a subquery',
    explanation:
      "ctid values are per shard, so Citus refuses a modification that filters ctid by the rows of a recursively planned subquery (e.g. DELETE .. WHERE ctid IN (SELECT ctid .. LIMIT n)). Filter by a key instead (WHERE (tenant_id, event_id) IN (SELECT tenant_id, event_id ..)), or pin both the DELETE and the subquery to one tenant by its distribution column.",
  },
  'copy-without-dist-column': {
    headline: 'COPY without the distribution column',
    explanation:
      'COPY into a distributed table routes every row by its distribution column; with the column missing from the column list every row has NULL there and Citus refuses the COPY. Add the distribution column to the column list (and the data).',
  },
  'copy-refused': {
    headline: 'COPY refused',
    explanation:
      'Citus routes the rows of a COPY into a Citus table itself and does not support a WHERE clause there (`Citus does not support COPY FROM with WHERE`); PostgreSQL does not COPY into a materialized view. Load the rows into a staging table (a temporary or local one) and INSERT .. SELECT the ones you want; COPY into the tables a materialized view reads and REFRESH it.',
  },
  'merge-source-not-colocated': {
    headline: 'MERGE source Citus cannot use',
    explanation:
      "To MERGE into a distributed table, Citus needs the source to be Citus tables (not VALUES, functions or local tables) and the ON clause to equi-join the target's distribution column with a source column; then it pushes the MERGE down (colocated source) or repartitions the source by that column. Use a Citus table as the source and add `target.dist_col = source.col` to ON.",
  },
  'merge-insert-without-join-column': {
    headline: "MERGE INSERT does not use the source's join column",
    explanation:
      "The NOT MATCHED .. INSERT must put the source column that ON joins with the target's distribution column into the distribution column; any other value would insert a row into a shard that the MATCHED check did not look at. Insert the join column (s.tenant_id) there.",
  },
  'merge-updates-dist-column': {
    headline: 'MERGE updates the distribution column',
    explanation: 'Rows cannot move between shards: a MERGE UPDATE SET must not assign the distribution column. Remove it from the SET list.',
  },
  'merge-into-reference-table': {
    headline: 'MERGE into a reference table',
    explanation:
      'Citus 13 does not support a reference table as MERGE target. Use INSERT .. ON CONFLICT / UPDATE .. FROM on the reference table, or MERGE into a distributed table.',
  },
  'merge-via-coordinator': {
    headline: 'MERGE through the coordinator',
    explanation:
      "The source cannot be pushed down with the target (not colocated, not joined on both distribution columns, a reference table, or a LIMIT/aggregate that needs a global view), so Citus runs the source first and either repartitions its rows across the workers by the join column or collects them on the coordinator, then runs the MERGE per shard. Colocate the source with the target and join on both distribution columns to push it down.",
  },
  'removed-citus-setting': {
    headline: 'Removed or deprecated Citus setting',
    explanation:
      'This citus.* setting no longer exists in Citus 13 (PostgreSQL 15+ refuses unknown names under the reserved "citus" prefix, so the SET fails and aborts the transaction), or it still exists but has no effect. Delete the line; the rule page says what replaced it.',
  },
};
