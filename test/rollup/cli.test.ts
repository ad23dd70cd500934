/** `citus-rollups scaffold rollup` end to end through main(): outputs, and clear errors for bad input. */
import * as assert from 'node:assert/strict';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';

const SCHEMA = path.join(__dirname, '..', '..', 'examples', 'schema.sql');

async function run(args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
  return { code, out, err };
}

const BASE = ['scaffold', 'rollup', '--schema', SCHEMA, '--source', 'page_views', '--time-column', 'view_time', '--granularity', 'day'];

describe('citus-rollups scaffold rollup', () => {
  it('prints JSON with the script, the rollup table and the statement that runs one increment', async () => {
    const r = await run([...BASE, '--dimension', 'page_id', '--measure', 'count(*) AS view_count', '--format', 'json']);
    assert.equal(r.code, 0, r.err);
    const j = JSON.parse(r.out);
    assert.equal(j.rollupTable, 'public.page_views_daily');
    assert.equal(j.runStatement, 'SELECT public.rollup_page_views_daily();');
    assert.match(j.script, /create_distributed_table\('public\.page_views_daily', 'tenant_id', colocate_with => 'public\.page_views'\)/);
  });

  it('writes SQL to -o FILE, and lint finds nothing to report in it', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'scaffold-'));
    const file = path.join(dir, 'rollup.sql');
    const r = await run([...BASE, '--measure', 'count(*)', '--measure', 'max(host_ip)', '--cron', '* * * * *', '-o', file]);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out, '');
    const lint = await run(['lint', '--schema', SCHEMA, '--format', 'json', file]);
    assert.equal(lint.code, 0, lint.out + lint.err);
    const report = JSON.parse(lint.out);
    const text = JSON.stringify(report);
    assert.match(text, /pushdown/);
    assert.doesNotMatch(text, /"severity":\s*"(error|warning)"/);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const bad: Array<[string[], RegExp]> = [
    [['scaffold', 'rollup', '--schema', SCHEMA, '--source', 'nope', '--time-column', 'x', '--granularity', 'day', '--measure', 'count(*)'], /unknown table 'nope'.*page_views/],
    [['scaffold', 'rollup', '--schema', SCHEMA, '--source', 'aggregations', '--time-column', 'last_update', '--granularity', 'day', '--measure', 'count(*)'], /not distributed/],
    [[...BASE, '--measure', 'count(*)', '--dimension', 'url'], /dimension 'url' is not a column/],
    [[...BASE, '--measure', 'median(page_id)'], /cannot read measure/],
    [[...BASE], /at least one --measure/],
    [[...BASE, '--measure', 'count(*)', '--strategy', 'fast'], /--strategy must be/],
    [['scaffold', 'rollup', '--source', 'page_views', '--time-column', 'view_time', '--granularity', 'day', '--measure', 'count(*)'], /--schema FILE/],
    [['scaffold', 'view'], /unknown scaffold 'view'/],
    [[...BASE, '--measure', 'count(*)', '--schema', '/nonexistent/schema.sql'], /nonexistent/],
  ];
  for (const [args, re] of bad) {
    it(`exits 2 with a clear message: ${args.slice(2).filter((a) => a !== SCHEMA).join(' ').slice(0, 70)}`, async () => {
      const r = await run(args);
      assert.equal(r.code, 2);
      assert.match(r.err, re);
      assert.doesNotMatch(r.err, /internal error/);
    });
  }
});
