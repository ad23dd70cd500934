import { at } from './at';
import { ruleTests } from './harness';

// checked on Citus 13.2.2: a distributed, a reference and a citus-local table refuse it, a plain table runs it
const DISTRIBUTED = 'BEGIN; DECLARE c CURSOR FOR SELECT * FROM events WHERE tenant_id = 1 FOR UPDATE; UPDATE events SET value = 2 WHERE CURRENT OF c';
const REFERENCE = 'BEGIN; DECLARE c CURSOR FOR SELECT * FROM ref_tenants FOR UPDATE; DELETE FROM ref_tenants WHERE CURRENT OF c';
const CITUS_LOCAL = "CREATE TABLE cl (a int PRIMARY KEY, b int); SELECT citus_add_local_table_to_metadata('cl'); BEGIN; DECLARE c CURSOR FOR SELECT * FROM cl FOR UPDATE; UPDATE cl SET b = 3 WHERE CURRENT OF c";
// in a PL/pgSQL loop over a cursor: the statement inside the body
const PLPGSQL = `CREATE FUNCTION touch() RETURNS void LANGUAGE plpgsql AS $$
DECLARE cur CURSOR FOR SELECT * FROM events WHERE tenant_id = 1 FOR UPDATE;
BEGIN
  FOR r IN cur LOOP
    UPDATE events SET value = 0 WHERE CURRENT OF cur;
  END LOOP;
END $$`;

ruleTests('modify-with-cursor', {
  valid: [
    { sql: 'BEGIN; DECLARE c CURSOR FOR SELECT * FROM local_config FOR UPDATE; UPDATE local_config SET val = 3 WHERE CURRENT OF c', outcome: 'local' },
    { sql: 'UPDATE events SET value = 2 WHERE tenant_id = 1', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: DISTRIBUTED, outcome: 'error', findings: [at(DISTRIBUTED, 'CURRENT OF')] },
    { sql: REFERENCE, outcome: 'error', findings: [at(REFERENCE, 'CURRENT OF')] },
    { sql: CITUS_LOCAL, outcome: 'error', findings: [at(CITUS_LOCAL, 'CURRENT OF')] },
    { sql: PLPGSQL, findings: [at(PLPGSQL, 'CURRENT OF')] },
  ],
});
