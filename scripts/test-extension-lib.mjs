// Shared by the extension-host runners: builds dist/ and bundles the mocha suite (test/extension/)
// into out/extension-tests/index.js, which both code-server's and a desktop VS Code's host load.
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const suiteDir = path.join(root, 'out', 'extension-tests');
export const suiteIndex = path.join(suiteDir, 'index.js');
export const fixtureWorkspace = path.join(root, 'test', 'fixtures', 'workspace');

/** What the code-server host is: vscode-host/package.json and its lockfile (committed). */
export const HOST_SPEC = path.join(root, 'vscode-host');

/**
 * Where code-server + Node 24 are installed: a per-user cache keyed by the host lockfile, so every clone of
 * the repository on a machine (a CI run's fresh clone included) shares one install of about 600 MB that
 * takes minutes to compile. CITUS_ROLLUPS_HOST_DIR overrides it. The runners install it when it is missing.
 */
export function hostDir() {
  if (process.env.CITUS_ROLLUPS_HOST_DIR) return path.resolve(process.env.CITUS_ROLLUPS_HOST_DIR);
  const lock = fs.readFileSync(path.join(HOST_SPEC, 'package-lock.json'));
  const id = createHash('sha256').update(lock).digest('hex').slice(0, 16);
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'citus-rollups', `vscode-host-${id}`);
}

/** The stamp written into an install folder once the install completed: the lockfile's hash. */
export function hostFingerprint() {
  return createHash('sha256').update(fs.readFileSync(path.join(HOST_SPEC, 'package-lock.json'))).digest('hex');
}

/** Copies the host's package.json and lockfile into the install folder (so `npm ci` can run there). */
export function prepareHostDir(dir) {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of ['package.json', 'package-lock.json']) fs.copyFileSync(path.join(HOST_SPEC, f), path.join(dir, f));
}

export async function buildAll() {
  const build = spawnSync(process.execPath, [path.join(root, 'scripts', 'build.mjs')], { cwd: root, stdio: 'inherit' });
  if (build.status !== 0) throw new Error('node scripts/build.mjs failed');
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: { index: 'test/extension/index.ts' },
    outdir: suiteDir,
    bundle: true,
    platform: 'node',
    target: 'node18',
    format: 'cjs',
    sourcemap: 'inline',
    // vscode comes from the host; mocha is loaded from the repository's node_modules.
    external: ['vscode', 'mocha'],
    logLevel: 'warning',
  });
}

/** A fresh copy of the fixture workspace (the suite edits documents; VS Code may save them). */
export function copyFixtureWorkspace(into) {
  const dest = path.join(into, 'workspace');
  fs.cpSync(fixtureWorkspace, dest, { recursive: true });
  return dest;
}
