/**
 * `lint --jobs` (src/cli/parallel.ts): how files are cut into pieces and shared between threads, how many threads
 * run, and a worker thread that fails: the same report from this thread, with a note. (The byte-for-byte comparison
 * with one thread, through dist/cli.js, is in test/cli/lint.test.ts.)
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { main } from '../../src/cli/main';
import { jobsOption, sharePieces, threadCount } from '../../src/cli/parallel';

const file = (name: string, size: number) => ({ path: name, source: name, text: 'x'.repeat(size) });

describe('lint --jobs: sharing the work between threads', () => {
  it('cuts a large file into ranges that cover it, and keeps small files whole', () => {
    const shares = sharePieces([file('big.sql', 300_000), file('a.sql', 1_000), file('b.sql', 2_000)], 3, 0);
    assert.equal(shares.length, 3);
    const pieces = shares.flat();
    const big = pieces.filter((p) => p.file === 0).sort((a, b) => a.range!.from - b.range!.from);
    assert.equal(big.length, 3, 'the large file in three ranges');
    assert.equal(big[0].range!.from, 0);
    for (let k = 1; k < big.length; k++) assert.equal(big[k].range!.from, big[k - 1].range!.to, 'ranges meet');
    assert.ok(big[big.length - 1].range!.to > 300_000, 'the last range takes every statement to the end');
    assert.deepEqual(pieces.filter((p) => p.file !== 0).map((p) => p.range), [undefined, undefined], 'small files whole');
    // the main thread, which starts ahead (the workers load first), takes more
    const ahead = sharePieces([file('a.sql', 100_000), file('b.sql', 100_000), file('c.sql', 100_000)], 2, 100_000);
    assert.deepEqual(ahead.map((ps) => ps.length), [2, 1]);
  });

  it('does not cut a file into ranges smaller than 16,000 characters, and starts no thread without work', () => {
    const shares = sharePieces([file('small.sql', 40_000)], 16, 0);
    assert.equal(shares.flat().length, 2);
    assert.equal(shares.length, 2);
  });

  it('runs one thread by default, N with --jobs N (at most 16), and with auto one per core for a large input only', () => {
    const count = (jobs: string | undefined, bytes: number, canSpawn = true) => threadCount(jobsOption(jobs), bytes, canSpawn);
    assert.equal(count(undefined, 10_000_000), 1);
    assert.equal(count('3', 10), 3);
    assert.equal(count('999', 10), 16);
    assert.equal(count('3', 10, false), 1, 'no worker script: one thread');
    assert.equal(count('auto', 1_000), 1);
    assert.ok(count('auto', 10_000_000) >= 1 && count('auto', 10_000_000) <= 4);
    assert.throws(() => count('0', 10), /--jobs must be a whole number from 1 to 999, or auto/);
    assert.throws(() => count('two', 10), /--jobs must be/);
  });

  it('analyses on this thread when a worker thread fails, and says so', async function () {
    this.timeout(60_000);
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-rollups-jobs-'));
    try {
      const broken = path.join(dir, 'broken-worker.js');
      fs.writeFileSync(broken, "throw new Error('this worker cannot start');\n");
      // two files, one for each thread
      fs.writeFileSync(path.join(dir, 'schema.sql'), "CREATE TABLE t (k int, v int);\nSELECT create_distributed_table('t', 'k');\n");
      for (const f of ['a.sql', 'b.sql']) fs.writeFileSync(path.join(dir, f), 'INSERT INTO t SELECT k, v FROM t LIMIT 1;\n'.repeat(2_000));
      const sql = dir;
      const run = async (jobs: string, workerScript?: string) => {
        let out = '';
        let err = '';
        const code = await main(['lint', '--jobs', jobs, '--format', 'json', sql], { stdout: (s) => (out += s), stderr: (s) => (err += s), workerScript });
        return { code, out, err };
      };
      const one = await run('1');
      const failed = await run('2', broken);
      assert.match(failed.err, /a worker thread failed \(this worker cannot start\): analysing on one thread/);
      assert.equal(failed.code, one.code);
      assert.equal(failed.out, one.out);
      assert.deepEqual((JSON.parse(one.out).files as { statements: unknown[] }[]).map((f) => f.statements.length), [2_000, 2_000, 2]);
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
