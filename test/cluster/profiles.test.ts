/** Connection profiles from settings and the status text (pure parts of the cluster client). */
import { strict as assert } from 'node:assert';
import { readProfiles, secretKey, statusText } from '../../src/client/cluster/profiles';

describe('connection profiles from settings', () => {
  it('reads valid profiles and reports each problem clearly', () => {
    const { profiles, problems } = readProfiles(
      [
        { name: 'prod', host: 'coord.example', port: 5432, database: 'app', user: 'me', sslmode: 'verify-full', sslrootcert: '/etc/ca.pem' },
        { uri: 'postgres://me@localhost:9700/postgres' },
        { name: 'leaky', uri: 'postgres://me:hunter2@localhost/db' },
        { name: 'pw', host: 'h', password: 'hunter3' },
        { name: 'badport', host: 'h', port: 70000 },
        { name: 'badssl', host: 'h', sslmode: 'strict' },
        { name: 'prod', host: 'again' },
        { database: 'x' },
        'nonsense',
      ],
      { connectSeconds: 5, statementSeconds: 12 },
    );
    assert.deepEqual(profiles.map((p) => p.name), ['prod', 'profile 2', 'leaky', 'pw']);
    assert.equal(profiles[0].profile.sslmode, 'verify-full');
    assert.equal(profiles[0].profile.connectTimeoutMs, 5000);
    assert.equal(profiles[0].profile.statementTimeoutMs, 12000);
    assert.equal(profiles[2].profile.uri, 'postgres://me@localhost/db', 'a password in a settings URI is dropped');
    assert.ok(!JSON.stringify(profiles).includes('hunter'), 'no password kept from settings');
    assert.ok(!problems.join('\n').includes('hunter'), 'no password in messages');
    assert.deepEqual(problems, [
      'citusRollups.connections[2]: the URI contains a password; remove it (it would be stored in plain text in settings)',
      'citusRollups.connections[3]: "password" is ignored; the password is asked once and kept in the OS keychain (SecretStorage)',
      'citusRollups.connections[4]: invalid port 70000',
      "citusRollups.connections[5]: invalid sslmode 'strict' (one of disable, allow, prefer, require, verify-ca, verify-full)",
      "citusRollups.connections[6]: duplicate name 'prod'",
      'citusRollups.connections[7] needs "uri" or "host"',
      'citusRollups.connections[8] must be an object',
    ]);
    assert.deepEqual(readProfiles({}).problems, ['citusRollups.connections must be an array of connection profiles']);
  });

  it('keys secrets by profile and target', () => {
    const a = secretKey({ name: 'a', host: 'h', user: 'u' });
    assert.notEqual(a, secretKey({ name: 'a', host: 'h2', user: 'u' }));
    assert.match(a, /^citusRollups\.password\//);
  });

  it('shows host/db, Citus version and worker count, or plain PostgreSQL', () => {
    assert.equal(statusText({ state: 'connected', label: 'me@coord:5432/app', citusVersion: '13.2-1', workerCount: 2, serverVersion: '15.20' }).text, '$(server) coord:5432/app · Citus 13.2-1 · 2 workers');
    assert.match(statusText({ state: 'connected', label: 'me@coord:5432/app', citusVersion: '13.2-1', workerCount: 1, serverVersion: '15.20' }).text, / 1 worker$/);
    assert.equal(statusText({ state: 'connected', label: 'me@pg:5432/app', citusVersion: null, serverVersion: '16.1' }).text, '$(server) pg:5432/app · plain PostgreSQL');
    assert.match(statusText({ state: 'error', profile: 'p', error: 'connection refused' }).tooltip, /connection refused/);
  });
});
