// npm run package: builds the VSIX with @vscode/vsce from a production build.
//
//   node scripts/package.mjs [--out FILE]
//
// The package is assembled in a staging folder (out/vsix-stage/), never in the working tree's dist/:
// 1. the project's own build script runs there with --production (minified, no source maps): it is
//    copied into the stage so that its root is the stage, and the stage's src/ links to the real src/;
// 2. the files .vscodeignore may let through are copied beside it;
// 3. vsce packages the stage. Dependencies are bundled by esbuild, so none are packed.
// So packaging neither replaces the development bundles other tools are using, nor races a concurrent
// `npm run build`. The VSIX lands in the repository root as <name>-<version>.vsix unless --out says otherwise.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const stage = path.join(root, 'out', 'vsix-stage');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

/** What the stage gets from the repository; .vscodeignore then picks what ships. */
const STAGED_FILES = ['package.json', '.vscodeignore', 'README.md', 'CHANGELOG.md', 'LICENSE'];
const STAGED_DIRS = ['syntaxes', 'snippets', 'walkthrough', 'media', 'schemas', 'examples'];
const REQUIRED_BUNDLES = ['dist/extension.js', 'dist/server.js', 'dist/server-main.js', 'dist/libpg-query.wasm', 'dist/libpg-query-15.js', 'dist/libpg-query-15.wasm', 'dist/libpg-query-16.js', 'dist/libpg-query-16.wasm'];

function parseArgs(argv) {
  const args = { out: path.join(root, `${manifest.name}-${manifest.version}.vsix`) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) args.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/package.mjs [--out FILE])`);
  }
  return args;
}

function prepareStage() {
  fs.rmSync(stage, { recursive: true, force: true });
  fs.mkdirSync(path.join(stage, 'scripts'), { recursive: true });
  for (const f of STAGED_FILES) {
    if (fs.existsSync(path.join(root, f))) fs.copyFileSync(path.join(root, f), path.join(stage, f));
  }
  for (const d of STAGED_DIRS) {
    if (fs.existsSync(path.join(root, d))) fs.cpSync(path.join(root, d), path.join(stage, d), { recursive: true });
  }
  fs.copyFileSync(path.join(root, 'scripts', 'build.mjs'), path.join(stage, 'scripts', 'build.mjs'));
  fs.symlinkSync(path.join(root, 'src'), path.join(stage, 'src'), 'dir');
}

function productionBuild() {
  execFileSync(process.execPath, [path.join(stage, 'scripts', 'build.mjs'), '--production'], {
    cwd: stage,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
  for (const file of REQUIRED_BUNDLES) {
    if (!fs.existsSync(path.join(stage, file))) {
      throw new Error(`${file} was not built: the VSIX needs it (is its source in src/ missing?)`);
    }
  }
  // Only what was just built goes in: the stage is fresh, so there are no stale source maps either.
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  prepareStage();
  productionBuild();
  fs.mkdirSync(path.dirname(out), { recursive: true });
  const { createVSIX } = require('@vscode/vsce');
  // dependencies: false — esbuild bundles every runtime dependency into dist/, so vsce must not add
  // node_modules (nor run `npm list`).
  await createVSIX({ cwd: stage, packagePath: out, dependencies: false });
  const size = fs.statSync(out).size;
  console.log(`VSIX: ${path.relative(process.cwd(), out) || out} (${(size / 1024 / 1024).toFixed(2)} MB)`);
}

main().catch((err) => {
  console.error(`package failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
