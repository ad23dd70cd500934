import { at } from './at';
import { ruleTests } from './harness';

// Each case was run on Citus 13.2.2 with the corpus data (test/fixtures/probes/sql/nested-function-calls.sql records
// them): the invalid ones fail on the workers with `cannot execute a distributed query from a query on a shard`, the
// valid ones run. A warning: a call that no row reaches runs nothing.
const FUNCTIONS = [
  'CREATE FUNCTION plan_of(t int) RETURNS text LANGUAGE plpgsql AS $$ BEGIN RETURN (SELECT plan FROM ref_tenants WHERE tenant_id = t); END $$;',
  'CREATE FUNCTION plan_of_sql(t int) RETURNS text LANGUAGE sql AS $$ SELECT plan FROM ref_tenants WHERE tenant_id = t $$;',
  'CREATE FUNCTION events_of(t int) RETURNS bigint LANGUAGE plpgsql AS $$ DECLARE n bigint; BEGIN SELECT count(*) INTO n FROM events WHERE tenant_id = t; RETURN n; END $$;',
  'CREATE FUNCTION doubled(t int) RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN t * 2; END $$;',
].join('\n');
const TARGET = `${FUNCTIONS}\nSELECT tenant_id, plan_of(tenant_id) FROM events LIMIT 3`;
const SQL_BODY = `${FUNCTIONS}\nSELECT tenant_id, plan_of_sql(tenant_id) FROM events LIMIT 3`;
const WHERE = `${FUNCTIONS}\nSELECT tenant_id FROM events WHERE plan_of(tenant_id) = 'pro' LIMIT 3`;
const GROUPED = `${FUNCTIONS}\nSELECT plan_of(user_id), count(*) FROM events GROUP BY user_id`;
const CONSTANT = `${FUNCTIONS}\nSELECT tenant_id, plan_of(5) FROM events WHERE tenant_id = 5 LIMIT 3`;
const DISTINCT = `${FUNCTIONS}\nSELECT DISTINCT tenant_id, plan_of(tenant_id) FROM events`;
const HAVING = `${FUNCTIONS}\nSELECT tenant_id, count(*) FROM events GROUP BY tenant_id HAVING count(*) > 0 AND plan_of(tenant_id) = 'pro'`;
const INSERT_SELECT = `${FUNCTIONS}\nINSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, events_of(tenant_id) FROM users`;

ruleTests('nested-distributed-query', {
  valid: [
    // a function that queries nothing, one over reference tables only (it runs on the coordinator's placement), an
    // aggregate's result (the coordinator's), a query of plain PostgreSQL
    { sql: `${FUNCTIONS}\nSELECT tenant_id, doubled(tenant_id) FROM events LIMIT 3`, outcome: 'multi_shard' },
    { sql: `${FUNCTIONS}\nSELECT tenant_id, plan_of(tenant_id) FROM ref_tenants LIMIT 3`, outcome: 'single_shard' },
    { sql: `${FUNCTIONS}\nSELECT plan_of(max(tenant_id)) FROM events`, outcome: 'multi_shard' },
    { sql: `${FUNCTIONS}\nSELECT plan_of(tenant_id) FROM local_config`, outcome: 'local' },
    // HAVING of groups that are not the distribution column's: the coordinator applies it
    { sql: `${FUNCTIONS}\nSELECT user_id, count(*) FROM events GROUP BY user_id HAVING plan_of(user_id) = 'pro'`, outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: TARGET, outcome: 'multi_shard', findings: [at(TARGET, 'plan_of(tenant_id)')] },
    { sql: SQL_BODY, outcome: 'multi_shard', findings: [at(SQL_BODY, 'plan_of_sql(tenant_id)')] },
    { sql: WHERE, outcome: 'multi_shard', findings: [at(WHERE, 'plan_of(tenant_id)')] },
    { sql: GROUPED, outcome: 'multi_shard', findings: [at(GROUPED, 'plan_of(user_id)')] },
    { sql: CONSTANT, outcome: 'single_shard', findings: [at(CONSTANT, 'plan_of(5)')] },
    { sql: DISTINCT, outcome: 'multi_shard', findings: [at(DISTINCT, 'plan_of(tenant_id)')] },
    { sql: HAVING, outcome: 'multi_shard', findings: [at(HAVING, 'plan_of(tenant_id)')] },
    { sql: INSERT_SELECT, method: 'repartition', findings: [at(INSERT_SELECT, 'events_of(tenant_id)')] },
  ],
});
