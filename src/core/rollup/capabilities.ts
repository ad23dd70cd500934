/**
 * What a connected cluster lets a generated rollup use: HyperLogLog sketches (the hll extension, needed on the
 * coordinator and on every worker, because the rollup's shards store hll values) and a pg_cron schedule (the
 * extension installed in this database on the coordinator, which runs the jobs). Pure: the report is read by
 * src/db/extensions.ts; the wizard offers an option only when it is usable and otherwise says why.
 */

export interface NodeExtensions {
  /** `host:port` */
  node: string;
  role: 'coordinator' | 'worker';
  /** per extension name: the version installed in this database (null: not installed), absent when not available */
  extensions: Record<string, { installed: string | null } | undefined>;
  /** the node could not be asked (the reason) */
  error?: string;
}

export interface ExtensionReport {
  nodes: NodeExtensions[];
  /** the coordinator's database, `cron.database_name` (null when pg_cron is not loaded) and shared_preload_libraries */
  database: string;
  cronDatabase: string | null;
  preloadLibraries: string;
}

export interface Capability {
  /** true: usable; false: not usable (see reason); undefined: could not be checked (see reason) */
  usable: boolean | undefined;
  /** why it is not usable or not checked; what it needs */
  reason?: string;
  /** the reason in a few words (a quick-pick description) */
  summary?: string;
}

export interface RollupCapabilities {
  hll: Capability;
  cron: Capability;
}

const HLL_INSTALL = 'install the hll extension package (postgresql-hll, e.g. postgresql-15-hll) on every node';

/** `the coordinator and 2 workers`, `worker 10.0.0.2:5432` */
function few(nodes: NodeExtensions[]): string {
  const workers = nodes.filter((n) => n.role === 'worker');
  const w = workers.length === 1 ? `worker ${workers[0].node}` : workers.length > 1 ? `${workers.length} workers` : '';
  return nodes.some((n) => n.role === 'coordinator') ? (w ? `the coordinator and ${w}` : 'the coordinator') : w;
}

function list(nodes: NodeExtensions[]): string {
  const names = nodes.map((n) => `${n.role} ${n.node}`);
  return names.length <= 3 ? names.join(', ') : `${names.slice(0, 3).join(', ')} and ${names.length - 3} more`;
}

/** hll: available (or installed) on the coordinator and every worker. */
function hllCapability(report: ExtensionReport): Capability {
  const missing = report.nodes.filter((n) => !n.error && !n.extensions.hll);
  const unknown = report.nodes.filter((n) => n.error);
  if (missing.length > 0) {
    return {
      usable: false,
      reason: `the hll extension is not available on ${list(missing)} (not in pg_available_extensions): ${HLL_INSTALL}, then connect again`,
      summary: `no hll extension on ${few(missing)}`,
    };
  }
  if (unknown.length > 0) return { usable: undefined, reason: `hll could not be checked on ${list(unknown)}: ${unknown[0].error}`, summary: `not checked on ${few(unknown)}` };
  return { usable: true };
}

/** pg_cron: installed in this database on the coordinator (jobs run there). */
function cronCapability(report: ExtensionReport): Capability {
  const coordinator = report.nodes.find((n) => n.role === 'coordinator');
  if (!coordinator || coordinator.error) return { usable: undefined, reason: `pg_cron could not be checked on the coordinator${coordinator?.error ? `: ${coordinator.error}` : ''}`, summary: 'not checked' };
  const cron = coordinator.extensions.pg_cron;
  if (cron?.installed) return { usable: true };
  if (!cron) return { usable: false, reason: 'pg_cron is not available on the coordinator (not in pg_available_extensions): install the pg_cron package there, or schedule SELECT <rollup function>() another way', summary: 'no pg_cron on the coordinator' };
  const preloaded = report.preloadLibraries.split(',').some((l) => l.trim().replace(/^"|"$/g, '') === 'pg_cron');
  if (!preloaded) return { usable: false, reason: 'pg_cron is available but not loaded: add pg_cron to shared_preload_libraries on the coordinator, restart it, then CREATE EXTENSION pg_cron', summary: 'pg_cron is not loaded' };
  if (report.cronDatabase && report.cronDatabase !== report.database) {
    return { usable: false, reason: `pg_cron runs its jobs from database ${report.cronDatabase} (cron.database_name), not ${report.database}: schedule the rollup from there with cron.schedule_in_database`, summary: `pg_cron runs in database ${report.cronDatabase}` };
  }
  return { usable: false, reason: `pg_cron is loaded but not installed in ${report.database}: run CREATE EXTENSION pg_cron there`, summary: `pg_cron not installed in ${report.database}` };
}

export function rollupCapabilities(report: ExtensionReport | undefined): RollupCapabilities {
  if (!report) {
    const notChecked = { usable: undefined, reason: 'not checked: no cluster connection (connect to have it checked)', summary: 'not checked: not connected' };
    return { hll: notChecked, cron: notChecked };
  }
  return { hll: hllCapability(report), cron: cronCapability(report) };
}
