/**
 * The CI report formats, each checked against what its consumer reads:
 * - github: the lines GitHub's own toolkit (@actions/core) writes for the same annotations;
 * - gitlab: the Code Quality report format of GitLab's documentation, as a JSON schema (below);
 * - junit: well-formed XML with the elements and attributes of the JUnit example in GitLab's documentation;
 * and the exit status is the same for every format.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import Ajv from 'ajv';
import { XMLParser, XMLValidator } from 'fast-xml-parser';
import { main } from '../../src/cli/main';
import { ruleDocUrl } from '../../src/core/rules/rule';
import { FORMATS } from '../../src/cli/reporters';

const EXAMPLES = path.join(__dirname, '..', '..', 'examples');

async function run(args: string[], cwd?: string): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const previous = process.cwd();
  if (cwd) process.chdir(cwd);
  try {
    const code = await main(args, { stdout: (s) => (out += s), stderr: (s) => (err += s) });
    return { code, out, err };
  } finally {
    process.chdir(previous);
  }
}

interface JsonDiagnostic {
  rule: string;
  severity: string;
  message: string;
  range: { start: { line: number; character: number }; end: { line: number; character: number } };
}
interface JsonReport {
  files: Array<{ path: string; diagnostics: JsonDiagnostic[] }>;
}

/**
 * GitLab's Code Quality report: "an array of objects" with the required fields description, check_name,
 * fingerprint, severity (info, minor, major, critical, blocker), location.path and location.lines.begin (or
 * location.positions.begin.line). Written from https://docs.gitlab.com/ci/testing/code_quality/#code-quality-report-format
 * (GitLab publishes no schema file for it).
 */
const GITLAB_CODE_QUALITY_SCHEMA = {
  type: 'array',
  items: {
    type: 'object',
    required: ['description', 'check_name', 'fingerprint', 'severity', 'location'],
    properties: {
      description: { type: 'string', minLength: 1 },
      check_name: { type: 'string', minLength: 1 },
      fingerprint: { type: 'string', minLength: 1 },
      severity: { enum: ['info', 'minor', 'major', 'critical', 'blocker'] },
      location: {
        type: 'object',
        required: ['path'],
        properties: {
          path: { type: 'string', minLength: 1, not: { pattern: '^(/|\\./)' } },
          lines: { type: 'object', required: ['begin'], properties: { begin: { type: 'integer', minimum: 1 }, end: { type: 'integer', minimum: 1 } } },
          positions: { type: 'object', required: ['begin'], properties: { begin: { type: 'object', required: ['line'], properties: { line: { type: 'integer', minimum: 1 } } } } },
        },
        anyOf: [{ required: ['lines'] }, { required: ['positions'] }],
      },
    },
  },
};

describe('lint report formats for CI', function () {
  this.timeout(30000);
  let expected: JsonReport;
  let tmp = '';

  before(async () => {
    const r = await run(['lint', '--format', 'json', 'examples'], path.join(EXAMPLES, '..'));
    expected = JSON.parse(r.out) as JsonReport;
    tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'cr-formats-'));
    // a finding whose message holds characters every format must escape: < & " , : % and a newline in the name
    fs.writeFileSync(path.join(tmp, 'odd, name: 100%.sql'), 'SELECT * FROM "a<b&c"",%:d";\nSELECT * FROM "x\ny";\n');
  });
  after(() => {
    if (tmp) fs.rmSync(tmp, { recursive: true, force: true });
  });

  it('keeps the exit status of every format: 1 when an error-severity finding exists, 0 otherwise, 2 on usage errors', async () => {
    for (const format of FORMATS) {
      assert.equal((await run(['lint', '--format', format, 'examples'], path.join(EXAMPLES, '..'))).code, 1, format);
      assert.equal((await run(['lint', '--format', format, '--rule', 'dist-column-missing=warning', 'examples'], path.join(EXAMPLES, '..'))).code, 0, format);
    }
    const bad = await run(['lint', '--format', 'checkstyle', 'examples'], path.join(EXAMPLES, '..'));
    assert.equal(bad.code, 2);
    assert.match(bad.err, /--format must be one of text, json, sarif, github, gitlab, junit \(got 'checkstyle'\)/);
  });

  it('github: writes exactly the workflow commands @actions/core writes for the same annotations', async () => {
    const moduleName = '@actions/core'; // ESM: loaded at run time
    const core = (await import(moduleName)) as typeof import('@actions/core');
    for (const cwd of [path.join(EXAMPLES, '..'), tmp]) {
      const target = cwd === tmp ? '.' : 'examples';
      const ours = (await run(['lint', '--format', 'github', target], cwd)).out.trimEnd().split('\n');
      const report = JSON.parse((await run(['lint', '--format', 'json', target], cwd)).out) as JsonReport;
      const theirs: string[] = [];
      const write = process.stdout.write.bind(process.stdout);
      process.stdout.write = ((chunk: string) => {
        theirs.push(String(chunk).replace(/\r?\n$/, ''));
        return true;
      }) as typeof process.stdout.write;
      try {
        for (const f of report.files) {
          for (const d of f.diagnostics) {
            const props = {
              title: `${d.rule} (citus-rollups)`,
              file: f.path,
              startLine: d.range.start.line + 1,
              endLine: d.range.end.line + 1,
              startColumn: d.range.start.character + 1,
              endColumn: d.range.end.character + 1,
            };
            const message = `${d.message}\n${ruleDocUrl(d.rule)}`;
            if (d.severity === 'error') core.error(message, props);
            else if (d.severity === 'warning') core.warning(message, props);
            else core.notice(message, props);
          }
        }
      } finally {
        process.stdout.write = write;
      }
      assert.ok(theirs.length > 0);
      assert.deepEqual(ours.slice(0, -1), theirs);
      assert.match(ours.at(-1) ?? '', /^\d+ file\(s\): \d+ error\(s\)/, 'a plain summary line closes the log');
    }
  });

  it('gitlab: a Code Quality report as GitLab documents it, one issue per finding, stable distinct fingerprints', async () => {
    const validate = new Ajv({ allErrors: true }).compile(GITLAB_CODE_QUALITY_SCHEMA);
    for (const cwd of [path.join(EXAMPLES, '..'), tmp]) {
      const target = cwd === tmp ? '.' : 'examples';
      const first = (await run(['lint', '--format', 'gitlab', target], cwd)).out;
      const issues = JSON.parse(first) as Array<{ check_name: string; fingerprint: string; severity: string; location: { path: string; lines: { begin: number } } }>;
      assert.ok(validate(issues), JSON.stringify(validate.errors));
      const report = JSON.parse((await run(['lint', '--format', 'json', target], cwd)).out) as JsonReport;
      const findings = report.files.flatMap((f) => f.diagnostics.map((d) => ({ path: f.path, d })));
      assert.equal(issues.length, findings.length);
      issues.forEach((issue, i) => {
        assert.equal(issue.check_name, findings[i].d.rule);
        assert.equal(issue.location.path, findings[i].path);
        assert.equal(issue.location.lines.begin, findings[i].d.range.start.line + 1);
        assert.equal(issue.severity, { error: 'major', warning: 'minor', information: 'info', hint: 'info' }[findings[i].d.severity]);
      });
      assert.equal(new Set(issues.map((x) => x.fingerprint)).size, issues.length, 'fingerprints are distinct');
      assert.equal((await run(['lint', '--format', 'gitlab', target], cwd)).out, first, 'and the same on the next run');
    }
  });

  it('gitlab: a finding keeps its fingerprint when lines are added above it', async () => {
    const file = path.join(tmp, 'moved.sql');
    fs.writeFileSync(file, 'SELECT * FROM nowhere;\n');
    const before = JSON.parse((await run(['lint', '--format', 'gitlab', file])).out) as Array<{ fingerprint: string; location: { lines: { begin: number } } }>;
    fs.writeFileSync(file, '-- a comment\n\nSELECT 1;\nSELECT * FROM nowhere;\n');
    const after = JSON.parse((await run(['lint', '--format', 'gitlab', file])).out) as typeof before;
    fs.rmSync(file);
    assert.equal(after[0].location.lines.begin, 4);
    assert.equal(after[0].fingerprint, before[0].fingerprint);
  });

  it('junit: well-formed XML with testsuites > testsuite > testcase > failure, counts that add up, text escaped', async () => {
    const parser = new XMLParser({ ignoreAttributes: false, attributeNamePrefix: '', htmlEntities: true, isArray: (name) => ['testsuite', 'testcase', 'failure'].includes(name) });
    for (const cwd of [path.join(EXAMPLES, '..'), tmp]) {
      const target = cwd === tmp ? '.' : 'examples';
      const xml = (await run(['lint', '--format', 'junit', target], cwd)).out;
      assert.equal(XMLValidator.validate(xml), true, xml);
      const doc = parser.parse(xml) as {
        testsuites: { name: string; tests: string; failures: string; testsuite: Array<{ name: string; tests: string; failures: string; testcase: Array<{ name: string; classname: string; failure?: Array<{ type: string; message: string; '#text': string }> }> }> };
      };
      const report = JSON.parse((await run(['lint', '--format', 'json', target], cwd)).out) as JsonReport;
      assert.equal(doc.testsuites.name, 'citus-rollups');
      assert.equal(doc.testsuites.testsuite.length, report.files.length);
      let failures = 0;
      doc.testsuites.testsuite.forEach((suite, i) => {
        const file = report.files[i];
        assert.equal(suite.name, file.path);
        assert.equal(Number(suite.tests), suite.testcase.length);
        const inSuite = suite.testcase.flatMap((c) => c.failure ?? []);
        assert.equal(Number(suite.failures), inSuite.length);
        assert.equal(inSuite.length, file.diagnostics.length);
        for (const c of suite.testcase) {
          assert.equal(c.classname, file.path);
          for (const f of c.failure ?? []) {
            const d = file.diagnostics.find((x) => x.rule === c.name && x.message === f.message);
            assert.ok(d, `a finding of ${c.name} with message ${f.message}`);
            assert.equal(f.type, d.severity);
            assert.ok(f['#text'].includes(ruleDocUrl(d.rule)));
          }
        }
        failures += inSuite.length;
      });
      assert.equal(Number(doc.testsuites.failures), failures);
      if (cwd === tmp) assert.ok(failures >= 2 && doc.testsuites.testsuite.some((s) => s.testcase.some((c) => (c.failure ?? []).some((f) => f.message.includes('a<b&c",%:d')))));
    }
  });

  it('junit: a file without findings is one passing testcase', async () => {
    const file = path.join(tmp, 'clean.sql');
    fs.writeFileSync(file, 'SELECT 1;\n');
    const xml = (await run(['lint', '--format', 'junit', file])).out;
    fs.rmSync(file);
    assert.match(xml, /<testsuite name="[^"]*clean\.sql" tests="1" failures="0" errors="0" skipped="0">\n {4}<testcase name="citus-rollups" classname="[^"]*clean\.sql" file="[^"]*clean\.sql"\/>/);
  });

  it('the examples have findings of every severity class the formats map (so the checks above see them)', () => {
    const severities = new Set(expected.files.flatMap((f) => f.diagnostics.map((d) => d.severity)));
    for (const s of ['error', 'warning', 'information']) assert.ok(severities.has(s), s);
  });
});
