/**
 * create_time_partitions and drop_old_time_partitions in the schema model (src/core/schema/timePartitions.ts). The
 * expected partitions are what Citus 13.2.2 made for the same calls on the local cluster (psql, 2026-12-07, session time
 * zone UTC; `SELECT parent_table, partition, from_value, to_value FROM time_partitions`), zones left out of the bounds.
 */
import { strict as assert } from 'node:assert';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { parseInterval, timePartitionsToCreate, type TimeArg } from '../../src/core/schema/timePartitions';

const fixed = (text: string): TimeArg => ({ kind: 'fixed', ms: Date.parse(`${text.replace(' ', 'T')}${text.length > 10 ? '' : 'T00:00'}Z`) });
const rows = (r: ReturnType<typeof timePartitionsToCreate>): string[] => (r?.partitions ?? []).map((p) => `${p.name} ${p.from} ${p.to}`);

describe('create_time_partitions as Citus 13.2.2 makes them', () => {
  it('reads the common forms of an interval, and no unit from an object property name', () => {
    assert.deepEqual(parseInterval('2 weeks 3 days'), { months: 0, days: 17, ms: 0 });
    assert.deepEqual(parseInterval('1 mons'), { months: 1, days: 0, ms: 0 });
    assert.equal(parseInterval('1 constructor'), undefined);
    assert.equal(parseInterval('1 fortnight'), undefined);
  });

  it('names and bounds monthly, weekly, quarterly, 6-hourly and yearly partitions as the cluster did', () => {
    const ts = 'timestamp with time zone';
    assert.deepEqual(rows(timePartitionsToCreate('hits', ts, [], parseInterval('1 month')!, fixed('2024-06-01'), fixed('2024-01-01'), undefined)), [
      'hits_p2024_01 2024-01-01 00:00:00 2024-02-01 00:00:00',
      'hits_p2024_02 2024-02-01 00:00:00 2024-03-01 00:00:00',
      'hits_p2024_03 2024-03-01 00:00:00 2024-04-01 00:00:00',
      'hits_p2024_04 2024-04-01 00:00:00 2024-05-01 00:00:00',
      'hits_p2024_05 2024-05-01 00:00:00 2024-06-01 00:00:00',
    ]);
    const weekly = rows(timePartitionsToCreate('weekly', 'timestamp without time zone', [], parseInterval('1 week')!, fixed('2024-03-01'), fixed('2024-01-01'), undefined));
    assert.equal(weekly.length, 9);
    assert.deepEqual([weekly[0], weekly[8]], ['weekly_p2024w01 2024-01-01 00:00:00 2024-01-08 00:00:00', 'weekly_p2024w09 2024-02-26 00:00:00 2024-03-04 00:00:00']);
    assert.deepEqual(rows(timePartitionsToCreate('quarterly', 'date', [], parseInterval('3 months')!, fixed('2025-01-01'), fixed('2024-01-01'), undefined)), [
      'quarterly_p2024q1 2024-01-01 2024-04-01',
      'quarterly_p2024q2 2024-04-01 2024-07-01',
      'quarterly_p2024q3 2024-07-01 2024-10-01',
      'quarterly_p2024q4 2024-10-01 2025-01-01',
    ]);
    assert.deepEqual(rows(timePartitionsToCreate('hourly', ts, [], parseInterval('6 hours')!, fixed('2024-01-02'), fixed('2024-01-01 03:00'), undefined)), [
      'hourly_p2024_01_01_0300 2024-01-01 03:00:00 2024-01-01 09:00:00',
      'hourly_p2024_01_01_0900 2024-01-01 09:00:00 2024-01-01 15:00:00',
      'hourly_p2024_01_01_1500 2024-01-01 15:00:00 2024-01-01 21:00:00',
      'hourly_p2024_01_01_2100 2024-01-01 21:00:00 2024-01-02 03:00:00',
    ]);
  });

  it('steps from the earliest existing partition, back or forth, and skips the ones that exist', () => {
    const ts = 'timestamp with time zone';
    const first = timePartitionsToCreate('yearly', ts, [], parseInterval('1 year')!, fixed('2026-06-01'), fixed('2023-05-05'), undefined);
    assert.deepEqual(rows(first), ['yearly_p2023 2023-01-01 00:00:00 2024-01-01 00:00:00', 'yearly_p2024 2024-01-01 00:00:00 2025-01-01 00:00:00', 'yearly_p2025 2025-01-01 00:00:00 2026-01-01 00:00:00', 'yearly_p2026 2026-01-01 00:00:00 2027-01-01 00:00:00']);
    const second = timePartitionsToCreate('yearly', ts, first!.partitions, parseInterval('1 year')!, fixed('2028-06-01'), fixed('2021-05-05'), undefined);
    assert.deepEqual(rows(second), ['yearly_p2021 2021-01-01 00:00:00 2022-01-01 00:00:00', 'yearly_p2022 2022-01-01 00:00:00 2023-01-01 00:00:00', 'yearly_p2027 2027-01-01 00:00:00 2028-01-01 00:00:00', 'yearly_p2028 2028-01-01 00:00:00 2029-01-01 00:00:00']);
    // the existing partitions set the steps: mid-month ones make mid-month ones
    assert.deepEqual(rows(timePartitionsToCreate('m', ts, [{ from: '2024-01-15', to: '2024-02-15' }], parseInterval('1 month')!, fixed('2024-04-01'), fixed('2023-12-01'), undefined)), [
      'm_p2023_11 2023-11-15 00:00:00 2023-12-15 00:00:00',
      'm_p2023_12 2023-12-15 00:00:00 2024-01-15 00:00:00',
      'm_p2024_02 2024-02-15 00:00:00 2024-03-15 00:00:00',
      'm_p2024_03 2024-03-15 00:00:00 2024-04-15 00:00:00',
    ]);
    // a partition that does not align with the first: Citus refuses, nothing is known
    assert.equal(timePartitionsToCreate('m', ts, [{ from: '2024-01-01', to: '2024-02-01' }, { from: '2024-02-15', to: '2024-03-15' }], parseInterval('1 month')!, fixed('2024-06-01'), fixed('2023-12-01'), undefined), undefined);
    assert.equal(timePartitionsToCreate('m', 'date', [], parseInterval('12 hours')!, fixed('2024-06-01'), fixed('2024-01-01'), undefined), undefined);
  });

  it('keeps, for now(), only the partitions every session time zone makes, and says they are not all', () => {
    // (the cluster, in UTC on 2026-12-07, made daily_p2026_12_07 .. _10 for end_at now() + 3 days)
    const r = timePartitionsToCreate('daily', 'date', [], parseInterval('1 day')!, { kind: 'now', plus: { months: 0, days: 3, ms: 0 } }, { kind: 'now', plus: { months: 0, days: 0, ms: 0 } }, '2026-12-07');
    assert.deepEqual(rows(r), ['daily_p2026_12_08 2026-12-08 2026-12-09']);
    assert.equal(r?.sure, false);
    // a month every zone agrees on
    const m = timePartitionsToCreate('monthly', 'date', [], parseInterval('1 month')!, fixed('2027-03-01'), { kind: 'now', plus: { months: 0, days: 0, ms: 0 } }, '2026-12-15');
    assert.deepEqual(rows(m), ['monthly_p2026_12 2026-12-01 2027-01-01', 'monthly_p2027_01 2027-01-01 2027-02-01', 'monthly_p2027_02 2027-02-01 2027-03-01']);
    assert.equal(m?.sure, true);
  });
});

describe('time partitions in the analysis', () => {
  before(async () => {
    await loadParser();
  });
  const schema = "CREATE TABLE hits (tenant_id int NOT NULL, at timestamptz NOT NULL, n int) PARTITION BY RANGE (at);\nSELECT create_distributed_table('hits', 'tenant_id');\nSELECT create_time_partitions(table_name := 'hits', partition_interval := '1 month', start_from := '2024-01-01', end_at := '2024-06-01');\n";
  const analyse = (sql: string): ReturnType<typeof analyzeDocument> => analyzeDocument(schema + sql, new SchemaModel(), { source: 't.sql', today: '2026-12-07' });
  /** The last statement's outcome, and the messages of its findings (Citus' and PostgreSQL's words in them). */
  const last = (sql: string): { outcome?: string; said: string } => {
    const a = analyse(sql);
    const s = a.statements[a.statements.length - 1];
    const said = a.findings.filter((f) => f.range.start >= s.range.start).map((f) => f.message).join(' | ');
    return { outcome: s.outcome, said };
  };

  it('knows the partitions it created: their names, their bounds, and the rows no partition takes (as Citus 13.2.2 refused them)', () => {
    assert.equal(last("INSERT INTO hits_p2024_02 VALUES (1, '2024-02-10', 1);").outcome, 'single_shard');
    const outside = last("INSERT INTO hits_p2024_02 VALUES (1, '2024-03-10', 1);");
    assert.equal(outside.outcome, 'error');
    assert.match(outside.said, /violates partition constraint/);
    assert.match(last("INSERT INTO hits VALUES (1, '2025-02-10', 1);").said, /no partition of relation "hits" found for row/);
  });

  it('drops the partitions drop_old_time_partitions drops (CALL only: a SELECT of the procedure fails)', () => {
    const dropped = last("CALL drop_old_time_partitions('hits', '2024-03-01');\nINSERT INTO hits_p2024_02 VALUES (1, '2024-02-10', 1);");
    assert.equal(dropped.outcome, 'error');
    assert.match(dropped.said, /relation "hits_p2024_02" does not exist/);
    assert.equal(last("SELECT drop_old_time_partitions('hits', '2024-03-01');\nINSERT INTO hits_p2024_02 VALUES (1, '2024-02-10', 1);").outcome, 'single_shard');
  });

  it('says nothing of rows when now() makes the partitions (a zone may make one more)', () => {
    const daily = "CREATE TABLE daily (tenant_id int, d date NOT NULL) PARTITION BY RANGE (d);\nSELECT create_time_partitions('daily', '1 day', now() + interval '3 days');\n";
    assert.notEqual(last(`${daily}INSERT INTO daily VALUES (1, '2026-12-07');`).outcome, 'error');
    assert.equal(last(`${daily}INSERT INTO daily_p2026_12_08 VALUES (1, '2026-12-08');`).outcome, 'local');
  });
});
