import { at } from './at';
import { ruleTests } from './harness';

// a distribution column of a domain with a CHECK: Citus 13.2.2 cannot coerce an uncast constant to it
const DOMAIN = "CREATE DOMAIN positive_int AS int CHECK (VALUE > 0);\nCREATE DOMAIN plain_int AS int;\nCREATE TABLE dist_dom (a positive_int, b text);\nSELECT create_distributed_table('dist_dom', 'a');\nCREATE TABLE dist_plain (a plain_int, b text);\nSELECT create_distributed_table('dist_plain', 'a');\n";
const INSERT_ONE = `${DOMAIN}INSERT INTO dist_dom VALUES (5, 'five')`;
const INSERT_QUOTED = `${DOMAIN}INSERT INTO dist_dom VALUES ('5', 'five')`;
const UPDATE_EQ = `${DOMAIN}UPDATE dist_dom SET b = 'x' WHERE a = 5`;
const DELETE_EQ = `${DOMAIN}DELETE FROM dist_dom WHERE 5 = a AND b = 'y'`;
const IN_CTE = `${DOMAIN}WITH x AS (UPDATE dist_dom SET b = 'x' WHERE a = 5 RETURNING *) SELECT * FROM x`;

ruleTests('domain-dist-column-constant', {
  valid: [
    { sql: `${DOMAIN}INSERT INTO dist_dom VALUES (5::positive_int, 'five')`, outcome: 'single_shard' },
    // several rows are routed one by one (checked on Citus 13.2.2); 11 and 12 hash to one shard of 32
    { sql: `${DOMAIN}INSERT INTO dist_dom VALUES (11, 'eleven'), (12, 'twelve')`, outcome: 'single_shard' },
    { sql: `${DOMAIN}INSERT INTO dist_plain VALUES (5, 'five')`, outcome: 'single_shard' },
    // a cast constant or an IN list prunes nothing: every shard
    { sql: `${DOMAIN}UPDATE dist_dom SET b = 'x' WHERE a = 5::positive_int`, outcome: 'multi_shard' },
    { sql: `${DOMAIN}UPDATE dist_dom SET b = 'x' WHERE a IN (5, 6)`, outcome: 'multi_shard' },
    { sql: `${DOMAIN}UPDATE dist_plain SET b = 'x' WHERE a = 5`, outcome: 'single_shard' },
    { sql: `${DOMAIN}SELECT * FROM dist_dom WHERE a = 5`, outcome: 'single_shard' },
    { sql: `${DOMAIN}SELECT * FROM dist_dom WHERE a IN (11, 12)`, outcome: 'multi_shard' },
  ],
  invalid: [
    { sql: INSERT_ONE, outcome: 'error', findings: [at(INSERT_ONE, "5, 'five'")] },
    { sql: INSERT_QUOTED, outcome: 'error', findings: [at(INSERT_QUOTED, "'5'")] },
    { sql: UPDATE_EQ, outcome: 'error', findings: [at(UPDATE_EQ, 'a = 5', 1, 4)] },
    { sql: DELETE_EQ, outcome: 'error', findings: [at(DELETE_EQ, '5 = a')] },
    { sql: IN_CTE, outcome: 'error', findings: [at(IN_CTE, 'a = 5', 1, 4)] },
  ],
});
