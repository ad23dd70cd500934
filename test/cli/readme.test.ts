/**
 * The README's command lines work as written: every `npx citus-rollups ...` line of its code blocks (the CI
 * recipes, the pre-commit entry with a staged file appended) runs against a project whose `sql/` folder holds
 * the example workspace, through the bundled dist/cli.js, and writes what the recipe expects.
 */
import { strict as assert } from 'node:assert';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { XMLValidator } from 'fast-xml-parser';

const ROOT = path.join(__dirname, '..', '..');
const CLI = path.join(ROOT, 'dist', 'cli.js');

/** Command lines of the README's code blocks (fenced or indented) that run the CLI. */
export function readmeCommands(readme: string): string[] {
  const out: string[] = [];
  let fenced = false;
  for (const raw of readme.split('\n')) {
    if (/^\s*```/.test(raw)) {
      fenced = !fenced;
      continue;
    }
    if (!fenced && !/^ {4}/.test(raw)) continue;
    const m = /(?:^|\s|run: |entry: )(npx citus-rollups\b.*)$/.exec(raw.trim());
    if (m) out.push(m[1].replace(/\s+#.*$/, '').trim());
  }
  return out;
}

/** `npx citus-rollups ARGS [< FILE] [|| ...]` -> its arguments, stdin file and whether a failure is tolerated. */
function parse(command: string): { args: string[]; stdin?: string; tolerated: boolean } {
  const [main, ...orElse] = command.split(' || ');
  const [cmd, stdin] = main.split(' < ');
  const words = cmd.trim().split(/\s+/).slice(2); // drop "npx citus-rollups"
  return { args: words, stdin: stdin?.trim(), tolerated: orElse.length > 0 };
}

describe('README command lines', function () {
  this.timeout(60000);
  const commands = readmeCommands(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'));
  let project = '';

  before(() => {
    if (!fs.existsSync(CLI)) throw new Error('dist/cli.js is missing: run `npm run build` (npm test does)');
    project = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-readme-'));
    fs.cpSync(path.join(ROOT, 'examples'), path.join(project, 'sql'), { recursive: true });
    // the project config at the project root, as the README's CI section says
    fs.renameSync(path.join(project, 'sql', 'citus-rollups.json'), path.join(project, 'citus-rollups.json'));
    fs.writeFileSync(path.join(project, 'citus-rollups.json'), fs.readFileSync(path.join(project, 'citus-rollups.json'), 'utf8').replace('../schemas/', './node_modules/citus-rollups/schemas/'));
  });
  after(() => {
    if (project) fs.rmSync(project, { recursive: true, force: true });
  });

  it('has the CI recipes to run (GitHub annotations and SARIF, GitLab, pre-commit, stdin)', () => {
    const formats = commands.map((c) => /--format (\w+)/.exec(c)?.[1]);
    for (const f of ['github', 'sarif', 'gitlab', 'junit']) assert.ok(formats.includes(f), `a README command uses --format ${f}`);
    assert.ok(commands.some((c) => c.includes('--stdin')));
    assert.ok(commands.includes('npx citus-rollups lint'), 'the pre-commit entry');
  });

  for (const command of readmeCommands(fs.readFileSync(path.join(ROOT, 'README.md'), 'utf8'))) {
    it(command, () => {
      const { args, stdin, tolerated } = parse(command);
      // pre-commit appends the staged files to the entry
      const argv = args.length === 1 && args[0] === 'lint' ? ['lint', 'sql/rollups.sql'] : args;
      const r = spawnSync(process.execPath, [CLI, ...argv], {
        cwd: project,
        encoding: 'utf8',
        input: stdin ? fs.readFileSync(path.join(project, stdin)) : undefined,
      });
      assert.ok(r.status === 0 || r.status === 1, `exit ${r.status}: ${r.stderr}`);
      if (tolerated) assert.equal(r.status, 1, 'the examples hold an error finding: the recipe must keep going past exit 1');
      const output = argv.indexOf('-o') >= 0 ? fs.readFileSync(path.join(project, argv[argv.indexOf('-o') + 1]), 'utf8') : r.stdout;
      const format = /--format (\w+)/.exec(argv.join(' '))?.[1] ?? 'text';
      if (format === 'sarif') assert.equal(JSON.parse(output).version, '2.1.0');
      else if (format === 'gitlab') assert.ok(Array.isArray(JSON.parse(output)) && JSON.parse(output).length > 0);
      else if (format === 'junit') assert.equal(XMLValidator.validate(output), true);
      else if (format === 'github') assert.match(output, /^::(error|warning|notice) title=/m);
      else assert.match(output, /^\d+ file\(s\): /m);
      assert.equal(r.stderr, '', 'no warnings or notes: the config is valid and Citus 13');
    });
  }
});
