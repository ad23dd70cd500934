import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { at } from './at';
import { ruleTests, type RuleTable } from './harness';

// Every case was run on Citus 13.2.2 (test/fixtures/fk-refusals holds the recorded run of these and more): the
// invalid ones were refused at the statement the finding is on, with its message; the valid ones ran.
const LOCAL_REF = 'CREATE TABLE fk_r (id int PRIMARY KEY);\nCREATE TABLE fk_d (a int, rid int REFERENCES fk_r (id));';
const TO_PLAIN = `${LOCAL_REF}\nSELECT create_distributed_table('fk_d', 'a');`;
const ORDERED = `${LOCAL_REF}\nSELECT create_reference_table('fk_r');\nSELECT create_distributed_table('fk_d', 'a');`;
const HASH_PARENT = "CREATE TABLE fk_p (a int PRIMARY KEY, x int);\nSELECT create_distributed_table('fk_p', 'a');";
// a key of a column ALTER TABLE adds, from a reference table to a distributed one (checked on Citus 13.2.2, probe
// rollup-setup-mistakes.sql)
const ADD_COLUMN_REFERENCES = `${HASH_PARENT}\nCREATE TABLE fk_ref (k int PRIMARY KEY);\nSELECT create_reference_table('fk_ref');\nALTER TABLE fk_ref ADD COLUMN a int REFERENCES fk_p (a);`;
const NOT_ON_KEY = `${HASH_PARENT}\nCREATE TABLE fk_c (a int, b int REFERENCES fk_p (a));\nSELECT create_distributed_table('fk_c', 'a');`;
const ON_KEY = `${HASH_PARENT}\nCREATE TABLE fk_c (a int, b int REFERENCES fk_p (a));\nSELECT create_distributed_table('fk_c', 'b');`;
const OWN_GROUP = `${HASH_PARENT}\nCREATE TABLE fk_c (a int REFERENCES fk_p (a));\nSELECT create_distributed_table('fk_c', 'a', colocate_with => 'none');`;
const SHARD_COUNT = `${HASH_PARENT}\nCREATE TABLE fk_c (a int REFERENCES fk_p (a));\nSELECT create_distributed_table('fk_c', 'a', shard_count => 8);`;
const REF_TO_DIST = `${HASH_PARENT}\nCREATE TABLE fk_r (a int REFERENCES fk_p (a));\nSELECT create_reference_table('fk_r');`;
const SET_NULL = "CREATE TABLE fk_r (id int PRIMARY KEY);\nSELECT create_reference_table('fk_r');\nCREATE TABLE fk_d (a int REFERENCES fk_r (id) ON DELETE SET NULL, b int);\nSELECT create_distributed_table('fk_d', 'a');";
const SET_NULL_OTHER_COLUMN = SET_NULL.replace("'fk_d', 'a'", "'fk_d', 'b'");
const SELF = "CREATE TABLE fk_t (a int PRIMARY KEY, parent int REFERENCES fk_t (a));\nSELECT create_distributed_table('fk_t', 'a');";
const CONVERSION =
  "CREATE TABLE fk_t1 (a int PRIMARY KEY);\nCREATE TABLE fk_r1 (b int PRIMARY KEY);\nCREATE TABLE fk_t2 (a int REFERENCES fk_t1 (a), b int REFERENCES fk_r1 (b));\nSELECT create_distributed_table('fk_t1', 'a');\nSELECT create_reference_table('fk_r1');";
const ALTER_TO_PLAIN = "CREATE TABLE fk_loc (id int PRIMARY KEY);\nCREATE TABLE fk_d (a int, lid int);\nSELECT create_distributed_table('fk_d', 'a');\nALTER TABLE fk_d ADD CONSTRAINT fk_d_loc FOREIGN KEY (lid) REFERENCES fk_loc (id);";
const ALTER_TO_REFERENCE = ALTER_TO_PLAIN.replace("CREATE TABLE fk_loc (id int PRIMARY KEY);", "CREATE TABLE fk_loc (id int PRIMARY KEY);\nSELECT create_reference_table('fk_loc');");
const CASCADE_TO_PLAIN = "CREATE TABLE fk_l (id int PRIMARY KEY);\nCREATE TABLE fk_t (a int, lid int REFERENCES fk_l (id) ON DELETE CASCADE);\nSELECT create_reference_table('fk_t');";
const ADD_LOCAL = "CREATE TABLE fk_l (id int PRIMARY KEY);\nCREATE TABLE fk_t (a int REFERENCES fk_l (id));\nSELECT citus_add_local_table_to_metadata('fk_t');";
const PG_DUMP_ORDER = "CREATE TABLE fk_r (id int PRIMARY KEY);\nCREATE TABLE fk_d (a int, rid int);\nALTER TABLE ONLY fk_d ADD CONSTRAINT fk_d_r FOREIGN KEY (rid) REFERENCES fk_r (id);\nSELECT create_distributed_table('fk_d', 'a');";
const REPLICATED = "SET citus.shard_replication_factor = 2;\nCREATE TABLE fk_r (id int PRIMARY KEY);\nSELECT create_reference_table('fk_r');\nCREATE TABLE fk_d (id int REFERENCES fk_r (id));\nSELECT create_distributed_table('fk_d', 'id');";

/** The rule table (also run on a live cluster: test/cluster/citus.test.ts). */
export const FOREIGN_KEY_CASES: RuleTable = {
  valid: [
    { sql: ORDERED, notOnPostgres: 'Citus functions' },
    { sql: ON_KEY, notOnPostgres: 'Citus functions' },
    { sql: SET_NULL_OTHER_COLUMN, notOnPostgres: 'Citus functions' },
    { sql: ALTER_TO_REFERENCE, notOnPostgres: 'Citus functions' },
    { sql: ADD_LOCAL.replace("('fk_t')", "('fk_t', cascade_via_foreign_keys => true)"), notOnPostgres: 'Citus functions' },
    // a plain table may reference a distributed one (Citus checks the referencing side only)
    { sql: `${HASH_PARENT}\nCREATE TABLE fk_l (a int REFERENCES fk_p (a));`, notOnPostgres: 'Citus functions' },
    // distributing the referenced table first leaves the plain table's key to it alone
    { sql: "CREATE TABLE fk_p (a int PRIMARY KEY);\nCREATE TABLE fk_c (a int REFERENCES fk_p (a));\nSELECT create_distributed_table('fk_p', 'a');\nSELECT create_distributed_table('fk_c', 'a');", notOnPostgres: 'Citus functions' },
    // a DO block may have made fk_r a reference table: the model does not run it, and says nothing
    { sql: `${LOCAL_REF}\nDO $$ BEGIN PERFORM create_reference_table('fk_r'); END $$;\nSELECT create_distributed_table('fk_d', 'a');`, notOnPostgres: 'Citus functions' },
    // a key between types the model does not compare (integer and numeric): not known to exist, nothing is said
    { sql: "CREATE TABLE fk_r (id numeric PRIMARY KEY);\nCREATE TABLE fk_d (a int, rid int REFERENCES fk_r (id));\nSELECT create_distributed_table('fk_d', 'a');", notOnPostgres: 'refused on Citus: a missed error, not a false one' },
    // a row written before ALTER TABLE adds the key may fail it (here it does: no tenant 7), then the key does not exist
    { sql: PG_DUMP_ORDER.replace('ALTER TABLE ONLY', 'INSERT INTO fk_d VALUES (1, 7);\nALTER TABLE ONLY'), notOnPostgres: 'refused on Citus, at the ALTER TABLE (the row fails the key): the model cannot tell, and says nothing after it' },
    // the key was dropped by its name
    { sql: `CREATE TABLE fk_r (id int PRIMARY KEY);\nCREATE TABLE fk_d (a int, rid int, CONSTRAINT fk_d_r FOREIGN KEY (rid) REFERENCES fk_r (id));\nALTER TABLE fk_d DROP CONSTRAINT fk_d_r;\nSELECT create_distributed_table('fk_d', 'a');`, notOnPostgres: 'Citus functions' },
  ],
  invalid: [
    { sql: ADD_COLUMN_REFERENCES, findings: [at(ADD_COLUMN_REFERENCES, 'fk_ref ADD')] },
    { sql: TO_PLAIN, findings: [at(TO_PLAIN, 'create_distributed_table')] },
    { sql: NOT_ON_KEY, findings: [at(NOT_ON_KEY, 'create_distributed_table', 2)] },
    { sql: OWN_GROUP, findings: [at(OWN_GROUP, 'create_distributed_table', 2)] },
    { sql: SHARD_COUNT, findings: [at(SHARD_COUNT, 'create_distributed_table', 2)] },
    { sql: REF_TO_DIST, findings: [at(REF_TO_DIST, 'create_reference_table')] },
    { sql: SET_NULL, findings: [at(SET_NULL, 'create_distributed_table')] },
    { sql: SELF, findings: [at(SELF, 'create_distributed_table')] },
    { sql: CONVERSION, findings: [at(CONVERSION, 'create_reference_table')] },
    { sql: ALTER_TO_PLAIN, findings: [at(ALTER_TO_PLAIN, 'fk_d ADD')] },
    { sql: CASCADE_TO_PLAIN, findings: [at(CASCADE_TO_PLAIN, 'create_reference_table')] },
    { sql: ADD_LOCAL, findings: [at(ADD_LOCAL, 'citus_add_local_table_to_metadata')] },
    { sql: REPLICATED, findings: [at(REPLICATED, 'create_distributed_table')] },
    // pg_dump's order: the tables, then their foreign keys, then the calls
    { sql: PG_DUMP_ORDER, findings: [at(PG_DUMP_ORDER, 'create_distributed_table')] },
    // integers of two sizes: PostgreSQL takes the key
    { sql: TO_PLAIN.replace('id int PRIMARY KEY', 'id bigint PRIMARY KEY'), findings: [at(TO_PLAIN, 'create_distributed_table')] },
  ],
};

ruleTests('foreign-key-refused', FOREIGN_KEY_CASES);

describe('foreign-key-refused leaves the tables as they were', () => {
  before(async () => {
    await loadParser();
  });

  const analyze = (sql: string): ReturnType<typeof analyzeDocument> => analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' });

  it("keeps a table whose distribution Citus refuses local, and quotes Citus' message", () => {
    const a = analyze(`${TO_PLAIN}\n`);
    assert.equal(a.model.get('public', 'fk_d')?.kind, 'local');
    assert.deepEqual(
      a.findings.filter((f) => f.rule === 'foreign-key-refused').map((f) => [f.message, f.citus?.hint]),
      [
        [
          'Citus refuses this statement: referenced table "fk_r" must be a distributed table or a reference table (To enforce foreign keys, the referencing and referenced rows need to be stored on the same node). Nothing of it happens.',
          "You could use SELECT create_reference_table('fk_r') to replicate the referenced table to all nodes or consider dropping the foreign key",
        ],
      ],
    );
  });

  it('converts no plain table when the conversion is refused, and keeps the reference table plain', () => {
    const a = analyze(`${CONVERSION}\n`);
    assert.deepEqual(['fk_t1', 'fk_r1', 'fk_t2'].map((n) => a.model.get('public', n)?.kind), ['hash', 'local', 'local']);
  });

  it('keeps no foreign key that ALTER TABLE was refused, and follows a renamed column', () => {
    const refused = analyze(`${ALTER_TO_PLAIN}\n`);
    assert.deepEqual(refused.model.get('public', 'fk_d')?.foreignKeysTo ?? [], []);
    // the renamed distribution column is still the key's column: distributing by it is not refused
    const renamed = analyze(`CREATE TABLE fk_p (a int PRIMARY KEY);\nSELECT create_distributed_table('fk_p', 'a');\nCREATE TABLE fk_c (a int REFERENCES fk_p (a));\nALTER TABLE fk_c RENAME COLUMN a TO b;\nSELECT create_distributed_table('fk_c', 'b');\n`);
    assert.deepEqual(renamed.findings.filter((f) => f.rule === 'foreign-key-refused'), []);
    assert.equal(renamed.model.get('public', 'fk_c')?.kind, 'hash');
  });
});
