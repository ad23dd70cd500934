/**
 * distribution-call-refused: a create_distributed_table call that Citus refuses before it changes anything (the column
 * name is not the table's as written, colocate_with a table whose distribution column has another type). The schema model applies the DDL and reports these
 * (src/core/schema/ddl.ts); docs/rules/distribution-call-refused.md explains them.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'distribution-call-refused',
  summary: 'A create_distributed_table, alter_distributed_table, undistribute_table, alter_table_set_access_method or isolate_tenant_to_new_shard call Citus refuses: no such column as written, colocate_with a table it cannot be colocated with (another distribution column type, a plain, citus-local or single-shard table), parameters that change nothing or cannot apply, a table with an identity column to rebuild, a partitioned table or a partition given to Citus in a way it refuses, a sequence that would feed columns of two types, a temporary table, a view or a materialized view given to Citus.',
  defaultSeverity: 'error',
  fixable: false,
});
