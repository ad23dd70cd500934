/**
 * The parser's WebAssembly compiled while the bundle loads (src/launch/parserPreload.ts, and the build's patch of
 * @libpg-query/parser's loader in scripts/build.mjs): the bundle's parser instantiates the module the launcher
 * compiled, and a missing or damaged libpg-query.wasm is reported (exit 2, a message), never a hang.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { ensureServerBundle } from '../lsp/build';

const DIST = path.join(__dirname, '..', '..', 'dist');
const PRELOAD = path.join(__dirname, '..', '..', 'src', 'launch', 'parserPreload.ts');

/**
 * Runs the CLI bundle in `dir` on `file` in a fresh process, as dist/cli.js would, but with the early compile first
 * (when `early`) and the hook counted. Returns the exit code, the output and how often the loader used the hook.
 */
function lint(dir: string, file: string, early: boolean): { status: number | null; stdout: string; stderr: string; hookCalls: number } {
  const script = `
    let calls = 0;
    if (${early}) {
      require(${JSON.stringify(PRELOAD)}).compileParserEarly(${JSON.stringify(dir)});
      const hook = globalThis.__citusRollupsParserModule;
      if (hook) { const inner = hook.instantiateWasm; hook.instantiateWasm = (i, r) => (calls++, inner(i, r)); }
    }
    process.argv = [process.execPath, 'citus-rollups', 'lint', ${JSON.stringify(file)}, '--format', 'json'];
    require(${JSON.stringify(path.join(dir, 'cli-main.js'))}).runFromCommandLine().then(() => process.stderr.write('HOOK ' + calls + '\\n'));`;
  const r = spawnSync(process.execPath, ['--require', 'tsx/cjs', '-e', script], { encoding: 'utf8', timeout: 30000, env: { ...process.env, CITUS_ROLLUPS_NO_CODE_CACHE: '1' } });
  const hook = /HOOK (\d+)/.exec(r.stderr);
  return { status: r.status, stdout: r.stdout, stderr: r.stderr, hookCalls: hook ? Number(hook[1]) : NaN };
}

describe('parser compiled while the bundle loads', function () {
  this.timeout(60000);
  let tmp: string;
  let file: string;

  before(() => ensureServerBundle());
  beforeEach(() => {
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-parser-preload-'));
    file = path.join(tmp, 'q.sql');
    fs.writeFileSync(file, 'SELECT 1;\nSELECT FROM WHERE;\n');
  });
  afterEach(() => fs.rmSync(tmp, { recursive: true, force: true }));

  /** A copy of the CLI bundle, with `wasm` as its libpg-query.wasm (none when undefined). */
  const install = (wasm: Buffer | string | undefined): string => {
    const dir = path.join(tmp, 'dist');
    fs.mkdirSync(dir);
    fs.copyFileSync(path.join(DIST, 'cli-main.js'), path.join(dir, 'cli-main.js'));
    if (wasm !== undefined) fs.writeFileSync(path.join(dir, 'libpg-query.wasm'), wasm);
    return dir;
  };

  it('parses with the module the launcher compiled', () => {
    const r = lint(DIST, file, true);
    assert.equal(r.hookCalls, 1, r.stderr);
    const report = JSON.parse(r.stdout) as { files: { diagnostics: { rule: string; message: string }[] }[] };
    const found = report.files.flatMap((f) => f.diagnostics.map((x) => `${x.rule}: ${x.message}`));
    assert.deepEqual(found, ['syntax-error: syntax error at or near "WHERE"'], r.stdout);
    assert.equal(r.status, 1, r.stderr);
  });

  it('parses the same without it (the loader reads the file itself)', () => {
    const r = lint(DIST, file, false);
    assert.equal(r.hookCalls, 0, r.stderr);
    assert.match(r.stdout, /"syntax-error"/);
  });

  for (const [what, wasm] of [
    ['damaged', 'not a WebAssembly module'],
    ['missing', undefined],
  ] as const) {
    for (const early of [true, false]) {
      it(`says the parser did not load when libpg-query.wasm is ${what}${early ? ', compiled early' : ''}: exit 2, no hang`, () => {
        const r = lint(install(wasm === undefined ? undefined : Buffer.from(wasm)), file, early);
        assert.equal(r.status, 2, r.stderr);
        assert.match(r.stderr, /citus-rollups: the SQL parser \(libpg-query\.wasm\) did not load: .*(magic word|ENOENT).*; reinstalling citus-rollups restores it/);
        assert.doesNotMatch(r.stderr, /internal error/);
      });
    }
  }
});
