/**
 * The floor of the CLI benchmarks: a process that does nothing but parse a file with libpg-query (load the
 * WebAssembly module, one parseSync of the whole text, nothing printed but the statement count). Bundled
 * like dist/ (scripts/build.mjs --bench), with the same deparse stub, so it loads what our CLI must load.
 */
import * as fs from 'node:fs';
import { loadModule, parseSync } from '@libpg-query/parser';

async function main(): Promise<void> {
  const text = fs.readFileSync(process.argv[2], 'utf8');
  await loadModule();
  const tree = parseSync(text) as { stmts?: unknown[] };
  process.stdout.write(`${tree.stmts?.length ?? 0}\n`);
}

void main();
