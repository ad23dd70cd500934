/**
 * Plain-language headlines and explanations (with the way out) for the planner's findings, by rule id.
 * The rule docs (docs/rules/<id>.md) say the same at length.
 */
export const EXPLANATIONS: Record<string, { headline: string; explanation: string }> = {
  'unknown-table': {
    headline: 'Unknown table',
    explanation:
      'No CREATE TABLE in the workspace, no metadata snapshot and no connected cluster defines this table, so Citus Rollups cannot tell how it is distributed. Add its DDL (and create_distributed_table call) to the workspace, configure a snapshot, or connect a cluster.',
  },
  'dist-column-missing': {
    headline: 'The distribution column is not inserted',
    explanation:
      "The target's distribution column is not in the INSERT column list, so Citus cannot route the rows: the statement is planned, but every row fails with \"the partition column of table ... should have a value\". Add the distribution column to the column list and select the source's distribution column in the same position.",
  },
  'dist-column-null-at-runtime': {
    headline: 'The distribution column may be NULL at run time',
    explanation:
      "The SELECT's value for the target's distribution column comes from a nullable column, the nullable side of an outer join, an aggregate (NULL over no rows) or a scalar subquery. The method is what the plan says, but a row that brings a NULL fails when Citus routes it (repartition or pull: \"the partition column ... cannot be NULL\"), or meets the target's NOT NULL constraint on the shard. Filter such rows out (WHERE <column> IS NOT NULL, an inner join) or give a default with coalesce().",
  },
  'dist-column-not-preserved': {
    headline: 'The distribution column is not preserved',
    explanation:
      "Pushdown needs the SELECT to put the source table's distribution column, unchanged and of the same type, in the position of the target's distribution column. An expression, a constant, a cast or another column there means rows may belong to other shards, so Citus repartitions them between workers or pulls them through the coordinator. Select the distribution column itself (e.g. tenant_id, not tenant_id + 1 or tenant_id::bigint).",
  },
  'multi-task-query': {
    headline: 'Refused: more than one task with citus.multi_task_query_log_level = error',
    explanation:
      "citus.multi_task_query_log_level = 'error' makes Citus refuse every statement that would run as more than one task (a multi-shard modification or SELECT, a pushed-down or repartitioned INSERT..SELECT, or one whose SELECT reads many shards). Teams set it to catch statements that leave a tenant's shard. Filter on the distribution column so that one shard remains, or SET LOCAL citus.multi_task_query_log_level TO 'off' for a statement that is meant to run everywhere.",
  },
  'limit-offset-blocks-pushdown': {
    headline: 'LIMIT/OFFSET/ORDER BY needs the coordinator',
    explanation:
      'LIMIT, OFFSET and FETCH need a global view of the rows, which no shard has, so Citus collects the SELECT on the coordinator and inserts from there. Remove the LIMIT (filter with WHERE instead), or limit per tenant inside a subquery partitioned by the distribution column.',
  },
  'set-operation-blocks-pushdown': {
    headline: 'The set operation blocks pushdown',
    explanation:
      'A UNION / UNION ALL at the top of the SELECT is not recognised as pushdown-safe; INTERSECT and EXCEPT are never pushed down. Wrap a UNION in a FROM subquery (SELECT * FROM (... UNION ALL ...) u) with the distribution column in the same position in every branch; rewrite INTERSECT/EXCEPT as EXISTS / NOT EXISTS joined on the distribution column.',
  },
  'group-by-without-dist-column': {
    headline: 'GROUP BY without the distribution column',
    explanation:
      'Groups that do not include the distribution column span shards, so partial aggregates must be merged on the coordinator and every row is pulled through it. Add the distribution column to the GROUP BY (and to the rollup key).',
  },
  'aggregate-without-group-by': {
    headline: 'Aggregate without GROUP BY',
    explanation:
      'An aggregate over the whole table (or HAVING without GROUP BY) needs one result across all shards, computed on the coordinator. Group by the distribution column to aggregate per shard.',
  },
  'window-without-dist-partition': {
    headline: 'Window function not partitioned by the distribution column',
    explanation:
      'A window whose PARTITION BY does not include the distribution column needs rows from several shards, so it is evaluated on the coordinator. Add the distribution column to PARTITION BY.',
  },
  'distinct-without-dist-column': {
    headline: 'DISTINCT without the distribution column',
    explanation:
      'DISTINCT / DISTINCT ON over columns that do not include the distribution column must be deduplicated across shards on the coordinator. Include the distribution column in the DISTINCT (ON) list.',
  },
  'tables-not-colocated': {
    headline: 'Tables are not colocated',
    explanation:
      'Pushdown needs the target and every distributed table of the SELECT in one colocation group (same distribution column type and shard count, created with colocate_with). Otherwise rows must move between workers (repartition), and joins between non-colocated tables fail. Distribute the tables with colocate_with => \'<source>\' or fix it with update_distributed_table_colocation / alter_distributed_table.',
  },
  'join-not-on-dist-column': {
    headline: 'Join not on the distribution columns',
    explanation:
      'Distributed tables must be joined on their distribution columns (with equality) for each shard to find its partner rows locally. Joining on other columns needs a repartition join, which Citus refuses unless citus.enable_repartition_joins is on. Add the distribution columns to the join condition.',
  },
  'modify-view': {
    headline: 'INSERT into a view',
    explanation:
      'PostgreSQL writes an INSERT into a simple view through to the table it reads, but Citus does not push an INSERT..SELECT into a view over a distributed table down to the shards (DistributedInsertSelectSupported: the view is still in the statement); it repartitions the rows, or collects them on the coordinator. Insert into the table itself to keep the statement on the shards.',
  },
  'local-table-in-select': {
    headline: 'A local table takes part',
    explanation:
      'Plain PostgreSQL tables (and citus-local tables or materialized views) live only on the coordinator, so Citus cannot push the statement to the shards; the local data is read on the coordinator first. Make the table a reference table (create_reference_table) or distribute it colocated with the others.',
  },
  'select-without-distributed-table': {
    headline: 'The SELECT reads no distributed table',
    explanation:
      'A SELECT over generate_series, VALUES or constants runs on the coordinator and its rows are sent to the shards. This is fine for small inputs; for large ones, generate the rows from a distributed table.',
  },
  'volatile-function': {
    headline: 'A volatile function blocks pushdown',
    explanation:
      'Volatile functions (random(), clock_timestamp(), gen_random_uuid(), volatile defaults of omitted columns) could return different values on each shard, so Citus does not push the statement down. Compute the value once (now() / transaction_timestamp() are STABLE and allowed) or set it after the insert.',
  },
  'sequence-default-forces-pull': {
    headline: 'A sequence forces pull to the coordinator',
    explanation:
      'nextval(), serial/bigserial and identity columns draw from a sequence on the coordinator, so every row passes through it. Rollup tables should not have serial or identity columns: key them by the distribution column and the time bucket instead.',
  },
  'insert-level-cte': {
    headline: 'A CTE before INSERT is never pushed down',
    explanation:
      'A WITH clause written before INSERT belongs to the INSERT, and Citus never inlines it, so the SELECT reads an intermediate result. Move the CTE into the SELECT (INSERT INTO t (...) WITH c AS (...) SELECT ...) or use a FROM subquery.',
  },
  'reference-outer-join': {
    headline: 'Outer join from a reference table',
    explanation:
      'When a reference (or other recurring) relation is on the outer side of an outer join with a distributed table, every shard would produce the unmatched rows again, so Citus plans the distributed side separately. Put the distributed table on the outer side (dist LEFT JOIN ref) or use an inner join.',
  },
  'grouping-sets-unsupported': {
    headline: 'GROUPING SETS / CUBE / ROLLUP are not supported',
    explanation:
      'Citus cannot run GROUPING SETS, CUBE or ROLLUP across shards and refuses the statement. Write one INSERT..SELECT per grouping (each grouping by the distribution column), or filter to a single distribution value.',
  },
  'reference-target-from-distributed': {
    headline: 'Reference target filled from a distributed table',
    explanation:
      'A reference table has a copy on every node; filling it from a distributed table means collecting all rows on the coordinator first. This is fine for small results; otherwise make the target a distributed table colocated with the source.',
  },
  'insert-target-subscript': {
    headline: 'Array element or field assigned in the column list',
    explanation:
      'Citus reorders the INSERT and SELECT target lists to route rows to shards, and it cannot do that for `INSERT INTO t (arr[1], comp.f)`: the statement fails whichever way Citus would run it. Insert the whole column instead, building the value in the SELECT (`ARRAY[x]`, `ROW(...)`), or update the element afterwards.',
  },
  'on-conflict-modifies-dist-column': {
    headline: 'ON CONFLICT changes the distribution column',
    explanation:
      'Citus does not allow DO UPDATE SET to change the distribution column (rows would have to move shards). Only `SET dist_col = EXCLUDED.dist_col` is accepted; remove the assignment.',
  },
  'on-conflict-mutable-function': {
    headline: 'Non-immutable function in ON CONFLICT',
    explanation:
      'Functions in DO UPDATE SET (and ON CONFLICT WHERE) of a distributed table must be IMMUTABLE, now() included. Compute the value in the SELECT list (STABLE is fine there) and assign EXCLUDED.<column>.',
  },
  'on-conflict-without-matching-key': {
    headline: 'ON CONFLICT has no matching unique key',
    explanation:
      'ON CONFLICT (columns) needs a PRIMARY KEY, UNIQUE constraint or unique index on exactly those columns (an index on expressions is named with its expressions, a partial one with a WHERE that implies its predicate); PostgreSQL refuses the statement otherwise. On a distributed table the key must include the distribution column. Add the constraint, or list the columns of an existing key.',
  },
  'on-conflict-distributed-subquery': {
    headline: 'Subquery over a distributed table in ON CONFLICT',
    explanation:
      'DO UPDATE SET runs on the shards, and a subquery there that reads a distributed table would start a distributed query from a shard, which Citus refuses at execution. Compute the value in the SELECT (joined on the distribution column) and assign EXCLUDED.<column>.',
  },
  'subquery-blocks-pushdown': {
    headline: 'A subquery blocks pushdown',
    explanation:
      'Citus cannot push this part of the SELECT down to the shards (see the DETAIL), so the statement falls back to repartition or pull. Rewrite the construct as the DETAIL suggests.',
  },
};
