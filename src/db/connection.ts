/**
 * Connections to a Citus coordinator (or plain PostgreSQL): options from a profile or a URI plus the libpq
 * conventions (`PG*` environment variables, `~/.pgpass`), TLS modes as libpq names them, connect and
 * statement timeouts, and errors sorted into a few kinds with a clear message. Passwords never appear in
 * a message, an error or a log line: every text leaving this module goes through `redact`.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { ConnectionOptions as TlsOptions } from 'node:tls';
import { Client, type ClientConfig } from 'pg';
// pgpass has no type declarations; its API is one function (connInfo, callback(password | undefined))
const pgpass = require('pgpass') as (info: { host: string; port: string; database: string; user: string }, cb: (pw: string | undefined) => void) => void;

export type SslMode = 'disable' | 'allow' | 'prefer' | 'require' | 'verify-ca' | 'verify-full';
const SSL_MODES: readonly SslMode[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** A connection profile as the settings and the CLI give it. Every field is optional. */
export interface ConnectionProfile {
  name?: string;
  /** `postgres://user@host:port/db?sslmode=...`; the other fields override its parts */
  uri?: string;
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  sslmode?: SslMode;
  /** CA certificate file (libpq's sslrootcert) for verify-ca / verify-full */
  sslrootcert?: string;
  applicationName?: string;
  /** milliseconds (default 8000, so that every failure is reported within 10 s) */
  connectTimeoutMs?: number;
  /** milliseconds (default 30000) */
  statementTimeoutMs?: number;
}

/** Where the resolution looks for libpq defaults; tests pass their own. */
export interface Environment {
  env: Readonly<Record<string, string | undefined>>;
  homedir: string;
  username: string;
}

export function processEnvironment(): Environment {
  let username = 'postgres';
  try {
    username = os.userInfo().username;
  } catch {
    // no passwd entry: keep the default
  }
  return { env: process.env, homedir: os.homedir(), username };
}

export interface ResolvedConnection {
  host: string;
  port: number;
  database: string;
  user: string;
  sslmode: SslMode;
  sslrootcert?: string;
  applicationName: string;
  connectTimeoutMs: number;
  statementTimeoutMs: number;
  /** where the password comes from; the password itself is kept out of this object (see `password`) */
  passwordSource: 'given' | 'uri' | 'PGPASSWORD' | 'pgpass' | 'none';
  /** a display label without secrets: `user@host:port/db` */
  label: string;
}

/** The password, held apart so that `JSON.stringify` or a log of a ResolvedConnection never shows it. */
const PASSWORDS = new WeakMap<ResolvedConnection, string>();

export const DEFAULT_CONNECT_TIMEOUT_MS = 8000;
export const DEFAULT_STATEMENT_TIMEOUT_MS = 30000;

export type DbErrorKind =
  | 'usage' // bad profile / URI
  | 'refused'
  | 'dns'
  | 'tls'
  | 'auth' // wrong or missing password, no pg_hba entry
  | 'database' // the database does not exist
  | 'no_citus'
  | 'timeout'
  | 'cancelled'
  | 'connection_lost'
  | 'sql'; // the statement itself failed (SQLSTATE in `sqlState`)

/** Every failure of this module. `message` is safe to show and log. */
export class DbError extends Error {
  constructor(
    readonly kind: DbErrorKind,
    message: string,
    readonly sqlState?: string,
    readonly detail?: string,
    readonly hint?: string,
  ) {
    super(message);
    this.name = 'DbError';
  }
}

// ---------------------------------------------------------------------------------------------------------
// Resolution

function intOr(v: string | undefined | null, fallback: number): number {
  if (v === undefined || v === null || v === '') return fallback;
  const n = Number(v);
  return Number.isFinite(n) && n >= 0 ? n : fallback;
}

function sslModeOf(v: string | undefined | null, where: string): SslMode | undefined {
  if (v === undefined || v === null || v === '') return undefined;
  if ((SSL_MODES as readonly string[]).includes(v)) return v as SslMode;
  throw new DbError('usage', `${where}: invalid sslmode '${v}' (one of ${SSL_MODES.join(', ')})`);
}

interface UriParts {
  host?: string;
  port?: number;
  database?: string;
  user?: string;
  password?: string;
  sslmode?: SslMode;
  sslrootcert?: string;
  applicationName?: string;
  connectTimeoutMs?: number;
}

/** Parses a `postgres://` / `postgresql://` URI (never echoes the password in an error). */
export function parseUri(uri: string): UriParts {
  let url: URL;
  const safe = redactUri(uri);
  if (!/^postgres(ql)?:\/\//i.test(uri)) throw new DbError('usage', `not a postgres:// URI: ${safe}`);
  try {
    url = new URL(uri);
  } catch {
    throw new DbError('usage', `cannot parse the connection URI ${safe}`);
  }
  const q = url.searchParams;
  const decode = (s: string): string => {
    try {
      return decodeURIComponent(s);
    } catch {
      return s;
    }
  };
  const host = url.hostname ? decode(url.hostname).replace(/^\[(.*)\]$/, '$1') : q.get('host') ?? undefined;
  const port = url.port ? Number(url.port) : q.get('port') ? Number(q.get('port')) : undefined;
  const dbPath = url.pathname.replace(/^\//, '');
  return {
    host: host || undefined,
    port: port && Number.isFinite(port) ? port : undefined,
    database: dbPath ? decode(dbPath) : q.get('dbname') ?? undefined,
    user: url.username ? decode(url.username) : q.get('user') ?? undefined,
    password: url.password ? decode(url.password) : q.get('password') ?? undefined,
    sslmode: sslModeOf(q.get('sslmode'), 'connection URI'),
    sslrootcert: q.get('sslrootcert') ?? undefined,
    applicationName: q.get('application_name') ?? undefined,
    connectTimeoutMs: q.get('connect_timeout') ? intOr(q.get('connect_timeout'), 0) * 1000 || undefined : undefined,
  };
}

/**
 * Resolves a profile the way libpq does: explicit fields, then the URI, then `PG*` variables, then defaults.
 * The password: `password` argument, the URI, `PGPASSWORD`, then `~/.pgpass` (or `PGPASSFILE`).
 */
export async function resolveConnection(profile: ConnectionProfile, password?: string, environment: Environment = processEnvironment()): Promise<ResolvedConnection> {
  const env = environment.env;
  const uri = profile.uri ? parseUri(profile.uri) : {};
  const host = profile.host || uri.host || env.PGHOST || 'localhost';
  const port = profile.port ?? uri.port ?? intOr(env.PGPORT, 5432);
  if (!Number.isInteger(port) || port <= 0 || port > 65535) throw new DbError('usage', `invalid port ${String(port)}`);
  const user = profile.user || uri.user || env.PGUSER || environment.username;
  const database = profile.database || uri.database || env.PGDATABASE || user;
  const sslmode = profile.sslmode ?? uri.sslmode ?? sslModeOf(env.PGSSLMODE, 'PGSSLMODE') ?? 'prefer';
  sslModeOf(sslmode, 'profile');
  let sslrootcert = profile.sslrootcert || uri.sslrootcert || env.PGSSLROOTCERT;
  if (!sslrootcert && (sslmode === 'verify-ca' || sslmode === 'verify-full')) {
    const dflt = path.join(environment.homedir, '.postgresql', 'root.crt');
    if (fs.existsSync(dflt)) sslrootcert = dflt;
  }
  const envConnect = env.PGCONNECT_TIMEOUT ? intOr(env.PGCONNECT_TIMEOUT, 0) * 1000 : undefined;
  const resolved: ResolvedConnection = {
    host,
    port,
    database,
    user,
    sslmode,
    sslrootcert,
    applicationName: profile.applicationName || uri.applicationName || env.PGAPPNAME || 'citus-rollups',
    connectTimeoutMs: profile.connectTimeoutMs ?? uri.connectTimeoutMs ?? envConnect ?? DEFAULT_CONNECT_TIMEOUT_MS,
    statementTimeoutMs: profile.statementTimeoutMs ?? DEFAULT_STATEMENT_TIMEOUT_MS,
    passwordSource: 'none',
    label: `${user}@${host}:${port}/${database}`,
  };
  let pw: string | undefined;
  if (password !== undefined) {
    pw = password;
    resolved.passwordSource = 'given';
  } else if (uri.password !== undefined) {
    pw = uri.password;
    resolved.passwordSource = 'uri';
  } else if (env.PGPASSWORD !== undefined) {
    pw = env.PGPASSWORD;
    resolved.passwordSource = 'PGPASSWORD';
  } else {
    pw = await lookupPgpass(resolved, environment);
    if (pw !== undefined) resolved.passwordSource = 'pgpass';
  }
  if (pw !== undefined) PASSWORDS.set(resolved, pw);
  return resolved;
}

function lookupPgpass(c: ResolvedConnection, environment: Environment): Promise<string | undefined> {
  // pgpass reads PGPASSFILE / HOME from process.env; point it at the environment we were given
  const saved = { PGPASSFILE: process.env.PGPASSFILE, HOME: process.env.HOME, PGPASSWORD: process.env.PGPASSWORD };
  const set = (k: keyof typeof saved, v: string | undefined): void => {
    if (v === undefined) delete process.env[k];
    else process.env[k] = v;
  };
  set('PGPASSFILE', environment.env.PGPASSFILE);
  set('HOME', environment.homedir);
  set('PGPASSWORD', undefined);
  return new Promise((resolve) => {
    let done = false;
    const finish = (pw: string | undefined): void => {
      if (done) return;
      done = true;
      for (const k of Object.keys(saved) as Array<keyof typeof saved>) set(k, saved[k]);
      resolve(pw);
    };
    try {
      pgpass({ host: c.host, port: String(c.port), database: c.database, user: c.user }, finish);
    } catch {
      finish(undefined);
    }
  });
}

/** A copy of a resolved connection with some fields changed (the password carries over). */
export function withOverrides(c: ResolvedConnection, patch: Partial<Omit<ResolvedConnection, 'passwordSource' | 'label'>>): ResolvedConnection {
  const copy: ResolvedConnection = { ...c, ...patch };
  copy.label = `${copy.user}@${copy.host}:${copy.port}/${copy.database}`;
  const pw = PASSWORDS.get(c);
  if (pw !== undefined) PASSWORDS.set(copy, pw);
  return copy;
}

/** Whether a password is available for this connection (without revealing it). */
export function hasPassword(c: ResolvedConnection): boolean {
  return PASSWORDS.has(c);
}

// ---------------------------------------------------------------------------------------------------------
// Redaction

/** Removes the password from a URI (for messages). */
export function redactUri(uri: string): string {
  return uri.replace(/^(postgres(?:ql)?:\/\/[^:/@?#]*):[^@/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}

/** Removes every known secret from a text (the password of `c`, URI credentials). */
export function redact(text: string, c?: ResolvedConnection, extraSecrets: readonly string[] = []): string {
  let out = text.replace(/postgres(?:ql)?:\/\/[^\s'"]+/gi, (m) => redactUri(m));
  const secrets = [...extraSecrets];
  const pw = c ? PASSWORDS.get(c) : undefined;
  if (pw) secrets.push(pw);
  for (const s of secrets) if (s && s.length >= 1) out = out.split(s).join('***');
  return out;
}

// ---------------------------------------------------------------------------------------------------------
// TLS and the pg client config

function tlsOptions(c: ResolvedConnection, mode: SslMode): TlsOptions | false {
  if (mode === 'disable' || mode === 'allow') return false;
  let ca: string | undefined;
  if (c.sslrootcert) {
    try {
      ca = fs.readFileSync(c.sslrootcert, 'utf8');
    } catch (e) {
      throw new DbError('tls', `cannot read the CA file ${c.sslrootcert}: ${(e as Error).message}`);
    }
  }
  if (mode === 'verify-full') return { rejectUnauthorized: true, ca, servername: isIp(c.host) ? undefined : c.host };
  if (mode === 'verify-ca') return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
  // require / prefer: encrypted, not verified (libpq verifies the CA under `require` only when a root cert is set)
  if (mode === 'require' && ca) return { rejectUnauthorized: true, ca, checkServerIdentity: () => undefined };
  return { rejectUnauthorized: false };
}

function isIp(host: string): boolean {
  return /^[\d.]+$/.test(host) || host.includes(':');
}

function clientConfig(c: ResolvedConnection, mode: SslMode): ClientConfig {
  return {
    host: c.host,
    port: c.port,
    database: c.database,
    user: c.user,
    // a function keeps pg from consulting PGPASSWORD/.pgpass itself (we did) and from warning
    password: () => PASSWORDS.get(c) ?? '',
    ssl: tlsOptions(c, mode),
    application_name: c.applicationName,
    connectionTimeoutMillis: c.connectTimeoutMs,
    keepAlive: true,
  };
}

// ---------------------------------------------------------------------------------------------------------
// Errors

interface PgLikeError extends Error {
  code?: string;
  detail?: string;
  hint?: string;
  severity?: string;
}

const TLS_CODES = /^(DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE|UNABLE_TO_GET_ISSUER_CERT(_LOCALLY)?|CERT_\w+|ERR_TLS_\w+|ERR_SSL_\w+|EPROTO)$/;

/** Sorts a connection or query failure into a DbError with a clear, secret-free message. */
export function classifyError(e: unknown, c: ResolvedConnection, phase: 'connect' | 'query'): DbError {
  if (e instanceof DbError) return new DbError(e.kind, redact(e.message, c), e.sqlState, e.detail && redact(e.detail, c), e.hint && redact(e.hint, c));
  const err = (e ?? {}) as PgLikeError;
  const raw = redact(String(err.message ?? e), c);
  const where = `${c.host}:${c.port}`;
  const code = err.code ?? '';
  if (code === 'ECONNREFUSED') return new DbError('refused', `connection refused by ${where}: is the server running and accepting TCP connections on that port?`);
  if (code === 'ENOTFOUND' || code === 'EAI_AGAIN' || code === 'EAI_NONAME') return new DbError('dns', `cannot resolve host name '${c.host}' (${code})`);
  if (code === 'EHOSTUNREACH' || code === 'ENETUNREACH') return new DbError('refused', `host ${where} is unreachable (${code})`);
  if (TLS_CODES.test(code) || /self[- ]signed|certificate|SSL|TLS|altnames/i.test(raw)) {
    if (/does not support SSL/i.test(raw)) return new DbError('tls', `the server ${where} does not support SSL, but sslmode=${c.sslmode} requires it`);
    return new DbError('tls', `TLS failed with ${where} (sslmode=${c.sslmode}${c.sslrootcert ? `, CA file ${c.sslrootcert}` : ''}): ${raw}`);
  }
  if (code === '28P01' || /password authentication failed/i.test(raw)) {
    return new DbError('auth', `password authentication failed for user '${c.user}' on ${where}`, code || undefined);
  }
  if (code === '28000') return new DbError('auth', `the server refused user '${c.user}' on database '${c.database}': ${raw}`, code);
  if (/client password must be a string|password must be a string|no password supplied/i.test(raw) || (phase === 'connect' && /SASL/i.test(raw))) {
    return new DbError('auth', `the server at ${where} asks for a password for user '${c.user}' and none was given (profile, PGPASSWORD or ~/.pgpass)`);
  }
  if (code === '3D000') return new DbError('database', `database '${c.database}' does not exist on ${where}`, code);
  if (/timeout expired|timed out|Connection terminated due to connection timeout/i.test(raw)) {
    return new DbError('timeout', `no answer from ${where} within ${c.connectTimeoutMs / 1000} s (connect timeout)`);
  }
  if (code === '57014') {
    if (/statement timeout/i.test(raw)) return new DbError('timeout', `the statement ran longer than the statement timeout (${c.statementTimeoutMs / 1000} s) and was cancelled`, code);
    return new DbError('cancelled', 'the statement was cancelled', code);
  }
  if (code === 'ECONNRESET' || code === 'EPIPE' || /Connection terminated|connection.*(closed|ended)/i.test(raw)) {
    return new DbError('connection_lost', `the connection to ${where} was lost${phase === 'query' ? ' during the statement' : ''}: ${raw}`);
  }
  if (/^[0-9A-Z]{5}$/.test(code)) return new DbError('sql', raw, code, err.detail ? redact(err.detail, c) : undefined, err.hint ? redact(err.hint, c) : undefined);
  return new DbError(phase === 'connect' ? 'refused' : 'sql', `${phase === 'connect' ? `cannot connect to ${where}: ` : ''}${raw}`);
}

// ---------------------------------------------------------------------------------------------------------
// Connecting

/** An open connection with what we learned about the server. */
export interface Session {
  client: Client;
  connection: ResolvedConnection;
  /** backend pid, for cancellation */
  pid: number;
  serverVersion: string;
  /** installed Citus extension version, or null for plain PostgreSQL */
  citusVersion: string | null;
  close(): Promise<void>;
}

/** Opens a connection, failing with a DbError within the connect timeout. */
export async function connect(c: ResolvedConnection): Promise<Session> {
  const attempt = async (mode: SslMode): Promise<Client> => {
    const client = new Client(clientConfig(c, mode));
    client.on('error', () => {
      // errors after connect are reported by the query that meets them
    });
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      timer = setTimeout(() => {
        destroy(client);
        reject(new DbError('timeout', `no answer from ${c.host}:${c.port} within ${c.connectTimeoutMs / 1000} s (connect timeout)`));
      }, c.connectTimeoutMs + 250);
    });
    try {
      await Promise.race([client.connect(), deadline]);
      return client;
    } catch (e) {
      destroy(client);
      throw classifyError(e, c, 'connect');
    } finally {
      clearTimeout(timer);
    }
  };
  let client: Client;
  if (c.sslmode === 'prefer') {
    try {
      client = await attempt('prefer');
    } catch (e) {
      if (!(e instanceof DbError) || e.kind !== 'tls') throw e;
      client = await attempt('disable');
    }
  } else if (c.sslmode === 'allow') {
    try {
      client = await attempt('disable');
    } catch (e) {
      if (!(e instanceof DbError) || (e.kind !== 'auth' && e.kind !== 'sql')) throw e;
      client = await attempt('require');
    }
  } else {
    client = await attempt(c.sslmode);
  }
  try {
    const info = await withTimeout(
      client.query<{ pid: number; server_version: string; citus: string | null }>(
        "SELECT pg_backend_pid() AS pid, current_setting('server_version') AS server_version, (SELECT extversion FROM pg_catalog.pg_extension WHERE extname = 'citus') AS citus",
      ),
      c.connectTimeoutMs,
      () => destroy(client),
      `the server ${c.host}:${c.port} accepted the connection but did not answer within ${c.connectTimeoutMs / 1000} s`,
    );
    const row = info.rows[0];
    return {
      client,
      connection: c,
      pid: row.pid,
      serverVersion: row.server_version,
      citusVersion: row.citus,
      close: async () => {
        try {
          await withTimeout(client.end(), 2000, () => destroy(client), 'close');
        } catch {
          destroy(client);
        }
      },
    };
  } catch (e) {
    destroy(client);
    throw classifyError(e, c, 'connect');
  }
}

/** Throws `no_citus` unless the Citus extension is installed in the connected database. */
export function requireCitus(s: Session): string {
  if (s.citusVersion) return s.citusVersion;
  throw new DbError('no_citus', `the Citus extension is not installed in database '${s.connection.database}' on ${s.connection.host}:${s.connection.port} (plain PostgreSQL ${s.serverVersion}); run CREATE EXTENSION citus, or connect to the coordinator`);
}

export function destroy(client: Client): void {
  const stream = (client as unknown as { connection?: { stream?: { destroy?: () => void } } }).connection?.stream;
  try {
    stream?.destroy?.();
  } catch {
    // already gone
  }
}

/** Races a promise against a timer; on expiry calls `onTimeout` and rejects with a `timeout` DbError. */
export async function withTimeout<T>(p: Promise<T>, ms: number, onTimeout: () => void, message: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      p,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => {
          onTimeout();
          reject(new DbError('timeout', message));
        }, ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/**
 * Asks the server to cancel what the session is running (over a second connection, which works with TLS and
 * any authentication). Resolves true when the server accepted the request.
 */
export async function cancelBackend(s: Session): Promise<boolean> {
  let other: Session | undefined;
  try {
    other = await connect(withOverrides(s.connection, { connectTimeoutMs: Math.min(s.connection.connectTimeoutMs, 5000) })).catch(() => undefined);
    if (!other) return false;
    const r = await other.client.query<{ ok: boolean }>('SELECT pg_catalog.pg_cancel_backend($1) AS ok', [s.pid]);
    return !!r.rows[0]?.ok;
  } catch {
    return false;
  } finally {
    await other?.close();
  }
}
