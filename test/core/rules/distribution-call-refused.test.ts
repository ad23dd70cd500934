import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { applyDocumentDdl } from '../../../src/core/workspace';
import { at } from './at';
import { ruleTests } from './harness';

// Each invalid call was run on Citus 13.2.2 and refused with the message the finding quotes; the valid ones ran.
const REF = "CREATE TABLE r1 (a int);\nSELECT create_reference_table('r1');";
const HASH = "CREATE TABLE h1 (a int);\nSELECT create_distributed_table('h1', 'a');";
const WRONG_CASE = "CREATE TABLE t_q (a int);\nSELECT create_distributed_table('t_q', 'A')";
const QUOTED = 'CREATE TABLE q1 ("TeNANt_Id" int);\nSELECT create_distributed_table(\'q1\', \'"TeNANt_Id"\')';
const OTHER_TYPE = `${HASH}\nCREATE TABLE t_big (a bigint);\nSELECT create_distributed_table('t_big', 'a', colocate_with => 'h1')`;
const WITH_REFERENCE = `${REF}\nCREATE TABLE t_ref (a int);\nSELECT create_distributed_table('t_ref', 'a', colocate_with => 'r1')`;
const SHARD_COUNT = `${HASH}\nCREATE TABLE t_sc (a int);\nSELECT create_distributed_table('t_sc', 'a', colocate_with => 'h1', shard_count => 8)`;
// colocate_with a table Citus cannot colocate with (EnsureTableCanBeColocatedWith; Citus' regression file
// create_single_shard_table.sql, recorded, and each of these run on Citus 13.2.2 with the messages below): a
// single-shard table with a hash or a reference table, a hash table with a single-shard one, a plain or citus-local table
// isolate_tenant_to_new_shard (operations/isolate_shards.c; probe file tenant-isolation.sql, recorded on Citus 13.2.2)
const TENANTS = "CREATE TABLE stores (id uuid PRIMARY KEY, name text);\nCREATE TABLE products (store_id uuid NOT NULL, id uuid NOT NULL);\nSELECT create_distributed_table('stores', 'id');\nSELECT create_distributed_table('products', 'store_id', colocate_with => 'stores');";
const ISOLATE = `${TENANTS}\nSELECT isolate_tenant_to_new_shard('stores', 'ba581249-d824-45cf-aace-2ca30b7b3b0e')`;
const ISOLATE_REF = `${REF}\nSELECT isolate_tenant_to_new_shard('r1', 5, 'CASCADE')`;
const SINGLE = "CREATE TABLE s1 (a int);\nSELECT create_distributed_table('s1', NULL);";
const NULL_WITH_HASH = `${HASH}\nCREATE TABLE n1 (a int);\nSELECT create_distributed_table('n1', NULL, colocate_with => 'h1')`;
const NULL_WITH_REFERENCE = `${REF}\nCREATE TABLE n2 (a int);\nSELECT create_distributed_table('n2', NULL, colocate_with => 'r1')`;
const HASH_WITH_SINGLE = `${SINGLE}\nCREATE TABLE n3 (a int);\nSELECT create_distributed_table('n3', 'a', colocate_with => 's1')`;
const WITH_PLAIN = "CREATE TABLE p1 (a int);\nCREATE TABLE n4 (a int);\nSELECT create_distributed_table('n4', NULL, colocate_with => 'p1')";
const WITH_CITUS_LOCAL = "CREATE TABLE c1 (a int);\nSELECT citus_add_local_table_to_metadata('c1');\nCREATE TABLE n5 (a int);\nSELECT create_distributed_table('n5', NULL, colocate_with => 'c1')";

// a second call on a table the file itself made a Citus table (EnsureTableNotDistributed, before the column and the
// colocation are looked at): each run on Citus 13.2.2, `table "a1" is already distributed`
const TWICE = "CREATE TABLE a1 (a int PRIMARY KEY, b int);\nSELECT create_distributed_table('a1', 'a');\nSELECT create_distributed_table('a1', 'a')";
const OTHER_COLUMN = "CREATE TABLE a2 (a int PRIMARY KEY, b int);\nSELECT create_distributed_table('a2', 'a');\nSELECT create_distributed_table('a2', 'b')";
const NO_COLUMN = "CREATE TABLE a3 (a int);\nSELECT create_distributed_table('a3', 'a');\nSELECT create_distributed_table('a3', 'nosuch')";
const REFERENCE_TWICE = "CREATE TABLE a4 (a int);\nSELECT create_reference_table('a4');\nSELECT create_distributed_table('a4', 'a')";
const TEXT_KEY = "CREATE TABLE a6 (repo text, n int);\nSELECT create_distributed_table('a6', 'repo');\nSELECT create_distributed_table('a6', 'n')";
const SINGLE_THEN_HASH = "SET citus.shard_replication_factor = 1;\nCREATE TABLE a5 (a int);\nSELECT create_distributed_table('a5', NULL);\nSELECT create_reference_table('a5')";

ruleTests('distribution-call-refused', {
  valid: [
    // a citus-local table is converted; a table undistributed in between, or dropped and created again, is plain;
    // a first call behind a guard may not have run
    { sql: "CREATE TABLE b1 (a int PRIMARY KEY);\nSELECT citus_add_local_table_to_metadata('b1');\nSELECT create_distributed_table('b1', 'a')" },
    { sql: "CREATE TABLE b2 (a int);\nSELECT create_distributed_table('b2', 'a');\nSELECT undistribute_table('b2');\nSELECT create_distributed_table('b2', 'a')" },
    { sql: "CREATE TABLE b3 (a int);\nSELECT create_distributed_table('b3', 'a');\nDROP TABLE b3;\nCREATE TABLE b3 (a int);\nSELECT create_distributed_table('b3', 'a')" },
    { sql: "CREATE TABLE b4 (a int);\nSELECT create_distributed_table('b4', 'a') WHERE random() > 2;\nSELECT create_distributed_table('b4', 'a')" },
    { sql: "CREATE TABLE b5 (a int);\nBEGIN;\nSELECT create_distributed_table('b5', 'a');\nROLLBACK;\nSELECT create_distributed_table('b5', 'a')" },
    // a first call Citus may refuse for what the model does not check: a type it may not hash, a table changed by
    // ALTER TABLE, an argument more, a single-shard table while the replication factor is not known to be 1
    { sql: "CREATE TABLE b6 (a numeric);\nSELECT create_distributed_table('b6', 'a');\nSELECT create_distributed_table('b6', 'a')", notOnPostgres: 'a second call Citus refuses; the model cannot know it' },
    { sql: "CREATE TABLE b7 (a int, b int);\nALTER TABLE b7 ADD CONSTRAINT x EXCLUDE USING btree (b WITH =);\nSELECT create_distributed_table('b7', 'a');\nALTER TABLE b7 DROP CONSTRAINT x;\nSELECT create_distributed_table('b7', 'a')" },
    { sql: "CREATE TABLE b8 (a int);\nSELECT create_distributed_table('b8', 'a', 'append');\nSELECT create_distributed_table('b8', 'a')", notOnPostgres: 'a second call Citus refuses; the model cannot know it' },
    { sql: "CREATE TABLE b9 (a int);\nSELECT create_distributed_table('b9', NULL);\nSELECT create_distributed_table('b9', NULL)", notOnPostgres: 'a second call Citus refuses; the model cannot know it' },
    // (a COLLATE clause: a nondeterministic collation makes Citus refuse the first call)
    { sql: "CREATE TABLE b10 (a text COLLATE \"C\");\nSELECT create_distributed_table('b10', 'a');\nSELECT create_distributed_table('b10', 'a')", notOnPostgres: 'a second call Citus refuses; the model cannot know it' },
    { sql: "CREATE TABLE t_ok (tenant_id int);\nSELECT create_distributed_table('t_ok', 'tenant_id', colocate_with => 'events')" },
    { sql: 'CREATE TABLE q2 ("TeNANt_Id" int);\nSELECT create_distributed_table(\'q2\', \'TeNANt_Id\')' },
    // varchar(10) and varchar(20) are one type for colocation
    { sql: "CREATE TABLE v1 (a varchar(10));\nCREATE TABLE v2 (a varchar(20));\nSELECT create_distributed_table('v1', 'a');\nSELECT create_distributed_table('v2', 'a', colocate_with => 'v1')" },
    // a table the model has as distributed already: Citus refuses the call (`table "events" is already distributed`)
    // unless a procedure, a function or another session dropped and re-created it, which the model cannot see
    // (Citus' regression files do that often): nothing is said
    { sql: "SELECT create_distributed_table('events', 'tenant_id')", notOnPostgres: 'refused on Citus, see above' },
    // CASCADE (any case), a table with no colocated table, a value that is no literal: nothing is said
    { sql: `${TENANTS}\nSELECT isolate_tenant_to_new_shard('stores', 'ba581249-d824-45cf-aace-2ca30b7b3b0e', 'cascade')`, notOnPostgres: 'Citus calls' },
    { sql: `${HASH}\nSELECT isolate_tenant_to_new_shard('h1', 5)`, notOnPostgres: 'Citus calls' },
    { sql: `${TENANTS}\nSELECT isolate_tenant_to_new_shard('stores', gen_random_uuid())`, notOnPostgres: 'Citus calls' },
    // a guard: the call may not run, nothing is said
    { sql: "SELECT create_distributed_table('events', 'tenant_id') WHERE NOT EXISTS (SELECT 1 FROM pg_dist_partition WHERE logicalrelid = 'events'::regclass)", notOnPostgres: 'reads Citus metadata' },
  ],
  invalid: [
    { sql: WRONG_CASE, findings: [at(WRONG_CASE, 'create_distributed_table')] },
    { sql: ISOLATE, findings: [at(ISOLATE, 'isolate_tenant_to_new_shard')], notOnPostgres: 'Citus calls' },
    { sql: ISOLATE_REF, findings: [at(ISOLATE_REF, 'isolate_tenant_to_new_shard')], notOnPostgres: 'Citus calls' },
    { sql: QUOTED, findings: [at(QUOTED, 'create_distributed_table')] },
    { sql: OTHER_TYPE, findings: [at(OTHER_TYPE, 'create_distributed_table', 2)] },
    { sql: WITH_REFERENCE, findings: [at(WITH_REFERENCE, 'create_distributed_table')] },
    { sql: SHARD_COUNT, findings: [at(SHARD_COUNT, 'create_distributed_table', 2)] },
    { sql: NULL_WITH_HASH, findings: [at(NULL_WITH_HASH, 'create_distributed_table', 2)] },
    { sql: NULL_WITH_REFERENCE, findings: [at(NULL_WITH_REFERENCE, 'create_distributed_table')] },
    { sql: HASH_WITH_SINGLE, findings: [at(HASH_WITH_SINGLE, 'create_distributed_table', 2)] },
    { sql: WITH_PLAIN, findings: [at(WITH_PLAIN, 'create_distributed_table')] },
    { sql: WITH_CITUS_LOCAL, findings: [at(WITH_CITUS_LOCAL, 'create_distributed_table')] },
    { sql: TWICE, findings: [at(TWICE, 'create_distributed_table', 2)] },
    { sql: OTHER_COLUMN, findings: [at(OTHER_COLUMN, 'create_distributed_table', 2)] },
    { sql: NO_COLUMN, findings: [at(NO_COLUMN, 'create_distributed_table', 2)] },
    { sql: REFERENCE_TWICE, findings: [at(REFERENCE_TWICE, 'create_distributed_table')] },
    { sql: SINGLE_THEN_HASH, findings: [at(SINGLE_THEN_HASH, 'create_reference_table')] },
    { sql: TEXT_KEY, findings: [at(TEXT_KEY, 'create_distributed_table', 2)] },
  ],
});

describe('distribution-call-refused: a table the file distributed already', () => {
  before(async () => {
    await loadParser();
  });
  it("gives Citus' message, first, and only that (not the key the second call would refuse)", () => {
    for (const [sql, table] of [[TWICE, 'a1'], [OTHER_COLUMN, 'a2'], [NO_COLUMN, 'a3'], [REFERENCE_TWICE, 'a4'], [SINGLE_THEN_HASH, 'a5']]) {
      const errors = analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.filter((f) => f.severity === 'error');
      assert.deepEqual(errors.map((f) => [f.rule, f.citus?.message]), [['distribution-call-refused', `table "${table}" is already distributed`]], sql);
    }
  });
  it('says nothing for a table the base model has distributed (a setup script already run on the cluster)', () => {
    // (the workspace's model holds every file's DDL, this one's too: its table is distributed before the file runs)
    const base = new SchemaModel();
    const setup = "CREATE TABLE s (a int);\nSELECT create_distributed_table('s', 'a');";
    applyDocumentDdl(base, { source: 'setup.sql', text: setup });
    assert.equal(base.get('public', 's')?.kind, 'hash');
    const found = analyzeDocument(setup, base, { source: 'setup.sql' }).findings.filter((f) => f.rule === 'distribution-call-refused');
    assert.deepEqual(found, []);
    // ... and the same file calling twice: the second call is refused
    const twice = `${setup}\nSELECT create_distributed_table('s', 'a');`;
    assert.deepEqual(analyzeDocument(twice, base, { source: 'setup.sql' }).findings.filter((f) => f.rule === 'distribution-call-refused').map((f) => f.citus?.message), ['table "s" is already distributed']);
  });
});

describe("distribution-call-refused: colocate_with, in Citus' order", () => {
  before(async () => {
    await loadParser();
  });
  const message = (sql: string): string | undefined => {
    const f = analyzeDocument(sql, new SchemaModel(), { source: 'x.sql' }).findings.find((x) => x.rule === 'distribution-call-refused');
    return f?.citus ? [f.citus.message, f.citus.detail].filter(Boolean).join(' / ') : undefined;
  };

  it("gives Citus' message and detail for each kind of table", () => {
    assert.equal(message(NULL_WITH_HASH), "cannot colocate tables h1 and n1 / Distribution column types don't match for h1 and n1.");
    // the replication model is compared before the types: a reference table's differs from a single-shard table's (a
    // hash table's does not: then its column's type differs from the reference table's none)
    assert.equal(message(NULL_WITH_REFERENCE), "cannot colocate tables r1 and n2 / Replication models don't match for r1 and n2.");
    assert.equal(message(WITH_REFERENCE), "cannot colocate tables r1 and t_ref / Distribution column types don't match for r1 and t_ref.");
    assert.equal(message(HASH_WITH_SINGLE), "cannot colocate tables s1 and n3 / Distribution column types don't match for s1 and n3.");
    assert.equal(message(WITH_PLAIN), 'relation p1 is not distributed');
    assert.equal(message(WITH_CITUS_LOCAL), 'cannot distribute relation / Currently, colocate_with option is not supported with append / range distributed tables and local tables added to metadata.');
  });

  it('says nothing when a body the model does not run calls Citus, or for two single-shard tables', () => {
    assert.equal(message(`DO $$ BEGIN PERFORM create_distributed_table('p1', 'a'); END $$;\n${WITH_PLAIN}`), undefined);
    assert.equal(message(`${SINGLE}\nCREATE TABLE n6 (a int);\nSELECT create_distributed_table('n6', NULL, colocate_with => 's1')`), undefined);
  });
});

describe('distribution-call-refused leaves the table as it was', () => {
  before(async () => {
    await loadParser();
  });

  it('keeps a table whose call Citus refuses local, and its colocation as before', () => {
    const a = analyzeDocument(`${QUOTED};\nCREATE TABLE h1 (a int);\nSELECT create_distributed_table('h1', 'a');\nCREATE TABLE t_big (a bigint);\nSELECT create_distributed_table('t_big', 'a', colocate_with => 'h1');\n`, new SchemaModel(), { source: 'x.sql' });
    assert.equal(a.model.get('public', 'q1')?.kind, 'local');
    assert.equal(a.model.get('public', 't_big')?.kind, 'local');
    assert.equal(a.model.get('public', 'h1')?.kind, 'hash');
    assert.deepEqual(
      a.findings.map((f) => f.message),
      [
        'Citus refuses this call: column ""TeNANt_Id"" of relation "q1" does not exist. The table stays as it was.',
        "Citus refuses this call: cannot colocate tables h1 and t_big (Distribution column types don't match for h1 and t_big.). The table stays as it was.",
      ],
    );
  });
});

describe('distribution-call-refused: alter_distributed_table, in AlterDistributedTable\'s order', () => {
  before(async () => {
    await loadParser();
  });
  // run on Citus 13.2.2 with these messages (psql, one statement after the other; the last one ran)
  const SETUP = [
    'CREATE TABLE a (id int, v int);',
    "SELECT create_distributed_table('a', 'id');",
    'CREATE TABLE b (id int, v int);',
    "SELECT create_distributed_table('b', 'id');",
    'CREATE TABLE c (id int, v int);',
    "SELECT create_distributed_table('c', 'id', colocate_with => 'none', shard_count => 8);",
    'CREATE TABLE r (id int);',
    "SELECT create_reference_table('r');",
    'CREATE TABLE l (id int);',
    'CREATE TABLE s (id int);',
    "SELECT create_distributed_table('s', NULL);",
  ].join('\n');
  const CASES: [string, string | undefined][] = [
    ["SELECT alter_distributed_table('l', shard_count := 4)", 'cannot alter table because the table is not distributed'],
    ["SELECT alter_distributed_table('r', shard_count := 4)", 'cannot alter table because the table is not distributed'],
    ["SELECT alter_distributed_table('s', shard_count := 4)", 'relation s should be a hash distributed table'],
    ["SELECT alter_distributed_table('c')", 'you have to specify at least one of the distribution_column, shard_count or colocate_with parameters'],
    ["SELECT alter_distributed_table('c', colocate_with := 'r')", 'cannot colocate with r because it is not a distributed table'],
    ["SELECT alter_distributed_table('c', colocate_with := 's')", 'cannot colocate with s because it is a single shard distributed table'],
    ["SELECT alter_distributed_table('c', colocate_with := 'l')", 'cannot colocate with l because it is not a distributed table'],
    ["SELECT alter_distributed_table('c', shard_count := 0)", 'shard_count cannot be 0'],
    ["SELECT alter_distributed_table('c', distribution_column := 'v', cascade_to_colocated := true)", 'distribution_column cannot be cascaded to colocated tables'],
    ["SELECT alter_distributed_table('c', cascade_to_colocated := true)", 'shard_count or colocate_with is necessary for cascading to colocated tables'],
    ["SELECT alter_distributed_table('c', distribution_column := 'id')", "this call doesn't change any properties of the table"],
    ["SELECT alter_distributed_table('c', shard_count := 8)", "this call doesn't change any properties of the table"],
    ["SELECT alter_distributed_table('a', colocate_with := 'b')", "this call doesn't change any properties of the table"],
    ["SELECT alter_distributed_table('a', colocate_with := 'none', cascade_to_colocated := true)", "colocate_with := 'none' cannot be cascaded to colocated tables"],
    ["SELECT alter_distributed_table('a', shard_count := 4)", 'cascade_to_colocated parameter is necessary'],
    ["SELECT alter_distributed_table('c', shard_count := 4)", undefined],
    // the colocate_with table's shard count and distribution column type, checked last
    ["SELECT alter_distributed_table('c', colocate_with := 'a', shard_count := 16)", 'shard_count cannot be different than the shard count of the table in colocate_with'],
    ["CREATE TABLE tx (a text);\nSELECT create_distributed_table('tx', 'a');\nSELECT alter_distributed_table('c', colocate_with := 'tx')", 'cannot colocate with tx because data type of its distribution column is different than c'],
    [
      "CREATE TABLE tx (a text);\nSELECT create_distributed_table('tx', 'a');\nSELECT alter_distributed_table('c', distribution_column := 'v', colocate_with := 'tx')",
      'cannot colocate with tx and change distribution column to v because data type of column v is different then the distribution column of the tx',
    ],
  ];
  const refusal = (sql: string, declared: boolean): string | undefined => {
    const base = new SchemaModel();
    // (the cluster's default shard count declared, as the config, a snapshot or a connected cluster do)
    if (declared) base.clusterSettings.set('citus.shard_count', '32');
    return analyzeDocument(`${SETUP}\n${sql};\n`, base, { source: 'x.sql' }).findings.find((f) => f.rule === 'distribution-call-refused')?.citus?.message;
  };
  for (const [sql, message] of CASES) {
    it(`${sql}: ${message ?? 'runs'}`, () => assert.equal(refusal(sql, true), message));
  }

  it("compares shard counts only when the cluster's default is known", () => {
    // (a table distributed with the default may have another count than the model's 32)
    assert.equal(refusal("SELECT alter_distributed_table('c', shard_count := 8)", false), undefined);
    assert.equal(refusal("SELECT alter_distributed_table('a', shard_count := 4)", false), undefined);
  });

  it('leaves the table as it was when the call is refused', () => {
    const a = analyzeDocument(`${SETUP}\nSELECT alter_distributed_table('c', colocate_with := 's');\n`, new SchemaModel(), { source: 'x.sql' });
    assert.equal(a.model.get('public', 'c')?.shardCount, 8);
    assert.notEqual(a.model.get('public', 'c')?.colocationId, a.model.get('public', 's')?.colocationId);
  });
});

describe('distribution-call-refused: isolate_tenant_to_new_shard', () => {
  before(async () => {
    await loadParser();
  });
  it("gives Citus' message and hint (checked on Citus 13.2.2)", () => {
    const f = analyzeDocument(ISOLATE, new SchemaModel(), { source: 'x.sql' }).findings.filter((x) => x.rule === 'distribution-call-refused');
    assert.deepEqual(
      f.map((x) => [x.citus?.message, x.citus?.hint]),
      [['cannot isolate tenant because "stores" has colocated tables', "Use CASCADE option to isolate tenants for the colocated tables too. Example usage: isolate_tenant_to_new_shard('stores', 'ba581249-d824-45cf-aace-2ca30b7b3b0e', 'CASCADE')"]],
    );
    assert.deepEqual(analyzeDocument(ISOLATE_REF, new SchemaModel(), { source: 'x.sql' }).findings.map((x) => x.citus?.message), ['cannot isolate tenant because tenant isolation is only support for hash distributed tables']);
  });
});
