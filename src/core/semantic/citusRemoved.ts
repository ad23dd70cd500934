/**
 * Functions of older Citus versions that Citus 13 no longer has: its extension scripts drop them
 * (src/backend/distributed/sql/citus--<from>--<to>.sql of citusdata/citus v13.2.2, `DROP FUNCTION`), and none of
 * that name exists in a Citus 13.2.2 database with citus_columnar (checked in pg_proc of the local cluster:
 * alter_columnar_table_set / _reset, dropped from citus in 11.1, live on in citus_columnar). A call is PostgreSQL's
 * `function ... does not exist`; old guides, demos and scripts still call them.
 */
export interface RemovedCitusFunction {
  /** the Citus version whose upgrade script drops it */
  removedIn: string;
  /** what to call or do instead */
  instead: string;
}

export const REMOVED_CITUS_FUNCTIONS: ReadonlyMap<string, RemovedCitusFunction> = new Map([
  ['master_create_distributed_table', { removedIn: '10.0', instead: "create_distributed_table(table, column[, 'hash' | 'range' | 'append']), which also creates the shards" }],
  ['master_create_worker_shards', { removedIn: '10.0', instead: 'create_distributed_table(table, column, shard_count => n), which creates the shards itself' }],
  ['master_modify_multiple_shards', { removedIn: '10.0', instead: 'run the UPDATE or DELETE itself: Citus runs it on every shard' }],
  ['upgrade_to_reference_table', { removedIn: '10.0', instead: 'create_reference_table(table)' }],
  ['mark_tables_colocated', { removedIn: '10.0', instead: 'update_distributed_table_colocation(table, colocate_with => other)' }],
  ['create_citus_local_table', { removedIn: '10.0', instead: 'citus_add_local_table_to_metadata(table)' }],
  ['master_append_table_to_shard', { removedIn: '11.0', instead: 'COPY into the table, or a hash-distributed table' }],
  ['master_apply_delete_command', { removedIn: '11.0', instead: 'DELETE from the table itself' }],
  ['master_get_table_metadata', { removedIn: '11.0', instead: 'the citus_tables view or pg_dist_partition' }],
  ['master_drop_sequences', { removedIn: '9.5', instead: 'DROP SEQUENCE: Citus propagates it' }],
  ['create_insert_proxy_for_table', { removedIn: '8.2', instead: 'INSERT .. SELECT into the distributed table' }],
]);
