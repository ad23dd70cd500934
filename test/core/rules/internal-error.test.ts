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
