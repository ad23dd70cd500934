// npm run package: builds the VSIX with @vscode/vsce from a production build.
//
//   node scripts/package.mjs [--out FILE]
//
// 1. production bundles (minified, no source maps) into dist/;
// 2. vsce packages what .vscodeignore lets through (dependencies are bundled, so none are packed);
// 3. the development build (with source maps) is written back to dist/, so tests and debugging that
//    run after packaging keep their source maps.
// The VSIX lands in the repository root as citus-rollups-<version>.vsix unless --out says otherwise.
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const manifest = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));

function parseArgs(argv) {
  const args = { out: path.join(root, `${manifest.name}-${manifest.version}.vsix`) };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--out' && argv[i + 1]) args.out = path.resolve(argv[++i]);
    else throw new Error(`unknown argument ${argv[i]} (usage: node scripts/package.mjs [--out FILE])`);
  }
  return args;
}

function build(production) {
  execFileSync(process.execPath, [path.join(root, 'scripts', 'build.mjs'), ...(production ? ['--production'] : [])], {
    cwd: root,
    stdio: ['ignore', 'inherit', 'inherit'],
  });
}

async function main() {
  const { out } = parseArgs(process.argv.slice(2));
  build(true);
  try {
    for (const file of ['dist/extension.js', 'dist/server.js', 'dist/libpg-query.wasm']) {
      if (!fs.existsSync(path.join(root, file))) {
        throw new Error(`${file} was not built: the VSIX needs it (is its source in src/ missing?)`);
      }
    }
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const { createVSIX } = require('@vscode/vsce');
    // dependencies: false — esbuild bundles every runtime dependency into dist/, so vsce must not
    // add node_modules (nor run `npm list`, which fails on an unrelated extraneous package).
    await createVSIX({ cwd: root, packagePath: out, dependencies: false });
  } finally {
    build(false);
  }
  const size = fs.statSync(out).size;
  console.log(`VSIX: ${path.relative(process.cwd(), out) || out} (${(size / 1024 / 1024).toFixed(2)} MB)`);
}

main().catch((err) => {
  console.error(`package failed: ${err instanceof Error ? err.message : String(err)}`);
  process.exit(1);
});
