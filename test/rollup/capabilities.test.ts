/**
 * What the wizard offers from a cluster's extension report (rollupCapabilities): hll needs every node, pg_cron
 * the coordinator's database; every refusal says why and what to do. Literal reports, one row per case.
 */
import * as assert from 'node:assert/strict';
import { rollupCapabilities, type ExtensionReport, type NodeExtensions } from '../../src/core/rollup/capabilities';

const node = (role: NodeExtensions['role'], port: number, extensions: NodeExtensions['extensions'], error?: string): NodeExtensions => ({ node: `10.0.0.1:${port}`, role, extensions, error });
const report = (nodes: NodeExtensions[], over: Partial<ExtensionReport> = {}): ExtensionReport => ({ nodes, database: 'app', cronDatabase: null, preloadLibraries: 'citus', ...over });
const hll = { hll: { installed: null } };
const cronInstalled = { pg_cron: { installed: '1.6' } };
const cronAvailable = { pg_cron: { installed: null } };

describe('rollup capabilities of a cluster', () => {
  const cases: Array<[string, ExtensionReport | undefined, { hll: boolean | undefined; hllSummary?: string; hllReason?: RegExp; cron: boolean | undefined; cronReason?: RegExp }]> = [
    ['not connected', undefined, { hll: undefined, hllReason: /not checked: no cluster connection/, cron: undefined, cronReason: /not checked/ }],
    ['no hll anywhere (the local Citus)', report([node('coordinator', 9700, {}), node('worker', 9701, {}), node('worker', 9702, {})]), { hll: false, hllSummary: 'no hll extension on the coordinator and 2 workers', hllReason: /not available on coordinator 10\.0\.0\.1:9700, worker 10\.0\.0\.1:9701, worker 10\.0\.0\.1:9702 .*install the hll extension package/, cron: false, cronReason: /pg_cron is not available on the coordinator/ }],
    ['hll on the coordinator only', report([node('coordinator', 9700, { hll: { installed: '2.18' } }), node('worker', 9701, {}), node('worker', 9702, hll)]), { hll: false, hllSummary: 'no hll extension on worker 10.0.0.1:9701', hllReason: /not available on worker 10\.0\.0\.1:9701 \(/, cron: false }],
    ['hll available on every node (not yet installed: the script creates it)', report([node('coordinator', 9700, { ...hll, ...cronInstalled }), node('worker', 9701, hll), node('worker', 9702, hll)]), { hll: true, cron: true }],
    ['a worker that cannot be asked', report([node('coordinator', 9700, hll), node('worker', 9701, {}, 'connection refused')]), { hll: undefined, hllReason: /could not be checked on worker 10\.0\.0\.1:9701: connection refused/, cron: false }],
    ['pg_cron available, not preloaded', report([node('coordinator', 9700, cronAvailable)]), { hll: false, cron: false, cronReason: /add pg_cron to shared_preload_libraries/ }],
    ['pg_cron preloaded, jobs run from another database', report([node('coordinator', 9700, cronAvailable)], { preloadLibraries: 'citus, "pg_cron"', cronDatabase: 'postgres' }), { hll: false, cron: false, cronReason: /runs its jobs from database postgres \(cron\.database_name\), not app: .*cron\.schedule_in_database/ }],
    ['pg_cron preloaded for this database, extension not created', report([node('coordinator', 9700, cronAvailable)], { preloadLibraries: 'citus,pg_cron', cronDatabase: 'app' }), { hll: false, cron: false, cronReason: /run CREATE EXTENSION pg_cron there/ }],
  ];
  for (const [title, r, want] of cases) {
    it(title, () => {
      const caps = rollupCapabilities(r);
      assert.equal(caps.hll.usable, want.hll, 'hll');
      assert.equal(caps.cron.usable, want.cron, 'pg_cron');
      if (want.hllSummary) assert.equal(caps.hll.summary, want.hllSummary);
      if (want.hllReason) assert.match(caps.hll.reason ?? '', want.hllReason);
      if (want.cronReason) assert.match(caps.cron.reason ?? '', want.cronReason);
      if (want.hll === true) assert.equal(caps.hll.reason, undefined);
      if (want.hll === false) assert.ok(caps.hll.reason && caps.hll.summary, 'says why, long and short');
      if (want.cron === false) assert.ok(caps.cron.reason && caps.cron.summary, 'says why, long and short');
    });
  }
});
