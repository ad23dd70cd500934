/**
 * The workspace model of a folder of migrations (core/workspace.ts): a migration's model leaves out the migrations of
 * its sequence that run after it, the sequence runs by version, and the CLI's shared-prefix models (cli/parallel.ts
 * LintSession) are the models buildSchema makes, file by file.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import type { DocumentAnalysis } from '../../src/core/types';
import { buildSchema, compareSources, runsLater, schemaOrder, type SchemaDocument } from '../../src/core/workspace';
import { LintSession } from '../../src/cli/parallel';

/** The findings of each document analysed against buildSchema's model, as `source:line rule`. */
function findings(docs: SchemaDocument[]): string[] {
  return docs.flatMap((d) => {
    const a = analyzeDocument(d.text, buildSchema(new SchemaModel(), docs, d.source), { source: d.source });
    return a.findings.filter((f) => f.severity !== 'information').map((f) => `${d.source}:${d.text.slice(0, f.range.start).split('\n').length} ${f.rule}`);
  });
}

describe('a folder of migrations', () => {
  before(() => loadParser());

  it('runs a sequence by version, in two styles apart, other files by path', () => {
    const sources = ['m/10_b.sql', 'm/2_a.sql', 'm/1_x.up.sql', 'm/1_x.down.sql', 'm/V10__a.sql', 'm/V2__b.sql', 'm/schema.sql', 'q/a.sql', 'm/V1__z.sql'];
    assert.deepEqual(
      schemaOrder(sources.map((source) => ({ source }))).map((d) => d.source),
      ['m/1_x.down.sql', 'm/1_x.up.sql', 'm/2_a.sql', 'm/10_b.sql', 'm/V1__z.sql', 'm/V2__b.sql', 'm/V10__a.sql', 'm/schema.sql', 'q/a.sql'],
    );
    // (a consistent order: every pair compared both ways agrees)
    for (const a of sources) for (const b of sources) assert.equal(Math.sign(compareSources(a, b)) + Math.sign(compareSources(b, a)), 0, `${a} ${b}`);
    assert.equal(runsLater('m/10_b.sql', 'm/2_a.sql'), true);
    assert.equal(runsLater('m/2_a.sql', 'm/10_b.sql'), false);
    // (another folder, another style, a file that is no migration: no order between them)
    assert.equal(runsLater('n/10_b.sql', 'm/2_a.sql'), false);
    assert.equal(runsLater('m/V10__a.sql', 'm/2_a.sql'), false);
    assert.equal(runsLater('m/schema.sql', 'm/2_a.sql'), false);
  });

  it('analyses a migration against the migrations before it: a later DROP COLUMN or RENAME is no error of it', () => {
    const docs = [
      { source: 'db/migrations/0001_create.sql', text: 'CREATE TABLE t (a int, b int);\nSELECT create_distributed_table(\'t\', \'a\');' },
      { source: 'db/migrations/0002_use.sql', text: 'UPDATE t SET b = 1 WHERE a = 2;' },
      { source: 'db/migrations/0003_drop.sql', text: 'ALTER TABLE t DROP COLUMN b;' },
      { source: 'db/migrations/0010_rename.sql', text: 'ALTER TABLE t RENAME TO t2;' },
      // (a query outside the folder runs against the end of the sequence)
      { source: 'queries/report.sql', text: 'SELECT b FROM t2;\nSELECT a FROM t2;' },
    ];
    assert.deepEqual(findings(docs), ['queries/report.sql:1 unknown-column']);
    // (before, the model of every file had every other file: 0002 met the DROP COLUMN of 0003)
    const letters: Record<string, string> = { '0001': 'a', '0002': 'b', '0003': 'c', '0010': 'd' };
    assert.deepEqual(findings(docs.map((d) => ({ ...d, source: d.source.replace(/\/(\d+)_/, (_, n: string) => `/${letters[n]}_`) }))), [
      'db/migrations/b_use.sql:1 unknown-table',
      'queries/report.sql:1 unknown-column',
    ]);
  });

  it("leaves rollbacks out of the other files' models: down parts (dbmate, goose), .down.sql files, Flyway's undo migrations", () => {
    const uses = 'INSERT INTO users (id, name) VALUES (1, 1);\nINSERT INTO teams (id) VALUES (1);\nINSERT INTO orgs (id) VALUES (1);\nINSERT INTO keys (id) VALUES (1);';
    const docs = [
      { source: 'db/migrations/20240101000000_users.sql', text: '-- migrate:up\nCREATE TABLE users (id int, name text);\n\n-- migrate:down\nDROP TABLE users;' },
      { source: 'db/migrations/20240102000000_teams.sql', text: '-- +goose Up\nCREATE TABLE teams (id int);\n-- +goose Down\nDROP TABLE teams;' },
      { source: 'migrate/1_orgs.up.sql', text: 'CREATE TABLE orgs (id int);' },
      { source: 'migrate/1_orgs.down.sql', text: 'DROP TABLE orgs;' },
      { source: 'flyway/V1__keys.sql', text: 'CREATE TABLE keys (id int);' },
      { source: 'flyway/U1__keys.sql', text: 'DROP TABLE keys;' },
      // (users.name is text: the integer 1 into it is PostgreSQL's error, which the model finds only with the table)
      { source: 'queries/seed.sql', text: uses },
    ];
    assert.deepEqual(findings(docs), []);
    // (a file's own down part is analysed after its up part, in statement order: DROP TABLE of a table it created)
    const own = analyzeDocument(docs[0].text, buildSchema(new SchemaModel(), docs, docs[0].source), { source: docs[0].source });
    assert.deepEqual(own.findings.map((f) => f.rule), []);
    // a rollback is analysed after the migrations of its version, its own up file too (which sorts after it)
    const goMigrate = [
      { source: 'mig/0001_t.up.sql', text: 'CREATE TABLE t (a int);' },
      { source: 'mig/0001_t.down.sql', text: 'DROP TABLE t;' },
      { source: 'mig/0002_c.up.sql', text: 'ALTER TABLE t ADD COLUMN c int;' },
      { source: 'mig/0002_c.down.sql', text: 'ALTER TABLE t DROP COLUMN c;' },
      { source: 'mig/0003_d.up.sql', text: 'ALTER TABLE t RENAME COLUMN a TO d;' },
    ];
    assert.deepEqual(findings(goMigrate), []);
    // sqitch: deploy/, revert/ and verify/ scripts of one name; the revert scripts are in no other file's model
    const sqitch = [
      { source: 'db/deploy/users.sql', text: 'CREATE TABLE users (id int, name text);' },
      { source: 'db/deploy/teams.sql', text: 'CREATE TABLE teams (id int, owner int);\nINSERT INTO teams SELECT id, id FROM users;' },
      { source: 'db/revert/users.sql', text: 'DROP TABLE users;' },
      { source: 'db/revert/teams.sql', text: 'DROP TABLE teams;' },
      { source: 'db/verify/users.sql', text: 'SELECT id, name FROM users WHERE false;' },
    ];
    assert.deepEqual(findings(sqitch), []);
    // dbmate's layout: db/schema.sql is the dump of the migrated schema (with its schema_migrations rows): the
    // migrations do not see it (it has the column the second one adds), other files do
    const dbmate = [
      { source: 'db/schema.sql', text: "CREATE TABLE public.users (id integer NOT NULL, name text, age integer);\nCREATE TABLE public.schema_migrations (version character varying(128) NOT NULL);\nINSERT INTO public.schema_migrations (version) VALUES ('20240101000000'), ('20240102000000');" },
      { source: 'db/migrations/20240101000000_users.sql', text: '-- migrate:up\nCREATE TABLE users (id integer PRIMARY KEY, name text);\n-- migrate:down\nDROP TABLE users;' },
      { source: 'db/migrations/20240102000000_age.sql', text: '-- migrate:up\nALTER TABLE users ADD COLUMN age integer;\n-- migrate:down\nALTER TABLE users DROP COLUMN age;' },
      { source: 'report.sql', text: 'SELECT age FROM users;' },
    ];
    assert.deepEqual(findings(dbmate), []);
    // (a file like it without the history table is no dump: the migrations see it, and the ADD COLUMN is refused)
    assert.deepEqual(findings(dbmate.map((d) => ({ ...d, text: d.text.replace(/schema_migrations/g, 'versions') }))), ['db/migrations/20240102000000_age.sql:2 ddl-column-error']);
    // without the rollbacks left out, the tables are gone for the query file
    const renamed = docs.map((d) => ({ ...d, source: d.source.replace('.down.sql', '.zz.sql').replace('U1__', 'X1__'), text: d.text.replace(/-- (migrate:down|\+goose Down)/, '-- down') }));
    assert.equal(findings(renamed).filter((f) => f.startsWith('queries/seed.sql') && f.endsWith('unknown-table')).length, 4);
  });

  it('gives the CLI the models buildSchema makes, whatever the files and their order', async () => {
    // a mix of two sequences, files that are no migrations, DDL that later files read, drop and rename
    const texts = [
      'CREATE TABLE a (id int, v int);',
      'ALTER TABLE a ADD COLUMN w int;\nCREATE TABLE b (id int);',
      "SELECT create_distributed_table('a', 'id');\nINSERT INTO b SELECT id FROM a;",
      'ALTER TABLE a DROP COLUMN v;',
      'SELECT v, w FROM a;\nUPDATE a SET w = 1 WHERE id = 1;',
      'ALTER TABLE b RENAME TO c;\nSELECT * FROM b;',
      'CREATE TABLE a (id int, z int);',
      'CREATE TABLE a (id int, v int, w int, z int);\nCREATE TABLE schema_migrations (version text);',
      'INSERT INTO c SELECT id FROM a;',
      // (rollup scripts whose predictions rest on tables, kinds and colocation from several other files)
      "CREATE TABLE ev (t int, v int);\nSELECT create_distributed_table('ev', 't');",
      "CREATE TABLE ro (t int, n bigint);\nSELECT create_reference_table('ro');",
      "SELECT create_distributed_table('ro', 't', colocate_with => 'none');",
      'INSERT INTO ro SELECT t, count(*) FROM ev GROUP BY t;\nINSERT INTO a (id) SELECT t FROM ev;',
    ];
    const names = ['m/1_x.sql', 'm/2_x.sql', 'm/10_x.sql', 'm/V3__x.sql', 'm/V1__y.sql', 'q/r.sql', 'a.sql', 'm/notes.sql', 'n/0005_x.sql', 'm/2_x.down.sql', 'm/U3__x.sql', 'r/daily.sql', 's/ev.sql', 'z/ro.sql'];
    let seed = 7;
    const random = (n: number): number => ((seed = (seed * 48271) % 2147483647), seed % n);
    // (first a dump before a migration and a plain file after it: their models differ in the dump)
    const dump = texts.findIndex((t) => t.includes('schema_migrations'));
    const fixed = [{ source: 'a.sql', text: texts[dump] }, { source: 'm/1_x.sql', text: texts[0] }, { source: 'q/r.sql', text: texts[4] }];
    for (let round = 0; round < 120; round++) {
      const count = 3 + random(names.length - 2);
      const picked = [...names].sort(() => random(3) - 1).slice(0, count);
      const docs = round === 0 ? fixed : picked.map((source) => ({ source, text: texts[random(texts.length)] }));
      const session = await LintSession.open({ schemaFiles: [], severities: {}, documents: docs });
      const reported = docs.map((d) => ({ path: d.source, source: d.source, text: d.text }));
      // (each statement's prediction too: a model with a file missing may give no finding and another method)
      const results = (a: DocumentAnalysis): string[] => [...a.findings.map((f) => `${f.rule}@${f.range.start}`), ...a.statements.map((r) => `${r.prediction.method}/${r.outcome ?? ''}@${r.range.start}`)];
      const theirs = session.analyzeAll(reported).map(results);
      const ours = docs.map((d) => results(analyzeDocument(d.text, buildSchema(new SchemaModel(), docs, d.source), { source: d.source })));
      assert.deepEqual(theirs, ours, JSON.stringify(docs));
    }
  });
});
