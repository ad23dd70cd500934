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
import * as fs from 'node:fs';
import * as path from 'node:path';

import { root } from './test-extension-lib.mjs';
import { checkHost, DEFAULT_VSIX, ensureVsix, findChromium, hostEnv, installVsix, launchBrowser, makeProfile, manifest, startCodeServer, workbenchUrl } from './vsix-host-lib.mjs';

const SMOKE_DIR = path.join(root, 'test', 'vsix-smoke');
const SCREENSHOT = path.join(root, 'out', 'vsix-smoke', 'workbench.png');
const WATCHDOG_MS = 180_000;

const log = (m) => process.stdout.write(`[test:vsix] ${m}\n`);

function parseArgs(argv) {
  const args = { vsix: DEFAULT_VSIX, explicit: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--vsix' && argv[i + 1]) Object.assign(args, { vsix: path.resolve(argv[++i]), explicit: true });
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/test-vsix.mjs [--vsix FILE])`);
  }
  return args;
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  ensureVsix(args.vsix, args.explicit, log);
  checkHost();
  findChromium();

  const { tmp, dirs } = makeProfile('citus-vsix-', ['suite']);
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
    server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  };

  try {
    log(`installed ${installVsix(args.vsix, dirs, env)} from ${path.relative(root, args.vsix) || args.vsix}`);
    const t0 = Date.now();
    let suiteCounts;
    server = await startCodeServer(dirs, env, (line) => {
      // The extension host's stdout comes back in the server log; print the suite's own lines.
      const i = line.indexOf('[vsix-smoke]');
      if (i < 0) return;
      const text = line.slice(i);
      const result = /RESULT (\d+) passed, (\d+) failed/.exec(text);
      if (result) suiteCounts = { passed: Number(result[1]), failed: Number(result[2]) };
      else process.stdout.write(`${text}\n`);
    });
    log(`code-server on 127.0.0.1:${server.port} after ${Date.now() - t0} ms`);

    browser = await launchBrowser(env);
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
    const UI_CHECKS = 2;
    await page.exposeFunction('codeAutomationExit', async (code) => {
      await runUiCheck('the Citus grammar colours schema.sql', checkHighlighting);
      await runUiCheck('the walkthrough shows its steps, the first one ticked', checkWalkthrough);
      await screenshot().catch(() => undefined);
      finish(Number(code));
    });
    await page.goto(workbenchUrl(server.port, path.join(SMOKE_DIR, 'workspace'), path.join(dirs.suite, 'index.js')));
    let watchdogTimer;
    const watchdog = new Promise((resolve) => {
      watchdogTimer = setTimeout(async () => {
        log(`no result after ${WATCHDOG_MS / 1000} s; last server log lines:\n${server.log.slice(-40).join('\n')}`);
        await screenshot().catch(() => undefined);
        resolve(1);
      }, WATCHDOG_MS);
    });
    const suiteCode = await Promise.race([done, watchdog]);
    clearTimeout(watchdogTimer);
    const uiOk = uiChecks.length === UI_CHECKS && uiChecks.every(Boolean);
    const passed = (suiteCounts?.passed ?? 0) + uiChecks.filter(Boolean).length;
    const failed = (suiteCounts?.failed ?? 0) + (UI_CHECKS - uiChecks.filter(Boolean).length);
    if (!suiteCounts) log('the suite reported no result');
    // The summary alone on its line, as CI reads it.
    process.stdout.write(`${passed} passed, ${failed} failed\n`);
    const code = suiteCode === 0 && suiteCounts && uiOk ? 0 : 1;
    log(`VSIX smoke test finished with exit code ${code} in ${Math.round((Date.now() - t0) / 1000)} s`);
    if (code !== 0) log(`last server log lines:\n${server.log.slice(-25).join('\n')}`);
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

/**
 * The walkthrough (opened beside the editor by the suite) renders its title and its six steps, and the first one,
 * "Open a SQL workspace", is ticked: the suite opened SQL files (its completion event fires in the installed VSIX).
 */
async function checkWalkthrough(page) {
  const walkthrough = manifest.contributes.walkthroughs[0];
  const text = await page.evaluate(() => document.body.innerText);
  const missing = [walkthrough.title, ...walkthrough.steps.map((s) => s.title)].filter((t) => !text.includes(t));
  if (missing.length) throw new Error(`not shown: ${missing.join(' | ')}`);
  const first = `${manifest.publisher}.${manifest.name}#${walkthrough.id}#${walkthrough.steps[0].id}`;
  // the context key that completes the step is set by the extension, and the page re-renders after it: wait for it
  // (one CI run read the page before; the tick came later)
  let ticked;
  for (const deadline = Date.now() + 10_000; Date.now() < deadline; await new Promise((r) => setTimeout(r, 250))) {
    ticked = await page.evaluate((id) => document.querySelector(`[data-done-step-id="${CSS.escape(id)}"]`)?.getAttribute('aria-checked'), first);
    if (ticked === 'true') break;
  }
  if (ticked !== 'true') throw new Error(`"${walkthrough.steps[0].title}" is not ticked after 10 s (aria-checked=${ticked})`);
  return `"${walkthrough.title}" with ${walkthrough.steps.length} steps, "${walkthrough.steps[0].title}" ticked`;
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[test:vsix] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
