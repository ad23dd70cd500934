import { at } from './at';
import { ruleTests } from './harness';

const OTHER_VALUE = 'UPDATE events SET tenant_id = 6 WHERE tenant_id = 5';
const EXPRESSION = 'UPDATE events SET tenant_id = tenant_id + 1';
const FOLDED_OTHER = 'UPDATE events SET tenant_id = abs(-6) WHERE tenant_id = 5';
const SECOND = 'UPDATE users u SET name = \'x\', tenant_id = u.user_id WHERE u.tenant_id = 3';

ruleTests('update-modifies-dist-column', {
  valid: [
    // assigning the column itself, or the constant the WHERE pins it to, changes nothing
    { sql: 'UPDATE events SET tenant_id = tenant_id WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: 'UPDATE events SET tenant_id = 5 WHERE tenant_id = 5', outcome: 'single_shard' },
    // a function of constants PostgreSQL folds to the pinned value (checked on Citus 13.2.2)
    { sql: 'UPDATE events SET tenant_id = abs(-5) WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: 'UPDATE events SET tenant_id = 2 + 3 WHERE tenant_id = 5', outcome: 'single_shard' },
    { sql: 'UPDATE events SET value = value + 1 WHERE tenant_id = 5', outcome: 'single_shard' },
    // a reference table has no distribution column
    { sql: 'UPDATE ref_tenants SET tenant_id = tenant_id + 1', outcome: 'single_shard' },
  ],
  invalid: [
    { sql: OTHER_VALUE, outcome: 'error', findings: [at(OTHER_VALUE, 'tenant_id = 6')] },
    { sql: EXPRESSION, outcome: 'error', findings: [at(EXPRESSION, 'tenant_id = tenant_id')] },
    { sql: SECOND, outcome: 'error', findings: [at(SECOND, 'tenant_id = u.user_id')] },
    { sql: FOLDED_OTHER, outcome: 'error', findings: [at(FOLDED_OTHER, 'tenant_id = abs')] },
  ],
});
