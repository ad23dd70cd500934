// `node scripts/screenshots.mjs --url postgres://user@coordinator:port/db [--readme]`: the README's screenshots
// (and a few more to look at), taken from the real workbench with the packaged VSIX installed.
//
// It installs the VSIX into code-server (as scripts/test-vsix.mjs does), opens a copy of examples/ with a
// connection profile for --url, and runs test/vsix-smoke/screenshots/index.js in the extension host: that suite
// sets up each scene (a hover, the EXPLAIN panel, the wizard...) and asks for a shot by printing
// `citus-rollups: shot <name> <what>`; this script takes it and answers through a file. Every shot goes to
// out/screenshots/; with --readme, the README's (explain, hover, wizard) are also written to docs/images/.
//
// The database at --url must hold the example tables (examples/schema.sql) except daily_language_views, which
// is left out on purpose: the panel's "not deployed" note is one of the scenes. Nothing is written to it.
import * as fs from 'node:fs';
import * as path from 'node:path';

import { root } from './test-extension-lib.mjs';
import { checkHost, DEFAULT_VSIX, ensureVsix, hostEnv, installVsix, launchBrowser, makeProfile, startCodeServer, workbenchUrl } from './vsix-host-lib.mjs';

const README_SHOTS = ['explain', 'hover', 'wizard'];
const OUT = path.join(root, 'out', 'screenshots');
const DOCS_IMAGES = path.join(root, 'docs', 'images');
const WATCHDOG_MS = 300_000;
const log = (m) => process.stdout.write(`[screenshots] ${m}\n`);

function parseArgs(argv) {
  const args = { url: undefined, readme: false, vsix: DEFAULT_VSIX, explicit: false };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--url' && argv[i + 1]) args.url = argv[++i];
    else if (argv[i] === '--readme') args.readme = true;
    else if (argv[i] === '--vsix' && argv[i + 1]) Object.assign(args, { vsix: path.resolve(argv[++i]), explicit: true });
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/screenshots.mjs --url postgres://... [--readme] [--vsix FILE])`);
  }
  if (!args.url) throw new Error('--url postgres://user@coordinator:port/db is required (a Citus database with the example tables)');
  return args;
}

/** The screen region of a shot: the whole page, or an element's box with a margin. */
async function regionOf(page, what) {
  if (what === 'page') return undefined;
  const viewport = page.viewportSize();
  const boxes = await page.evaluate((selector) => [...document.querySelectorAll(selector)].map((e) => e.getBoundingClientRect()).filter((r) => r.width > 0 && r.height > 0).map((r) => ({ x: r.x, y: r.y, width: r.width, height: r.height })), what);
  if (!boxes.length) throw new Error(`nothing matches ${what}`);
  const b = boxes[boxes.length - 1];
  const m = what.includes('.part') ? 0 : 24;
  const x = Math.max(0, b.x - m);
  const y = Math.max(0, b.y - m);
  return { x, y, width: Math.min(viewport.width - x, b.width + 2 * m), height: Math.min(viewport.height - y, b.height + 2 * m) };
}

async function main() {
  const args = parseArgs(process.argv.slice(2));
  ensureVsix(args.vsix, args.explicit, log);
  checkHost();
  const { tmp, dirs } = makeProfile('citus-shots-', ['suite', 'workspace', 'signals']);
  const env = hostEnv(dirs);
  for (const f of fs.readdirSync(path.join(root, 'examples'))) fs.copyFileSync(path.join(root, 'examples', f), path.join(dirs.workspace, f));
  fs.mkdirSync(path.join(dirs.workspace, '.vscode'));
  fs.writeFileSync(path.join(dirs.workspace, '.vscode', 'settings.json'), JSON.stringify({ 'citusRollups.connections': [{ name: 'examples', uri: args.url }] }, null, 2));
  fs.copyFileSync(path.join(root, 'test', 'vsix-smoke', 'screenshots', 'index.js'), path.join(dirs.suite, 'index.js'));
  fs.writeFileSync(path.join(dirs.suite, 'config.json'), JSON.stringify({ signals: dirs.signals }));
  fs.mkdirSync(OUT, { recursive: true });

  let server;
  let browser;
  try {
    log(`installed ${installVsix(args.vsix, dirs, env)}`);
    const requests = [];
    let wake;
    server = await startCodeServer(dirs, env, (line) => {
      const m = /citus-rollups: (shot|click|resize) (\S+) (.+)$/.exec(line);
      if (m) {
        requests.push({ kind: m[1], name: m[2], what: m[3].trim() });
        wake?.();
      }
      const note = line.indexOf('[screenshots]');
      if (note >= 0) process.stdout.write(`${line.slice(note)}\n`);
    });
    browser = await launchBrowser(env);
    const page = await browser.newPage({ viewport: { width: 1280, height: 760 } });
    let exitCode;
    await page.exposeFunction('codeAutomationExit', (code) => {
      exitCode = Number(code);
      wake?.();
    });
    await page.goto(workbenchUrl(server.port, dirs.workspace, path.join(dirs.suite, 'index.js')));
    const deadline = Date.now() + WATCHDOG_MS;
    while (exitCode === undefined && Date.now() < deadline) {
      const r = requests.shift();
      if (!r) {
        await new Promise((resolve) => {
          wake = resolve;
          setTimeout(resolve, 1000);
        });
        continue;
      }
      let answer = 'ok';
      try {
        if (r.kind === 'resize') {
          // `resize <name> <width>x<height>`: a taller editor lets a hover show more lines
          const [width, height] = r.what.split('x').map(Number);
          await page.setViewportSize({ width, height });
        } else if (r.kind === 'click') {
          // `click <name> <text>`: a link with that text in the hover
          await page.locator('.monaco-hover a').filter({ hasText: r.what }).first().click();
        } else {
          const file = path.join(OUT, `${r.name}.png`);
          await page.screenshot({ path: file, clip: await regionOf(page, r.what) });
          log(`${path.relative(root, file)} (${Math.round(fs.statSync(file).size / 1024)} KB)`);
          if (args.readme && README_SHOTS.includes(r.name)) fs.copyFileSync(file, path.join(DOCS_IMAGES, `${r.name}.png`));
        }
      } catch (e) {
        answer = `failed: ${e instanceof Error ? e.message : String(e)}`;
        log(`${r.kind} ${r.name}: ${answer}`);
      }
      // written whole, then renamed: the suite never reads a half-written answer
      fs.writeFileSync(path.join(dirs.signals, `${r.name}.tmp`), answer);
      fs.renameSync(path.join(dirs.signals, `${r.name}.tmp`), path.join(dirs.signals, `${r.name}.done`));
    }
    if (exitCode === undefined) throw new Error(`no result after ${WATCHDOG_MS / 1000} s`);
    log(`scenes finished with exit code ${exitCode}`);
    return exitCode;
  } finally {
    await browser?.close().catch(() => undefined);
    server?.stop();
    fs.rmSync(tmp, { recursive: true, force: true });
  }
}

main().then(
  (code) => process.exit(code),
  (e) => {
    console.error(`[screenshots] ${e instanceof Error ? e.message : String(e)}`);
    process.exit(1);
  },
);
