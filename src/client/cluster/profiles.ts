/**
 * Connection profiles from the settings and the status text. PURE (no vscode import): the settings value is
 * validated here, so a typo gives a clear message instead of a failed connection.
 */
import type { ConnectionProfile, SslMode } from '../../db/connection';

export interface SettingsProfile {
  name: string;
  profile: ConnectionProfile;
}

const SSL: readonly string[] = ['disable', 'allow', 'prefer', 'require', 'verify-ca', 'verify-full'];

/** Reads `citusRollups.connections` (an array of objects); returns the valid profiles and one message per problem. */
export function readProfiles(value: unknown, timeouts: { connectSeconds?: number; statementSeconds?: number } = {}): { profiles: SettingsProfile[]; problems: string[] } {
  const profiles: SettingsProfile[] = [];
  const problems: string[] = [];
  if (value === undefined || value === null) return { profiles, problems };
  if (!Array.isArray(value)) return { profiles, problems: ['citusRollups.connections must be an array of connection profiles'] };
  const names = new Set<string>();
  value.forEach((raw: unknown, i) => {
    const where = `citusRollups.connections[${i}]`;
    if (!raw || typeof raw !== 'object') {
      problems.push(`${where} must be an object`);
      return;
    }
    const p = raw as Record<string, unknown>;
    if ('password' in p) problems.push(`${where}: "password" is ignored; the password is asked once and kept in the OS keychain (SecretStorage)`);
    const str = (k: string): string | undefined => (typeof p[k] === 'string' && (p[k] as string).trim() ? (p[k] as string).trim() : undefined);
    const uri = str('uri');
    if (uri && /^postgres(ql)?:\/\/[^/@]*:[^/@]*@/i.test(uri)) problems.push(`${where}: the URI contains a password; remove it (it would be stored in plain text in settings)`);
    const host = str('host');
    if (!uri && !host) {
      problems.push(`${where} needs "uri" or "host"`);
      return;
    }
    let port: number | undefined;
    if (p.port !== undefined) {
      port = Number(p.port);
      if (!Number.isInteger(port) || port < 1 || port > 65535) {
        problems.push(`${where}: invalid port ${String(p.port)}`);
        return;
      }
    }
    const sslmode = str('sslmode');
    if (sslmode && !SSL.includes(sslmode)) {
      problems.push(`${where}: invalid sslmode '${sslmode}' (one of ${SSL.join(', ')})`);
      return;
    }
    const name = str('name') ?? (host ? `${str('user') ?? ''}${str('user') ? '@' : ''}${host}${port ? `:${port}` : ''}/${str('database') ?? ''}` : `profile ${i + 1}`);
    if (names.has(name)) {
      problems.push(`${where}: duplicate name '${name}'`);
      return;
    }
    names.add(name);
    profiles.push({
      name,
      profile: {
        name,
        uri: uri?.replace(/^(postgres(?:ql)?:\/\/[^/@:]*):[^/@]*@/i, '$1@'),
        host,
        port,
        database: str('database'),
        user: str('user'),
        sslmode: sslmode as SslMode | undefined,
        sslrootcert: str('sslrootcert'),
        applicationName: str('applicationName'),
        connectTimeoutMs: timeouts.connectSeconds ? Math.round(timeouts.connectSeconds * 1000) : undefined,
        statementTimeoutMs: timeouts.statementSeconds ? Math.round(timeouts.statementSeconds * 1000) : undefined,
      },
    });
  });
  return { profiles, problems };
}

export interface ClusterStatus {
  state: 'disconnected' | 'connecting' | 'connected' | 'error';
  profile?: string;
  /** user@host:port/db */
  label?: string;
  serverVersion?: string;
  citusVersion?: string | null;
  workerCount?: number;
  tables?: number;
  error?: string;
}

/** The status bar text and tooltip. */
export function statusText(s: ClusterStatus): { text: string; tooltip: string } {
  switch (s.state) {
    case 'disconnected':
      return { text: '$(debug-disconnect) Citus: no cluster', tooltip: 'Not connected. Click to connect to a Citus cluster.' };
    case 'connecting':
      return { text: '$(sync~spin) Citus: connecting…', tooltip: `Connecting to ${s.label ?? s.profile ?? 'the cluster'}` };
    case 'error':
      return { text: '$(error) Citus: connection failed', tooltip: `${s.profile ?? ''}: ${s.error ?? 'failed'}. Click to retry.` };
    case 'connected': {
      const what = s.citusVersion ? `Citus ${s.citusVersion}, ${s.workerCount ?? 0} worker${s.workerCount === 1 ? '' : 's'}` : 'plain PostgreSQL';
      const short = s.label?.replace(/^[^@]*@/, '') ?? '';
      return {
        text: `$(server) ${short} · ${s.citusVersion ? `Citus ${s.citusVersion} · ${s.workerCount ?? 0} worker${s.workerCount === 1 ? '' : 's'}` : 'plain PostgreSQL'}`,
        tooltip: `Connected to ${s.label} (${s.profile}): PostgreSQL ${s.serverVersion}, ${what}; ${s.tables ?? 0} tables read. Click to disconnect or switch profile.`,
      };
    }
  }
}

export function secretKey(p: ConnectionProfile): string {
  return `citusRollups.password/${p.name ?? ''}/${p.user ?? ''}@${p.host ?? ''}:${p.port ?? ''}/${p.database ?? ''}/${p.uri ?? ''}`;
}
