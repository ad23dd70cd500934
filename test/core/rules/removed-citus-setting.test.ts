import { strict as assert } from 'node:assert';
import { citusCatalog } from '../../../src/core/complete/citus-catalog';
import { settingStatus } from '../../../src/core/planner/dml-settings';
import { at } from './at';
import { ruleTests } from './harness';

const TWO_PC = "BEGIN;\nSET citus.multi_shard_commit_protocol = '2pc';\nUPDATE events SET value = 0 WHERE tenant_id = 5;\n";
const RESET = 'RESET citus.multi_shard_commit_protocol';
const CTE = 'SET citus.enable_cte_inlining = off;';
const REPLICATION = "SET citus.replication_model = 'statement';";
const SAME_LINE = "SET citus.single_shard_commit_protocol = '2pc'; DELETE FROM events WHERE tenant_id = 5;";

ruleTests('removed-citus-setting', {
  valid: [
    { sql: 'SET citus.shard_replication_factor = 2', outcome: 'ok_setting' },
    { sql: 'SET citus.enable_repartition_joins = on', outcome: 'ok_setting' },
    { sql: "SET LOCAL citus.multi_shard_modify_mode TO 'sequential'", outcome: 'ok_setting' },
    { sql: 'RESET citus.log_remote_commands', outcome: 'ok_setting' },
    // settings pg_settings does not list (GUC_NO_SHOW_ALL) or that came with tenant statistics (Citus 12)
    { sql: 'SET citus.enable_recurring_outer_join_pushdown TO off', outcome: 'ok_setting' },
    { sql: "SET citus.stat_tenants_track TO 'all'", outcome: 'ok_setting' },
    { sql: 'SET search_path = public' },
  ],
  invalid: [
    {
      sql: TWO_PC,
      findings: [at(TWO_PC, 'SET citus')],
      output: 'BEGIN;\nUPDATE events SET value = 0 WHERE tenant_id = 5;\n',
      // the failed SET aborts the block: the UPDATE after it does not run (it does once the fix removes the SET)
      outcome: 'error',
    },
    { sql: RESET, outcome: 'error', findings: [at(RESET, 'RESET')], output: '' },
    { sql: CTE, outcome: 'error', findings: [at(CTE, 'SET')], output: '' },
    // still accepted, but only prints a NOTICE: a warning
    { sql: REPLICATION, outcome: 'ok_setting', findings: [at(REPLICATION, 'SET')], output: '' },
    { sql: SAME_LINE, outcome: 'single_shard', findings: [at(SAME_LINE, 'SET')], output: 'DELETE FROM events WHERE tenant_id = 5;' },
  ],
});

describe('citus.* setting names', () => {
  it('knows every setting the recorded Citus 13.2.2 catalog has (its pg_settings, and the hidden ones SET accepted)', () => {
    const unknown = [...citusCatalog().settings.keys()].filter((n) => settingStatus(n).kind === 'unknown');
    assert.deepEqual(unknown, []);
  });
});
