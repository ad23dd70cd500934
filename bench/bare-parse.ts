/**
 * The floor of the CLI benchmarks: a process that does nothing but parse a file with libpg-query (load the
 * WebAssembly module, one parseSync of the whole text, nothing printed but the statement count). Bundled like
 * dist/ (scripts/build.mjs --bench), with the same deparse stub, so it loads what our CLI must load, and with
 * the CLI's V8 settings (baseline WebAssembly compiler only, functions validated on first use, see
 * src/launch/v8Settings.ts): the cheapest a parse gets.
 * `--default-tiering` keeps V8's default instead (for comparison).
 */
import * as fs from 'node:fs';
import { useBaselineWasmCompiler, validateWasmLazily } from '../src/launch/v8Settings';

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  if (!args.includes('--default-tiering')) {
    useBaselineWasmCompiler();
    validateWasmLazily();
  }
  // required once the flag is set: requiring the package starts compiling its WebAssembly
  const { loadModule, parseSync } = require('@libpg-query/parser') as typeof import('@libpg-query/parser');
  const text = fs.readFileSync(args.filter((a) => !a.startsWith('--'))[0], 'utf8');
  await loadModule();
  const tree = parseSync(text) as { stmts?: unknown[] };
  process.stdout.write(`${tree.stmts?.length ?? 0}\n`);
}

void main();
