/**
 * `npm run bench`: every benchmark the issues ask for, in one table (figures and ratios). Each module
 * exports `run()` returning its figures; see docs/benchmarks.md for what they measure and how.
 */
import * as cli from './cli';
import * as completion from './completion';
import * as editor from './editor';
import * as explain from './explain';
import * as lint from './lint';
import * as lsp from './lsp';
import * as peers from './peers';
import * as rollup from './rollup';
import type { Figure } from './measure';

/** `named`: run only when asked for by name (the peers suite installs packages from npm). */
const SUITES: { id: string; title: string; run: () => Promise<Figure[]>; named?: boolean }[] = [
  { id: 'lint', title: 'lint (core analysis vs raw libpg-query parsing)', run: lint.run },
  { id: 'editor', title: 'editor (real language server, in-process)', run: editor.run },
  { id: 'explain', title: 'EXPLAIN (our code vs a bare pg query, embedded PostgreSQL)', run: explain.run },
  { id: 'rollup', title: 'generated rollups: full run vs a run after new rows (embedded PostgreSQL; Citus with CITUS_TEST_URL)', run: rollup.run },
  { id: 'completion', title: 'completion, signature help, go to definition (real language server over stdio)', run: completion.run },
  { id: 'lsp', title: 'language server (dist/server.js --stdio in its own process, driven over JSON-RPC)', run: lsp.run },
  { id: 'cli', title: 'CLI (whole processes: spawn to exit, interleaved with the floors)', run: cli.run },
  { id: 'peers', title: 'side by side with squawk and postgres-language-server (native, installed from npm into a cache folder)', run: peers.run, named: true },
];

/** `npm run bench` runs every suite but `peers`; `npm run bench -- lint editor` runs those only. */
async function main(): Promise<void> {
  if (process.env[lint.CHILD_ENV]) {
    // a child process of the lint suite: one measurement, as JSON
    process.stdout.write(JSON.stringify(await lint.measure()));
    return;
  }
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !SUITES.some((s) => s.id === w));
  if (unknown.length) {
    process.stderr.write(`unknown benchmark ${unknown.join(', ')}; the suites are ${SUITES.map((s) => s.id).join(', ')}\n`);
    process.exitCode = 2;
    return;
  }
  let failed = false;
  for (const suite of SUITES.filter((s) => (wanted.length === 0 && !s.named) || wanted.includes(s.id))) {
    process.stdout.write(`\n${suite.title}\n`);
    try {
      for (const f of await suite.run()) {
        process.stdout.write(`  ${f.name.padEnd(52)} ${String(f.value).padStart(10)} ${f.unit}${f.target ? `   (target ${f.target})` : ''}\n`);
      }
    } catch (e) {
      failed = true;
      process.stdout.write(`  failed: ${(e as Error).message}\n`);
    }
  }
  if (failed) process.exitCode = 1;
}

void main();
