/**
 * alter-table-refused: an ALTER TABLE Citus refuses on a Citus table (a subcommand on the distribution column, ADD
 * CONSTRAINT with other subcommands). The schema model applies the DDL and reports it (src/core/schema/ddl.ts);
 * docs/rules/alter-table-refused.md explains the rule.
 */
import { plannerRule } from './rule';

export const rule = plannerRule({
  id: 'alter-table-refused',
  summary: 'An ALTER TABLE Citus refuses: the distribution column\'s type, default or NOT NULL changed or the column dropped, ADD CONSTRAINT or a DEFAULT nextval(..) with other subcommands, RENAME CONSTRAINT, ADD COLUMN of a serial or identity column or with an unnamed CHECK, an identity column\'s type, the subcommands Citus does not run on shards (SET STATISTICS, DROP IDENTITY, CLUSTER ON, ...), and ATTACH PARTITION of a reference, partitioned or Citus table where Citus refuses it.',
  defaultSeverity: 'error',
  fixable: false,
});
