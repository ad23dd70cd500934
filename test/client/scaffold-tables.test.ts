/** The wizard's table list and the generated script's file name (pure parts of src/client/scaffold). */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { scriptFileName, sourceTableGroups } from '../../src/client/scaffold/tables';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';

describe('scaffold wizard: source tables and script name', () => {
  let model: SchemaModel;
  before(async () => {
    await loadParser();
    model = new SchemaModel();
    applyDocumentDdl(model, { source: 'schema.sql', text: fs.readFileSync(path.join(__dirname, '..', '..', 'examples', 'schema.sql'), 'utf8') });
  });

  it('tells raw tables, rollups and tables only the workspace has apart', () => {
    const groups = sourceTableGroups(model, { rollupTargets: ['public.daily_page_views', 'public.daily_language_views'], workspaceOnly: ['public.daily_language_views'], connected: true });
    assert.deepEqual(
      groups.map((g) => [g.title, g.tables.map((t) => `${t.table.name}: ${t.description}`)]),
      [
        ['Raw tables', ['page_views: distributed by tenant_id', 'page_views_by_page: distributed by page_id', 'pages: distributed by tenant_id']],
        ['Rollups (INSERT … SELECT targets)', ['daily_page_views: distributed by tenant_id']],
        ['Not on the cluster (workspace only)', ['daily_language_views: rollup, distributed by tenant_id']],
      ],
    );
  });

  it('lists every hash table as raw when nothing is known about roles', () => {
    const [only, ...rest] = sourceTableGroups(model, undefined);
    assert.equal(rest.length, 0);
    assert.equal(only.title, 'Raw tables');
    assert.equal(only.tables.length, 5);
  });

  it('names the script after the rollup table', () => {
    assert.equal(scriptFileName('public.events_daily'), 'rollup_events_daily.sql');
    assert.equal(scriptFileName('analytics.events_daily'), 'rollup_analytics_events_daily.sql');
    assert.equal(scriptFileName('public.events_daily', 2), 'rollup_events_daily_2.sql');
  });
});
