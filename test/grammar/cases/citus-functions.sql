-- Distributing tables; create_distributed_table in a comment stays a comment.
SELECT create_distributed_table('page_views', 'site_id');
SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'page_views', shard_count => 32);
SELECT create_distributed_table_concurrently('clicks', 'site_id', distribution_type => 'hash');
SELECT pg_catalog.create_reference_table('sites');
SELECT citus_add_local_table_to_metadata('local_lookup', cascade_via_foreign_keys => true);
SELECT undistribute_table('old_rollup');
SELECT alter_distributed_table('events', shard_count := 64, cascade_to_colocated => true);
SELECT update_distributed_table_colocation('daily_rollup', colocate_with => 'page_views');
SELECT citus_schema_distribute('tenant_42');
SELECT * FROM run_command_on_workers($cmd$ SELECT version() $cmd$);
SELECT run_command_on_shards('page_views', 'VACUUM %s');
SELECT citus_add_node('worker-1', 5432), citus_set_coordinator_host('coord');
SELECT master_add_node('legacy-worker', 5432);
SELECT logicalrelid, partmethod FROM pg_dist_partition JOIN citus_tables ON true;
SELECT 'create_distributed_table' AS just_a_string, citus_events.id FROM citus_events;
