/**
 * The semantic layer's model of the schema over a file: what makes a name known or unknown. The rule tables
 * (test/core/rules/<semantic rule>.test.ts) cover each check; test/db/semantic.test.ts runs them on PostgreSQL.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { modelFromSnapshot } from '../../src/core/schema/snapshot';
import { applyDocumentDdl } from '../../src/core/workspace';

function errors(text: string, base = new SchemaModel()): string[] {
  return analyzeDocument(text, base).findings.filter((f) => f.severity === 'error').map((f) => `${f.rule}: ${f.citus?.message ?? f.message}`);
}

describe('the semantic layer over a file', () => {
  before(async () => {
    await loadParser();
  });

  it('undoes DDL inside BEGIN ... ROLLBACK and ROLLBACK TO SAVEPOINT, keeps it after COMMIT', () => {
    assert.deepEqual(errors('CREATE TABLE t (a int, b int);\nBEGIN;\nALTER TABLE t DROP COLUMN b;\nROLLBACK;\nSELECT b FROM t;'), []);
    assert.deepEqual(errors('CREATE TABLE t (a int, b int);\nBEGIN;\nALTER TABLE t DROP COLUMN b;\nCOMMIT;\nSELECT b FROM t;'), ['unknown-column: column "b" does not exist']);
    assert.deepEqual(
      errors('CREATE TABLE t (a int, b int);\nBEGIN;\nALTER TABLE t ADD COLUMN c int;\nSAVEPOINT s;\nALTER TABLE t DROP COLUMN b;\nROLLBACK TO SAVEPOINT s;\nSELECT b, c FROM t;\nROLLBACK;\nSELECT c FROM t;'),
      ['unknown-column: column "c" does not exist'],
    );
  });

  it('undoes rolled-back DDL in the workspace schema too', () => {
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 'm.sql', text: 'CREATE TABLE t (a int, b int);\nBEGIN;\nALTER TABLE t DROP COLUMN b;\nROLLBACK;' });
    assert.deepEqual(errors('SELECT b FROM t;', model), []);
  });

  it('follows ALTER TABLE on a partitioned table into its partitions, and not a dropped distribution column', () => {
    const ddl = `CREATE TABLE p (k int, v int) PARTITION BY RANGE (k);
CREATE TABLE p1 PARTITION OF p FOR VALUES FROM (0) TO (10);
ALTER TABLE p ADD COLUMN w int;
SELECT create_distributed_table('p', 'k');
ALTER TABLE p DROP COLUMN k;`;
    // (Citus refuses the DROP COLUMN: the column stays, and reading it is no error)
    assert.deepEqual(errors(`${ddl}\nSELECT w FROM p1;\nSELECT k FROM p;`), ['alter-table-refused: cannot execute ALTER TABLE command involving partition column']);
  });

  it('types view and CREATE TABLE AS columns with the resolver, and says nothing about a * it cannot expand', () => {
    assert.deepEqual(errors('CREATE TABLE t (a int);\nCREATE VIEW v AS SELECT a, count(*) AS n FROM t GROUP BY a;\nSELECT a + n, missing FROM v;'), ['unknown-column: column "missing" does not exist']);
    assert.deepEqual(errors('CREATE TABLE c AS SELECT * FROM somewhere_else;\nSELECT anything FROM c;'), []);
    assert.deepEqual(errors('CREATE TABLE c AS SELECT * FROM generate_series(1, 3) g;\nSELECT g, nothing FROM c;'), ['unknown-column: column "nothing" does not exist']);
  });

  it('reports an unknown relation as PostgreSQL does only when the model is a whole database', () => {
    const snapshot = modelFromSnapshot({ format: 'citus-rollups-snapshot', version: 1, tables: [{ schema: 'public', name: 'events', kind: 'local', columns: [{ name: 'id', type: 'int' }] }] });
    assert.ok(snapshot.ok);
    assert.deepEqual(errors('SELECT id FROM evnts;', snapshot.model), ['unknown-table: relation "evnts" does not exist']);
    assert.deepEqual(errors('SELECT id FROM evnts;'), [], 'from workspace DDL alone, a warning');
    // inside a function body the function may create the table itself
    assert.deepEqual(errors("CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN CREATE TEMP TABLE tmp (x int); INSERT INTO tmp SELECT id FROM events; END $$;", snapshot.model), []);
  });

  it("treats psql variables as values: :name, :'literal' and :\"identifier\" make no error", () => {
    const schema = new SchemaModel();
    applyDocumentDdl(schema, { source: 's.sql', text: 'CREATE TABLE events (tenant_id int, kind text);' });
    assert.deepEqual(errors(`SELECT tenant_id FROM events WHERE tenant_id = :'id' AND :"col" > 1 AND kind = :kind;`, schema), []);
  });
});
