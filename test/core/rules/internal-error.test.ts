import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../../src/core/analyze';
import { loadParser } from '../../../src/core/parse/libpg';
import { SchemaModel } from '../../../src/core/schema/model';
import { ruleTests } from './harness';

// internal-error is never expected: the valid rows are statements that once crashed the analysis (a CTE that
// shadows the table it reads, seen through an alias of the same name); the contained failure is below.
ruleTests('internal-error', {
  valid: [
    {
      sql: 'SELECT count(*) FROM (WITH events AS (SELECT DISTINCT user_id FROM events) SELECT * FROM events) AS events WHERE events.user_id = 1',
    },
    { sql: 'WITH RECURSIVE events AS (SELECT 1 AS n UNION ALL SELECT n + 1 FROM events WHERE n < 3) SELECT * FROM events' },
    { sql: 'INSERT INTO tenant_stats (tenant_id, event_count) WITH events AS (SELECT * FROM events) SELECT tenant_id, count(*) FROM events GROUP BY 1' },
  ],
  invalid: [],
});

describe('rule internal-error: a failure of the analysis stays inside its statement', () => {
  before(async () => {
    await loadParser();
  });

  it('reports the statement, asks for a report, keeps the stack out of the message and analyses the rest', () => {
    const model = new SchemaModel();
    const resolve = model.resolve.bind(model);
    // a model that fails on one table name, as a bug in the analysis would
    model.resolve = (schema, name, path) => {
      if (name === 'boom') throw new Error('injected failure');
      return resolve(schema, name, path);
    };
    const text = 'SELECT * FROM boom;\nSELECT count(*) FROM users WHERE nme = 1;\nCREATE TABLE users (id int);\nSELECT nme FROM users;';
    const a = analyzeDocument(text, model);
    const internal = a.findings.filter((f) => f.rule === 'internal-error');
    assert.equal(internal.length, 1);
    assert.equal(internal[0].statementIndex, 0);
    assert.match(internal[0].message, /internal error: injected failure.*report/);
    assert.match(internal[0].internal ?? '', /Error: injected failure\n\s+at /, 'the stack travels for the log');
    assert.ok(!internal[0].message.includes('\n'), 'no stack in the message');
    // the statements after it are analysed: the CREATE TABLE is applied, the last SELECT is checked
    assert.equal(a.statements.length, 4);
    assert.ok(a.findings.some((f) => f.rule === 'unknown-column' && f.statementIndex === 3));
  });
});

describe('rule internal-error: a statement nested too deeply for the stack', () => {
  before(async () => {
    await loadParser();
  });

  // `SELECT 1 + 1 + ..`: PostgreSQL 15 runs 4,000 terms and refuses 5,000 (stack depth limit exceeded, max_stack_depth
  // 2MB); the analysis' recursion runs out of stack sooner, the parser's from about 10,000 terms
  for (const terms of [3000, 12000]) {
    it(`says it cannot analyse ${terms} nested terms, with no syntax error, no report asked and no stack, and analyses the rest`, () => {
      const text = `SELECT ${Array(terms).fill('1').join(' + ')};\nSELECT nme FROM users;`;
      const model = new SchemaModel();
      const a = analyzeDocument(`CREATE TABLE users (id int);\n${text}`, model);
      const deep = a.findings.filter((f) => f.statementIndex === 1);
      assert.deepEqual(
        deep.map((f) => [f.rule, f.severity]),
        [['internal-error', 'warning']],
      );
      assert.match(deep[0].message, /nested too deeply/);
      assert.doesNotMatch(deep[0].message, /report/);
      assert.equal(deep[0].internal, undefined, 'a known limit, not a bug: nothing for the log');
      assert.equal(a.statements[1].prediction.method, 'not_applicable');
      assert.ok(a.findings.some((f) => f.rule === 'unknown-column' && f.statementIndex === 2));
    });
  }
});
