/**
 * Citus' configuration settings (GUCs): which `citus.*` names exist in Citus 13, which are gone, which
 * still exist but do nothing, and which SET cannot change in a session. PostgreSQL 15+ refuses a SET
 * of an unknown name under an extension's reserved prefix ("citus" is one), so a removed setting is
 * an ERROR that aborts the transaction, not a silent no-op.
 *
 * The list of current names follows RegisterCitusConfigVariables() in Citus'
 * shared_library_init.c (names only), plus the settings added in Citus 12/13.
 */

/** `citus.*` settings a session can SET in Citus 13 (name without the prefix). */
const CURRENT = [
  'all_modifications_commutative', 'allow_modifications_from_workers_to_replicated_tables', 'allow_nested_distributed_execution',
  'allow_unsafe_constraints', 'allow_unsafe_locks_from_workers', 'check_available_space_before_move', 'coordinator_aggregation_strategy',
  'copy_switchover_threshold', 'count_distinct_error_rate', 'cpu_priority', 'cpu_priority_for_logical_replication_senders',
  'create_object_propagation', 'defer_drop_after_shard_move', 'defer_drop_after_shard_split', 'enable_alter_database_owner',
  'enable_alter_role_propagation', 'enable_alter_role_set_propagation', 'enable_binary_protocol', 'enable_change_data_capture',
  'enable_cluster_clock', 'enable_cost_based_connection_establishment', 'enable_create_role_propagation',
  'enable_create_type_propagation', 'enable_create_database_propagation', 'enable_ddl_propagation', 'enable_deadlock_prevention',
  'enable_fast_path_router_planner', 'enable_local_execution', 'enable_local_fast_path_query_optimization', 'enable_local_reference_table_foreign_keys',
  'enable_manual_changes_to_shards', 'enable_metadata_sync', 'enable_non_colocated_router_query_pushdown',
  'enable_recurring_outer_join_pushdown', 'enable_repartition_joins', 'enable_repartitioned_insert_select', 'enable_router_execution', 'enable_schema_based_sharding',
  'enable_single_hash_repartition_joins', 'enable_stat_counters', 'enable_unique_job_ids', 'enable_unsafe_triggers',
  'enable_unsupported_feature_messages', 'enable_version_checks', 'enforce_foreign_key_restrictions',
  'enforce_object_restrictions_for_local_objects', 'executor_slow_start_interval', 'explain_all_tasks', 'explain_analyze_sort_method',
  'explain_distributed_queries', 'force_max_query_parallelization', 'function_opens_transaction_block', 'grep_remote_commands',
  'hide_citus_dependent_objects', 'hide_shards_from_app_name_prefixes', 'isolation_test_session_process_id',
  'isolation_test_session_remote_process_id', 'limit_clause_row_fetch_count', 'local_copy_flush_threshold', 'local_hostname',
  'local_table_join_policy', 'log_intermediate_results', 'log_local_commands', 'log_multi_join_order', 'log_remote_commands',
  'max_adaptive_executor_pool_size', 'max_cached_connection_lifetime', 'max_cached_conns_per_worker', 'max_client_connections',
  'max_high_priority_background_processes', 'max_intermediate_result_size', 'max_matview_size_to_auto_recreate',
  'max_rebalancer_logged_ignored_moves', 'metadata_sync_mode', 'mitmfifo', 'multi_shard_modify_mode', 'multi_task_query_log_level',
  'next_cleanup_record_id', 'next_operation_id', 'next_placement_id', 'next_shard_id', 'node_connection_timeout',
  'override_table_visibility', 'prevent_incomplete_connection_establishment', 'propagate_session_settings_for_loopback_connection',
  'propagate_set_commands', 'remote_copy_flush_threshold', 'remote_task_check_interval', 'replicate_reference_tables_on_activate',
  'replication_model', 'running_under_citus_test_suite', 'select_opens_transaction_block', 'shard_count', 'shard_replication_factor',
  'show_shards_for_app_name_prefixes', 'skip_advisory_lock_permission_checks', 'skip_constraint_validation',
  'skip_jsonb_validation_in_copy', 'sort_returning', 'stat_statements_track', 'stat_tenants_log_level', 'stat_tenants_period',
  'stat_tenants_track', 'stat_tenants_untracked_sample_rate', 'subquery_pushdown', 'superuser', 'task_assignment_policy',
  'task_executor_type', 'use_citus_managed_tables', 'values_materialization_threshold', 'worker_min_messages',
  'writable_standby_coordinator',
];

/** Settings that exist but cannot be changed with SET in a session, with PostgreSQL's context. */
const NOT_SESSION: Record<string, 'sighup' | 'postmaster' | 'backend' | 'internal'> = {
  background_task_queue_interval: 'sighup', defer_shard_delete_interval: 'sighup', desired_percent_disk_available_after_move: 'sighup',
  distributed_deadlock_detection_factor: 'sighup', enable_manual_metadata_changes_for_user: 'sighup', enable_statistics_collection: 'sighup',
  local_shared_pool_size: 'sighup', log_distributed_deadlock_detection: 'sighup', logical_replication_timeout: 'sighup',
  max_background_task_executors: 'sighup', max_background_task_executors_per_node: 'sighup', max_shared_pool_size: 'sighup',
  metadata_sync_interval: 'sighup', metadata_sync_retry_interval: 'sighup', node_conninfo: 'sighup', recover_2pc_interval: 'sighup',
  repartition_join_bucket_count_per_node: 'sighup', stat_statements_purge_interval: 'sighup',
  rebalancer_by_disk_size_base_cost: 'sighup',
  max_worker_nodes_tracked: 'postmaster', stat_statements_max: 'postmaster', stat_tenants_limit: 'postmaster',
  cluster_name: 'backend', use_secondary_nodes: 'backend',
  version: 'internal',
};

export interface RemovedSetting {
  /** what happened to it, for the message and the rule doc */
  replacement: string;
}

/** Settings that older Citus versions (and the old docs) had and Citus 13 does not. */
const REMOVED: Record<string, RemovedSetting> = {
  multi_shard_commit_protocol: { replacement: 'removed in Citus 11.0: multi-shard modifications always use two-phase commit' },
  single_shard_commit_protocol: { replacement: 'removed: single-shard modifications commit on their one worker; two-phase commit is used whenever a transaction writes to several nodes' },
  enable_cte_inlining: { replacement: 'removed: CTEs are inlined as in PostgreSQL 12+; write AS MATERIALIZED / AS NOT MATERIALIZED on the CTE instead' },
  shard_max_size: { replacement: 'removed with append-distribution loading (master_append_table_to_shard); use hash-distributed tables' },
  task_tracker_delay: { replacement: 'removed with the task-tracker executor (Citus 10/11): the adaptive executor runs repartition joins' },
  max_tracked_tasks_per_node: { replacement: 'removed with the task-tracker executor: the adaptive executor runs repartition joins' },
  max_assign_task_batch_size: { replacement: 'removed with the task-tracker executor: the adaptive executor runs repartition joins' },
  max_running_tasks_per_node: { replacement: 'removed with the task-tracker executor: use citus.max_adaptive_executor_pool_size' },
  partition_buffer_size: { replacement: 'removed with the task-tracker executor' },
  binary_worker_copy_format: { replacement: 'removed: use citus.enable_binary_protocol' },
  binary_master_copy_format: { replacement: 'removed: use citus.enable_binary_protocol' },
  large_table_shard_count: { replacement: 'removed: Citus picks the join strategy itself' },
  sslmode: { replacement: "removed: set sslmode in citus.node_conninfo (e.g. 'sslmode=require')" },
  shard_placement_policy: { replacement: 'removed: shard placement is decided by the rebalancer' },
  expire_cached_shards: { replacement: 'removed' },
  max_task_string_size: { replacement: 'removed: task strings are no longer size-limited' },
  enable_object_propagation: { replacement: 'removed: use citus.enable_metadata_sync' },
};

export interface DeprecatedSetting {
  replacement: string;
  /** what Citus prints when the value is set (when it prints anything) */
  message?: (value: string) => { level: 'NOTICE' | 'WARNING'; message: string; detail?: string } | undefined;
}

/** Settings that still exist but have no effect (or only warn). */
const DEPRECATED: Record<string, DeprecatedSetting> = {
  replication_model: {
    replacement: 'has no effect: the replication model follows citus.shard_replication_factor (streaming replication when it is 1)',
    message: () => ({
      level: 'NOTICE',
      message: 'Setting citus.replication_model has no effect. Please use citus.shard_replication_factor instead.',
      detail:
        "Citus determines the replication model based on the replication factor and the replication models of the colocated shards. If a colocated table is present, the replication model is inherited. Otherwise 'streaming' replication is preferred if supported by the replication factor.",
    }),
  },
  defer_drop_after_shard_move: { replacement: 'has no effect: Citus always defers the drop after a shard move' },
  defer_drop_after_shard_split: { replacement: 'has no effect: Citus always defers the drop after a shard split' },
  replicate_reference_tables_on_activate: { replacement: 'has no effect: reference tables are replicated when shards are rebalanced (citus_rebalance_start / replicate_reference_tables())' },
  hide_shards_from_app_name_prefixes: { replacement: 'has no effect: use citus.show_shards_for_app_name_prefixes' },
  task_executor_type: {
    replacement: "has no effect: the adaptive executor is the only executor ('real-time' and 'task-tracker' are mapped to it)",
    message: (v) => (v === 'real-time' ? { level: 'WARNING', message: 'Ignoring the setting, real-time executor is deprecated' } : undefined),
  },
};

export type SettingStatus =
  | { kind: 'current' }
  | { kind: 'deprecated'; info: DeprecatedSetting }
  | { kind: 'removed'; info: RemovedSetting }
  | { kind: 'unknown' }
  | { kind: 'not_session'; context: 'sighup' | 'postmaster' | 'backend' | 'internal' };

const CURRENT_SET = new Set(CURRENT);

/** What Citus 13 does with `SET citus.<name>` (name without the prefix, lower-case). */
export function settingStatus(name: string): SettingStatus {
  if (REMOVED[name]) return { kind: 'removed', info: REMOVED[name] };
  if (NOT_SESSION[name]) return { kind: 'not_session', context: NOT_SESSION[name] };
  if (DEPRECATED[name]) return { kind: 'deprecated', info: DEPRECATED[name] };
  if (CURRENT_SET.has(name)) return { kind: 'current' };
  return { kind: 'unknown' };
}

/** Names of the removed settings (for the docs and tests). */
export const REMOVED_SETTING_NAMES: readonly string[] = Object.keys(REMOVED);
export const DEPRECATED_SETTING_NAMES: readonly string[] = Object.keys(DEPRECATED);
/** Every `citus.*` name Citus 13 has (without the prefix), for the project config's schema. */
export const KNOWN_SETTING_NAMES: readonly string[] = [...CURRENT, ...Object.keys(NOT_SESSION), ...Object.keys(DEPRECATED)].sort();
