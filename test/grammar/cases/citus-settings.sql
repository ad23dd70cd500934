SET citus.shard_count = 64;
SET LOCAL citus.multi_shard_modify_mode TO 'sequential';
RESET citus.enable_repartition_joins;
SHOW citus.max_adaptive_executor_pool_size;
ALTER DATABASE app SET citus.log_remote_commands = on;
SELECT current_setting('citus.shard_count')::int, set_config('citus.explain_all_tasks', 'on', false);
SELECT 'citus.not a setting', current_setting('search_path');
SELECT schema_name.table_name FROM schema_name.table_name;
