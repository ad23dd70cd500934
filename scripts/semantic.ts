/**
 * `npm run semantic`: the semantic layer against a real PostgreSQL (the embedded server the tests use):
 * agreement per mutation kind and every disagreement. See scripts/semantic-lib.ts.
 */
import { Client } from 'pg';
import { loadParser } from '../src/core/parse/libpg';
import { startServer } from '../test/db/pg-server';
import { formatDifferential, runDifferential } from './semantic-lib';

async function main(): Promise<void> {
  await loadParser();
  const server = await startServer();
  const connect = async (database: string): Promise<Client> => {
    const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database });
    await c.connect();
    return c;
  };
  const admin = await connect(server.database);
  try {
    const seeds = Number(process.env.SEMANTIC_SEEDS ?? 3);
    const verdicts = await runDifferential(connect, admin, { perStatementSeeds: seeds });
    process.stdout.write(formatDifferential(verdicts, process.argv.includes('--verbose')) + '\n');
  } finally {
    await admin.end();
    await server.stop();
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
