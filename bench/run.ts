/**
 * `npm run bench`: every benchmark the issues ask for, in one table (figures and ratios). Each module
 * exports `run()` returning its figures; see docs/benchmarks.md for what they measure and how.
 */
import * as editor from './editor';
import * as explain from './explain';
import * as lint from './lint';

interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const SUITES: { title: string; run: () => Promise<Figure[]> }[] = [
  { title: 'lint (core analysis vs raw libpg-query parsing)', run: lint.run },
  { title: 'editor (real language server, in-process)', run: editor.run },
  { title: 'EXPLAIN (our code vs a bare pg query, embedded PostgreSQL)', run: explain.run },
];

async function main(): Promise<void> {
  let failed = false;
  for (const suite of SUITES) {
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
