// Shared by the extension-host runners: builds dist/ and bundles the mocha suite (test/extension/)
// into out/extension-tests/index.js, which both code-server's and a desktop VS Code's host load.
import { spawnSync } from 'node:child_process';
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';

export const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
export const suiteDir = path.join(root, 'out', 'extension-tests');
export const suiteIndex = path.join(suiteDir, 'index.js');
export const fixtureWorkspace = path.join(root, 'test', 'fixtures', 'workspace');

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
