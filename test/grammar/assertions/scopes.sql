-- SYNTAX TEST "source.sql" "what each Citus and psql construct is scoped as"
SELECT create_distributed_table('events', 'tenant_id', colocate_with => 'none');
--     ^^^^^^^^^^^^^^^^^^^^^^^^ support.function.citus.sql
--                                                     ^^^^^^^^^^^^^ variable.parameter.named-argument.sql
--                                                                   ^^ keyword.operator.named-argument.sql
SELECT citus_schema_distribute('tenant_1'), master_get_active_worker_nodes();
--     ^^^^^^^^^^^^^^^^^^^^^^^ support.function.citus.sql
--                                          ^^^^^^^^^^^^^^^^^^^^^^^^^^^^^^ support.function.citus.legacy.sql
SET citus.shard_count = 32;
--  ^^^^^^^^^^^^^^^^^ support.variable.setting.citus.sql
SELECT current_setting('citus.shard_count');
--                     ^ string.quoted.single.sql
--                      ^^^^^^^^^^^^^^^^^ support.variable.setting.citus.sql
    \copy events FROM 'events.csv' WITH (FORMAT csv)
--  ^ meta.meta-command.psql punctuation.definition.keyword.psql
--   ^^^^ meta.meta-command.psql keyword.control.meta-command.psql
--                    ^^^^^^^^^^^^ meta.meta-command.psql string.quoted.single.psql
SELECT count(*) FROM events WHERE tenant_id = :tenant AND x::int = 1 \gset
--                                            ^^^^^^^ variable.other.psql.sql
--                                                         ^^^^^ - variable.other.psql.sql
--                                                                    ^^^^ keyword.control.meta-command.psql
SELECT :'name', :"tbl";
--     ^^^^^^^ variable.other.psql.literal.sql
--              ^^^^^^ variable.other.psql.identifier.sql
-- SELECT create_distributed_table('a', 'b');
--        ^^^^^^^^^^^^^^^^^^^^^^^^ comment.line.double-dash.sql - support.function.citus.sql
SELECT 'create_distributed_table', 'citus.shard_count is on';
--      ^^^^^^^^^^^^^^^^^^^^^^^^ string.quoted.single.sql - support.function.citus.sql
--                                  ^^^^^^^^^^^^^^^^^ string.quoted.single.sql - support.variable.setting.citus.sql
