import { at } from './at';
import { ruleTests } from './harness';

const NOW = 'INSERT INTO tenant_stats (tenant_id, event_count, last_seen) SELECT tenant_id, count(*), now() FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = now()';
const RANDOM = 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET event_count = random()::int';
const CURRENT_TS = `INSERT INTO tenant_stats (tenant_id, event_count, last_seen)
SELECT tenant_id, count(*), max(created_at) FROM events GROUP BY tenant_id
ON CONFLICT (tenant_id) DO UPDATE SET last_seen = CURRENT_TIMESTAMP`;
const IN_WHERE = `INSERT INTO tenant_stats (tenant_id, event_count, last_seen)
SELECT tenant_id, count(*), max(created_at) FROM events GROUP BY tenant_id
ON CONFLICT (tenant_id) DO UPDATE SET event_count = tenant_stats.event_count + EXCLUDED.event_count, last_seen = greatest(tenant_stats.last_seen, EXCLUDED.last_seen)
WHERE tenant_stats.last_seen < now()`;
// in a PL/pgSQL rollup function: positions are in the outer file
const FUNCTION_BODY = `CREATE OR REPLACE FUNCTION roll_tenants() RETURNS void LANGUAGE plpgsql AS $$
BEGIN
  INSERT INTO tenant_stats (tenant_id, event_count, last_seen)
  SELECT tenant_id, count(*), max(created_at) FROM events GROUP BY tenant_id
  ON CONFLICT (tenant_id) DO UPDATE
  SET event_count = tenant_stats.event_count + EXCLUDED.event_count,
      last_seen = clock_timestamp();
END;
$$;`;
// STABLE as PostgreSQL resolves them for the argument types: `'x' || bigint` is textanycat, concat() is STABLE
// (each refused on Citus 13.2.2, test/fixtures/probes/sql/stable-operators.sql); `bigint::text` is IMMUTABLE and runs
const CONCAT_OPERATOR = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET total_value = length('x' || excluded.event_count)";
const CONCAT_FUNCTION = "INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET total_value = length(concat('x', excluded.event_count))";

ruleTests('on-conflict-mutable-function', {
  valid: [
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) SELECT tenant_id, count(*) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET total_value = length(excluded.event_count::text)', method: 'pushdown' },
    // compute the value in the SELECT list (STABLE is fine there) and assign EXCLUDED.<column>
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count, last_seen) SELECT tenant_id, count(*), now() FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = EXCLUDED.last_seen', method: 'pushdown' },
    // immutable functions are allowed
    { sql: 'INSERT INTO tenant_stats (tenant_id, total_value) SELECT tenant_id, sum(value) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET total_value = round(tenant_stats.total_value + EXCLUDED.total_value, 2)', method: 'pushdown' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, last_seen) SELECT tenant_id, max(created_at) FROM events GROUP BY tenant_id ON CONFLICT (tenant_id) DO UPDATE SET last_seen = greatest(tenant_stats.last_seen, EXCLUDED.last_seen)', method: 'pushdown' },
  ],
  invalid: [
    { sql: NOW, method: 'error', findings: [at(NOW, 'now()', 2)] },
    { sql: RANDOM, method: 'error', findings: [at(RANDOM, 'random()')] },
    { sql: CURRENT_TS, method: 'error', findings: [at(CURRENT_TS, 'CURRENT_TIMESTAMP')] },
    { sql: IN_WHERE, method: 'error', findings: [at(IN_WHERE, 'now()')] },
    { sql: CONCAT_OPERATOR, method: 'error', findings: [at(CONCAT_OPERATOR, "'x' ||")] },
    { sql: CONCAT_FUNCTION, method: 'error', findings: [at(CONCAT_FUNCTION, 'concat(')] },
    { sql: FUNCTION_BODY, method: 'error', findings: [at(FUNCTION_BODY, 'clock_timestamp()')] },
  ],
});
