// Bundles the CLI, the language server and the extension into dist/ with esbuild, and copies the
// libpg-query WebAssembly module beside them (the bundle cannot parse without it).
import * as esbuild from 'esbuild';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const root = path.resolve(path.dirname(new URL(import.meta.url).pathname), '..');
const pkg = JSON.parse(fs.readFileSync(path.join(root, 'package.json'), 'utf8'));
const watch = process.argv.includes('--watch');
const bench = process.argv.includes('--bench');
const production = process.argv.includes('--production');

/**
 * The entry points: bundle name -> source. Entries whose source does not exist yet are skipped. dist/cli.js and
 * dist/server.js are small launchers that run the big bundles (cli-main, server-main) with V8's code cache
 * (src/launch/codeCache.ts).
 */
const ENTRIES = {
  cli: 'src/launch/cli.ts',
  'cli-main': 'src/cli/main.ts',
  server: 'src/launch/server.ts',
  'server-main': 'src/server/main.ts',
  extension: 'src/client/extension.ts',
};

/**
 * @libpg-query/parser loads a 5 MB protobuf module for deparsing, which we never use: replace it with
 * a module that fails loudly if deparse is ever called.
 */
const noDeparse = {
  name: 'no-deparse',
  setup(build) {
    build.onResolve({ filter: /proto\.js$/ }, (args) =>
      args.importer.includes(`${path.sep}@libpg-query${path.sep}parser${path.sep}`) ? { path: 'proto-stub', namespace: 'no-deparse' } : undefined,
    );
    build.onLoad({ filter: /.*/, namespace: 'no-deparse' }, () => ({
      contents: "module.exports = new Proxy({}, { get() { throw new Error('deparse is not bundled in citus-rollups'); } });",
      loader: 'js',
    }));
  },
};

/** jsonc-parser's UMD build (its "main") requires its parts in a way esbuild cannot follow: bundle its ESM build. */
const jsoncEsm = {
  name: 'jsonc-esm',
  setup(build) {
    build.onResolve({ filter: /^jsonc-parser$/ }, () => ({ path: path.join(path.dirname(require.resolve('jsonc-parser/package.json')), 'lib', 'esm', 'main.js') }));
  },
};

/**
 * The grammars of PostgreSQL 15 and 16 (libpg-query's builds, installed as libpg-query-15 and libpg-query-16; see
 * src/core/parse/libpg.ts), needed only by projects that declare such a version. Each is its own bundle,
 * dist/libpg-query-<major>.js, which the CLI and server bundles require at run time (not bundled into them: they
 * would load 220 kB more at every start). Each loader looks for "libpg-query.wasm" beside it, which is PostgreSQL
 * 17's: it is pointed at its own copy, dist/libpg-query-<major>.wasm.
 */
const OLDER_GRAMMARS = [15, 16];
const olderGrammars = {
  name: 'older-grammars',
  setup(build) {
    build.onResolve({ filter: /^libpg-query-1[56]$/ }, (args) => ({ path: `./${args.path}.js`, external: true }));
    build.onLoad({ filter: /libpg-query-1[56][\\/]wasm[\\/]libpg-query\.js$/ }, (args) => {
      const major = /libpg-query-(1[56])/.exec(args.path)[1];
      const source = fs.readFileSync(args.path, 'utf8');
      const renamed = source.replace('locateFile("libpg-query.wasm")', `locateFile("libpg-query-${major}.wasm")`);
      if (renamed === source) throw new Error(`libpg-query-${major}: its loader no longer names libpg-query.wasm as expected`);
      return { contents: renamed, loader: 'js' };
    });
  },
};

/**
 * The parser's loader instantiates the module the launchers compiled while the bundle loaded, when there is one
 * (src/launch/parserPreload.ts): its Emscripten factory is given `globalThis.__citusRollupsParserModule`, whose
 * `instantiateWasm` hook does that (undefined gives the factory its default, and the loader reads the file itself).
 */
const parserPreload = {
  name: 'parser-preload',
  setup(build) {
    build.onLoad({ filter: /@libpg-query[\\/]parser[\\/]wasm[\\/]index\.cjs$/ }, (args) => {
      const source = fs.readFileSync(args.path, 'utf8');
      const call = '(0, libpg_query_js_1.default)()';
      if (source.split(call).length !== 2) throw new Error('@libpg-query/parser: its loader no longer calls its Emscripten factory as expected');
      return { contents: source.replace(call, '(0, libpg_query_js_1.default)(globalThis.__citusRollupsParserModule)'), loader: 'js' };
    });
  },
};

/**
 * Node.js built-ins that two dependencies require at load and use only in paths we never take at start-up (a random
 * pipe name for a named-pipe transport; `npm root -g` to resolve global modules): required on first use instead,
 * which keeps their load (about 3 ms) out of every start of the language server and the CLI.
 */
const LAZY_BUILTINS = [
  { file: /vscode-jsonrpc[\\/]lib[\\/]node[\\/]main\.js$/, module: 'crypto' },
  { file: /vscode-languageserver[\\/]lib[\\/]node[\\/]files\.js$/, module: 'child_process' },
];
const lazyBuiltins = {
  name: 'lazy-builtins',
  setup(build) {
    for (const { file, module } of LAZY_BUILTINS) {
      build.onLoad({ filter: file }, (args) => {
        const source = fs.readFileSync(args.path, 'utf8');
        const call = `require("${module}")`;
        if (source.split(call).length !== 2) throw new Error(`${args.path}: no longer requires ${module} once, as expected`);
        return { contents: source.replace(call, `new Proxy({}, { get: (_, key) => require("${module}")[key] })`), loader: 'js' };
      });
    }
  },
};

const wasmSource = path.join(path.dirname(require.resolve('@libpg-query/parser')), 'libpg-query.wasm');
const wasmFiles = [
  [wasmSource, 'libpg-query.wasm'],
  ...OLDER_GRAMMARS.map((major) => [path.join(path.dirname(require.resolve(`libpg-query-${major}`)), 'libpg-query.wasm'), `libpg-query-${major}.wasm`]),
];

function copyWasm(dir = 'dist') {
  fs.mkdirSync(path.join(root, dir), { recursive: true });
  for (const [source, name] of wasmFiles) {
    if (!fs.existsSync(source)) throw new Error(`${name}: not found at ${source}`);
    fs.copyFileSync(source, path.join(root, dir, name));
  }
}

const entryPoints = {
  ...Object.fromEntries(Object.entries(ENTRIES).filter(([, src]) => fs.existsSync(path.join(root, src)))),
  ...Object.fromEntries(OLDER_GRAMMARS.map((major) => [`libpg-query-${major}`, path.relative(root, require.resolve(`libpg-query-${major}`))])),
};

const options = {
  absWorkingDir: root,
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node18',
  format: 'cjs',
  sourcemap: production ? false : 'linked',
  minify: production,
  external: ['vscode', 'pg-native'],
  define: { __VERSION__: JSON.stringify(pkg.version) },
  plugins: [noDeparse, jsoncEsm, olderGrammars, parserPreload, lazyBuiltins],
  logLevel: 'info',
  legalComments: 'none',
};

copyWasm();
if (bench) {
  // The benchmarks measure our code as the product ships it (bundled for node18, like dist/), not as a
  // TypeScript loader transforms it on the fly. Packages stay external: they are measured as installed.
  await esbuild.build({
    absWorkingDir: root,
    entryPoints: ['bench/run.ts'],
    outfile: 'out/bench.js',
    bundle: true,
    platform: 'node',
    target: options.target,
    format: 'cjs',
    sourcemap: 'linked',
    packages: 'external',
    define: options.define,
    logLevel: 'warning',
  });
  // the CLI benchmarks' floor: a process that only parses (bench/bare-parse.ts), bundled like dist/ with the
  // same deparse stub, beside its own copy of the WebAssembly module
  await esbuild.build({ ...options, entryPoints: ['bench/bare-parse.ts'], outdir: undefined, outfile: 'out/bare-parse.js', sourcemap: false, logLevel: 'warning' });
  copyWasm('out');
} else if (watch) {
  const ctx = await esbuild.context(options);
  await ctx.watch();
} else {
  await esbuild.build(options);
  const cli = path.join(root, 'dist', 'cli.js');
  if (fs.existsSync(cli)) {
    const body = fs.readFileSync(cli, 'utf8');
    if (!body.startsWith('#!')) fs.writeFileSync(cli, '#!/usr/bin/env node\n' + body);
    fs.chmodSync(cli, 0o755);
  }
}
