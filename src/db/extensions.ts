/**
 * Which extensions a generated rollup may use (hll, pg_cron) are available and installed, on the coordinator and
 * on every worker (through Citus' run_command_on_workers; a plain PostgreSQL server has no workers). Read-only,
 * inside a transaction that is rolled back, with a statement timeout: looking never changes the cluster.
 */
import type { ExtensionReport, NodeExtensions } from '../core/rollup/capabilities';
import { classifyError, DbError, destroy, withTimeout, type Session } from './connection';

/** The extensions the rollup wizard asks about. */
export const ROLLUP_EXTENSIONS = ['hll', 'pg_cron'];

type ExtensionRow = { name: string; installed: string | null };

function byName(rows: ExtensionRow[]): NodeExtensions['extensions'] {
  const out: NodeExtensions['extensions'] = {};
  for (const r of rows) out[r.name] = { installed: r.installed };
  return out;
}

/** SQL that lists the named extensions a server can install, with the version installed in this database. */
function availableSql(names: readonly string[]): string {
  const list = names.map((n) => `'${n.replace(/'/g, "''")}'`).join(', ');
  return `SELECT coalesce(json_agg(json_build_object('name', name, 'installed', installed_version)), '[]') AS r FROM pg_catalog.pg_available_extensions WHERE name IN (${list})`;
}

export async function readExtensions(session: Session, names: readonly string[] = ROLLUP_EXTENSIONS, timeoutMs = session.connection.statementTimeoutMs): Promise<ExtensionReport> {
  const client = session.client;
  const c = session.connection;
  const run = async (): Promise<ExtensionReport> => {
    await client.query('BEGIN READ ONLY');
    try {
      await client.query(`SET LOCAL statement_timeout = ${Math.max(1, Math.floor(timeoutMs))}`);
      const local = await client.query<{ r: ExtensionRow[]; database: string; cron: string | null; preload: string }>(
        `SELECT (${availableSql(names)}) AS r, current_database() AS database, current_setting('cron.database_name', true) AS cron, current_setting('shared_preload_libraries') AS preload`,
      );
      const row = local.rows[0];
      const nodes: NodeExtensions[] = [{ node: `${c.host}:${c.port}`, role: 'coordinator', extensions: byName(row.r) }];
      const hasWorkers = await client.query<{ ok: boolean }>(`SELECT to_regproc('pg_catalog.run_command_on_workers') IS NOT NULL AS ok`);
      if (hasWorkers.rows[0].ok) {
        const workers = await client.query<{ nodename: string; nodeport: number; success: boolean; result: string }>(
          `SELECT nodename, nodeport, success, result FROM pg_catalog.run_command_on_workers($1) ORDER BY nodename, nodeport`,
          [availableSql(names).replace(/ AS r FROM/, ' FROM')],
        );
        for (const w of workers.rows) {
          const node = `${w.nodename}:${w.nodeport}`;
          let parsed: ExtensionRow[] | undefined;
          try {
            parsed = w.success ? (JSON.parse(w.result) as ExtensionRow[]) : undefined;
          } catch {
            parsed = undefined;
          }
          nodes.push(parsed ? { node, role: 'worker', extensions: byName(parsed) } : { node, role: 'worker', extensions: {}, error: w.success ? `unexpected answer: ${w.result.slice(0, 200)}` : w.result });
        }
      }
      return { nodes, database: row.database, cronDatabase: row.cron || null, preloadLibraries: row.preload };
    } finally {
      await client.query('ROLLBACK').catch(() => destroy(client));
    }
  };
  try {
    return await withTimeout(run(), timeoutMs + 2000, () => destroy(client), `reading the extensions took longer than ${(timeoutMs + 2000) / 1000} s`);
  } catch (e) {
    throw e instanceof DbError ? e : classifyError(e, c, 'query');
  }
}
