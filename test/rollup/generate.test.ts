/**
 * The generator's scripts, analysed by the product's own analysis: every INSERT..SELECT is predicted
 * pushdown with no finding, over a matrix of options and over every hash-distributed table of the
 * corpus schema (recorded on a real Citus 13.2.2 cluster). The structural facts that make Citus push
 * an INSERT..SELECT down are asserted directly too, so these tests do not depend on the predictor alone.
 */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import type { TableModel } from '../../src/core/schema/model';
import { checkScript, modelOf, SEQUENCE_SCHEMA } from './helpers';
import { generateRollup, RollupError, type RollupRequest } from '../../src/core/rollup/generate';
import { parseDocument } from '../../src/core/parse/document';
import { walk } from '../../src/core/parse/ast';
import { windowIndexName } from '../../src/core/rollup/install';
import { parseMeasure, MeasureSyntaxError } from '../../src/core/rollup/measures';

const CORPUS_SCHEMA = path.join(__dirname, '..', 'fixtures', 'citus-corpus', 'schema.sql');
const EXAMPLES_SCHEMA = path.join(__dirname, '..', '..', 'examples', 'schema.sql');

function timeColumnOf(t: TableModel): string | undefined {
  return t.columns.find((c) => ['timestamp with time zone', 'timestamp without time zone', 'date'].includes(c.type))?.name;
}

describe('rollup generator', () => {
  before(async () => {
    await loadParser();
  });

  it('writes a pushdown rollup for every hash-distributed table of the corpus schema that has a time column', () => {
    const model = modelOf(fs.readFileSync(CORPUS_SCHEMA, 'utf8'));
    const hash = [...model.tables.values()].filter((t) => t.kind === 'hash' && !t.partitionParent);
    assert.ok(hash.length >= 15, `corpus has hash tables (${hash.length})`);
    let checked = 0;
    let refused = 0;
    for (const source of hash) {
      const time = timeColumnOf(source);
      const dims = source.columns.filter((c) => c.name !== source.distributionColumn && c.name !== time && ['text', 'integer', 'bigint', 'character varying', 'date'].includes(c.type)).slice(0, 2).map((c) => c.name);
      const num = source.columns.find((c) => c.name !== source.distributionColumn && ['numeric', 'integer', 'bigint'].includes(c.type) && !dims.includes(c.name));
      const measures = ['count(*)', ...(num ? [`sum(${num.name})`, `avg(${num.name})`, `min(${num.name})`, `max(${num.name})`] : [])];
      const req: RollupRequest = { source, timeColumn: time ?? 'no_time_column', granularity: time && timeColumnOf(source) && source.columns.find((c) => c.name === time)?.type === 'date' ? 'day' : 'hour', dimensions: dims, measures: measures.map(parseMeasure), strategy: 'time-window', name: `${source.name}_scaffold_test` };
      if (!time) {
        assert.throws(() => generateRollup(req, model), (e: unknown) => e instanceof RollupError && /time column 'no_time_column' is not a column/.test((e as Error).message));
        refused++;
        continue;
      }
      const r = generateRollup(req, model);
      checked += checkScript(r.script, model, source, r.rollupTable);
    }
    assert.ok(checked >= 12, `checked ${checked} INSERT..SELECTs`);
    assert.ok(refused >= 1);
  });

  const matrix: Array<[string, Partial<RollupRequest> & { table: string; time: string }]> = [
    ['day, time window, timestamptz, nullable dimension', { table: 'clicks', time: 'clicked_at', granularity: 'day', dimensions: ['url'] }],
    ['hour, ingestion-time window, lag 5 minutes, cron', { table: 'clicks', time: 'clicked_at', granularity: 'hour', ingestionTimeColumn: 'received_at', lag: '5 minutes', cronSchedule: '*/5 * * * *' }],
    ['15-minute interval, sequence window', { table: 'clicks', time: 'clicked_at', granularity: '15 minutes', strategy: 'sequence', dimensions: ['country'] }],
    ['minute, sequence window, no backfill, other schema', { table: 'clicks', time: 'clicked_at', granularity: 'minute', strategy: 'sequence', backfill: false, schema: 'rollups' }],
    ['month over a date column, identity id, 8 shards', { table: 'shop.orders', time: 'ordered_on', granularity: 'month', strategy: 'sequence', dimensions: ['status'] }],
    ['week over timestamp, time window, schema-qualified source', { table: 'shop.orders', time: 'ordered_at', granularity: 'week', dimensions: ['status', 'ordered_on'] }],
    ['hll distinct count', { table: 'clicks', time: 'clicked_at', granularity: 'day', hll: true, measures: ['count(distinct url)', 'count(*)'].map(parseMeasure) }],
  ];
  for (const [title, opts] of matrix) {
    it(`matrix: ${title}`, () => {
      const model = modelOf(SEQUENCE_SCHEMA);
      const [schema, name] = opts.table.includes('.') ? opts.table.split('.') : ['public', opts.table];
      const source = model.get(schema, name)!;
      const numeric = source.columns.find((c) => c.type === 'numeric')!.name;
      const r = generateRollup(
        {
          source,
          timeColumn: opts.time,
          granularity: 'day',
          dimensions: [],
          strategy: 'time-window',
          measures: ['count(*)', `sum(${numeric})`, `avg(${numeric})`, `min(${numeric})`, `max(${numeric}) AS top`].map(parseMeasure),
          ...opts,
        },
        model,
      );
      assert.equal(checkScript(r.script, model, source, r.rollupTable), 1);
      assert.equal(r.runStatement, `SELECT ${r.functionName}();`);
      assert.ok(r.rollupTable.startsWith(`${opts.schema ?? schema}.`), 'objects live in the chosen schema, else the source schema');
      if (opts.cronSchedule) assert.match(r.script, /SELECT cron\.schedule\('rollup-[^']+', '\*\/5 \* \* \* \*'/);
      if (opts.strategy === 'sequence') {
        assert.match(r.script, /LOCK TABLE .* IN EXCLUSIVE MODE/);
        assert.match(r.script, /pg_sequence_last_value/);
        assert.match(r.script, /own id range/, 'documents the Citus caveat about sequence ranges on workers');
      } else {
        assert.match(r.script, /What it cannot see/);
        assert.match(r.script, /FOR UPDATE/);
      }
    });
  }

  it('names every relation with its schema, in the script and in the function bodies, and resolves regclass literals qualified', () => {
    const model = modelOf(SEQUENCE_SCHEMA);
    const variants: Array<Partial<RollupRequest> & { table: string; time: string }> = [
      { table: 'clicks', time: 'clicked_at', strategy: 'sequence', measures: ['count(*)', 'avg(amount)'].map(parseMeasure) },
      { table: 'clicks', time: 'clicked_at', hll: true, measures: ['count(distinct url)'].map(parseMeasure), cronSchedule: '* * * * *' },
      { table: 'shop.orders', time: 'ordered_on', strategy: 'sequence', schema: 'reporting', backfill: false },
      { table: 'shop.orders', time: 'ordered_at', ingestionTimeColumn: undefined },
    ];
    for (const v of variants) {
      const [schema, name] = v.table.includes('.') ? v.table.split('.') : ['public', v.table];
      const r = generateRollup({ source: model.get(schema, name)!, timeColumn: v.time, granularity: 'day', dimensions: [], measures: [parseMeasure('count(*)')], strategy: 'time-window', ...v }, model);
      const doc = parseDocument(r.script);
      const nested = doc.statements.filter((st) => st.parentIndex !== undefined).length;
      assert.ok(nested >= 4, `function and DO bodies are parsed too (${nested})`);
      let relations = 0;
      // a relation is any object with a relname (libpg-query writes RangeVar fields without their wrapper)
      const visit = (v: unknown, text: string): void => {
        if (Array.isArray(v)) v.forEach((x) => visit(x, text));
        else if (v && typeof v === 'object') {
          const o = v as Record<string, unknown>;
          if (typeof o.relname === 'string') {
            relations++;
            assert.ok(o.schemaname, `${o.relname} is schema-qualified in: ${text.slice(0, 160)}`);
          }
          Object.values(o).forEach((x) => visit(x, text));
        }
      };
      for (const st of doc.statements) {
        assert.equal(st.error, undefined, st.text);
        visit(st.ast, st.text);
        walk(st.ast, (type, fields) => {
          if (type === 'TypeCast' && /regclass$/.test(JSON.stringify(fields.typeName?.names ?? []).replace(/[^a-z]/g, ''))) {
            const lit = fields.arg?.A_Const?.sval?.sval as string | undefined;
            if (lit !== undefined && !lit.startsWith('pg_catalog.')) assert.match(lit, /^[^.]+\.[^.]+$/, `regclass literal '${lit}' is qualified`);
          }
        });
      }
      assert.ok(relations >= 8, `relations checked: ${relations}`);
      assert.doesNotMatch(r.script, /nextval|_seq'/, 'no sequence name: the sequence is found through the catalog');
      const first = r.script.indexOf(`SELECT set_config('citus.multi_shard_modify_mode', 'sequential', true);`);
      assert.ok(first > 0 && first < r.script.indexOf('create_distributed_table(') && first < r.script.indexOf('DO $guard$'), 'sequential mode first');
      assert.ok(r.script.indexOf('DO $guard$') < r.script.indexOf('CREATE TABLE'), 'the guard runs before anything is created');
      assert.match(r.script, /DO \$index\$/);
      assert.match(r.script, /CREATE INDEX CONCURRENTLY IF NOT EXISTS/, 'says how to build the index without blocking writes');
      assert.equal(/SET search_path FROM CURRENT/.test(r.script), v.hll === true, 'only hll functions rely on the install-time search_path');
    }
  });

  it('names the window index <table>_<column>_idx, shortened to an identifier PostgreSQL keeps whole', () => {
    assert.equal(windowIndexName('page_views', 'event_id'), 'page_views_event_id_idx');
    const long = windowIndexName('a'.repeat(60), 'created_at');
    assert.equal(long, `${'a'.repeat(48)}_created_at_idx`);
    assert.equal(new TextEncoder().encode(windowIndexName('é'.repeat(40), 'created_at')).length <= 63, true);
  });

  it('the shape checks fail on scripts that would not push down (they can fail)', () => {
    const model = modelOf(SEQUENCE_SCHEMA);
    const source = model.get('public', 'clicks')!;
    const r = generateRollup({ source, timeColumn: 'clicked_at', granularity: 'day', dimensions: ['country'], measures: [parseMeasure('count(*)')], strategy: 'time-window' }, model);
    const mutations: Array<[string, string]> = [
      ['SELECT site_id,', 'SELECT site_id + 0,'],
      ['GROUP BY site_id, ', 'GROUP BY '],
      [`colocate_with => 'public.clicks'`, `colocate_with => 'none'`],
    ];
    let failed = 0;
    for (const [from, to] of mutations) {
      assert.ok(r.script.includes(from), from);
      assert.throws(() => checkScript(r.script.replace(from, to), model, source, r.rollupTable), assert.AssertionError, `${from} -> ${to}`);
      failed++;
    }
    assert.equal(failed, 3);
    assert.throws(() => checkScript(r.script.replace('GROUP BY site_id,', 'LIMIT 10 GROUP BY site_id,'), model, source, r.rollupTable));
  });

  it('offers the ingestion-time column when the source has one', () => {
    const model = modelOf(SEQUENCE_SCHEMA);
    const r = generateRollup({ source: model.get('public', 'clicks')!, timeColumn: 'clicked_at', granularity: 'day', dimensions: [], measures: [parseMeasure('count(*)')], strategy: 'time-window' }, model);
    assert.deepEqual(r.ingestionCandidates, ['received_at']);
    assert.match(r.script, /has received_at, set when a row is inserted/);
  });

  it('merges each measure correctly on conflict', () => {
    const model = modelOf(SEQUENCE_SCHEMA);
    const r = generateRollup(
      { source: model.get('public', 'clicks')!, timeColumn: 'clicked_at', granularity: 'day', dimensions: [], measures: ['count(*)', 'sum(amount)', 'min(latency_ms)', 'max(latency_ms)', 'avg(latency_ms)', 'count(distinct url)'].map(parseMeasure), strategy: 'time-window', hll: true },
      model,
    );
    const set = r.insertSelects[0].split('DO UPDATE SET')[1];
    assert.match(set, /row_count = clicks_daily\.row_count \+ EXCLUDED\.row_count/);
    assert.match(set, /amount_sum = COALESCE\(clicks_daily\.amount_sum \+ EXCLUDED\.amount_sum, clicks_daily\.amount_sum, EXCLUDED\.amount_sum\)/);
    assert.match(set, /latency_ms_min = LEAST\(clicks_daily\.latency_ms_min, EXCLUDED\.latency_ms_min\)/);
    assert.match(set, /latency_ms_max = GREATEST\(/);
    assert.match(set, /latency_ms_count = clicks_daily\.latency_ms_count \+ EXCLUDED\.latency_ms_count/);
    assert.match(set, /url_hll = hll_union\(clicks_daily\.url_hll, EXCLUDED\.url_hll\)/);
    assert.doesNotMatch(set, /avg/);
    assert.match(r.script, /latency_ms_sum::numeric \/ NULLIF\(latency_ms_count, 0\) AS latency_ms_avg/);
    assert.match(r.script, /hll_cardinality\(url_hll\)::bigint AS url_distinct/);
    assert.equal(r.viewName, 'public.clicks_daily_view');
  });

  it('refuses what cannot be rolled up, with a reason', () => {
    const model = modelOf(fs.readFileSync(EXAMPLES_SCHEMA, 'utf8'), SEQUENCE_SCHEMA, 'CREATE TABLE plain_events (id int, at timestamptz);', "CREATE TABLE ref (id int, at timestamptz); SELECT create_reference_table('ref');");
    const base = { timeColumn: 'view_time', granularity: 'day', dimensions: [], measures: [parseMeasure('count(*)')], strategy: 'time-window' as const };
    const pv = model.get('public', 'page_views')!;
    const cases: Array<[Partial<RollupRequest>, RegExp]> = [
      [{ source: model.get('public', 'plain_events')!, timeColumn: 'at' }, /is not distributed: .*create_distributed_table/],
      [{ source: model.get('public', 'ref')!, timeColumn: 'at' }, /reference table/],
      [{ timeColumn: 'nope' }, /time column 'nope' is not a column of public\.page_views \(columns: tenant_id, page_id, host_ip, view_time\)/],
      [{ timeColumn: 'page_id' }, /must be a timestamp/],
      [{ dimensions: ['url'] }, /dimension 'url' is not a column/],
      [{ measures: [parseMeasure('count(distinct page_id)')] }, /cannot be rolled up incrementally as an exact number/],
      [{ measures: [parseMeasure('sum(host_ip)')] }, /does not accept/],
      [{ strategy: 'sequence' }, /needs an id column filled from a sequence/],
      [{ granularity: 'fortnightly' }, /is not an interval/],
      [{ lag: '1; DROP TABLE x' }, /is not an interval/],
      [{ measures: [] }, /at least one measure/],
      [{ name: 'daily_page_views' }, /already exists with other columns/],
      [{ cronSchedule: 'often' }, /not a five-field cron expression/],
    ];
    for (const [over, re] of cases) {
      assert.throws(() => generateRollup({ source: pv, ...base, ...over }, model), (e: unknown) => e instanceof RollupError && re.test((e as Error).message), `${JSON.stringify(Object.keys(over))} -> ${re}`);
    }
    assert.throws(() => parseMeasure('median(x)'), MeasureSyntaxError);
    assert.throws(() => parseMeasure('sum(*)'), MeasureSyntaxError);
    assert.deepEqual(parseMeasure('COUNT( DISTINCT "User" ) as users'), { fn: 'count_distinct', column: 'User', as: 'users' });
  });

  it('regenerating over the rollup it created is accepted (same columns)', () => {
    const model = modelOf(fs.readFileSync(EXAMPLES_SCHEMA, 'utf8'));
    const req: RollupRequest = { source: model.get('public', 'page_views')!, timeColumn: 'view_time', granularity: 'day', dimensions: ['page_id'], measures: [parseMeasure('count(*) AS view_count')], strategy: 'time-window' };
    const first = generateRollup(req, model);
    const after = analyzeDocument(first.script, model).model;
    const again = generateRollup({ ...req, source: after.get('public', 'page_views')! }, after);
    assert.equal(again.script, first.script);
  });
});
