/**
 * The workspace schema of the language server (src/server/schema.ts): schema files are read with only their
 * schema statements parsed, which must give the model a whole parse gives; an edit of a file's own DDL leaves
 * that file's model key alone and moves the others'; typing in DML or a SELECT moves nothing.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { parseDocument } from '../../src/core/parse/document';
import { loadParser } from '../../src/core/parse/libpg';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';
import { ddlFingerprint, FolderSchema } from '../../src/server/schema';
import { parseSchemaStatements } from '../../src/core/workspace';
import { DEFAULT_SETTINGS } from '../../src/server/settings';
import { AnalysisCache } from '../../src/server/documents';

const ROOT = path.join(__dirname, '..', '..');

/** Every SQL file of the repository's examples and fixtures, and the corpus statements as one script. */
function sqlFiles(): { name: string; text: string }[] {
  const out: { name: string; text: string }[] = [];
  for (const dir of ['examples', 'test/fixtures/workspace', 'test/fixtures/citus-corpus', 'test/vsix-smoke/workspace', 'test/grammar/cases']) {
    for (const f of fs.readdirSync(path.join(ROOT, dir))) if (f.endsWith('.sql')) out.push({ name: `${dir}/${f}`, text: fs.readFileSync(path.join(ROOT, dir, f), 'utf8') });
  }
  for (const corpus of ['statements.jsonl', 'dml.jsonl']) {
    const sqls = fs
      .readFileSync(path.join(ROOT, 'test', 'fixtures', 'citus-corpus', corpus), 'utf8')
      .split('\n')
      .filter((l) => l.trim())
      .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, '') + ';\n');
    out.push({ name: corpus, text: sqls.join('') });
  }
  out.push({
    name: 'psql script with DDL between DML',
    text: `\\set t 5\nINSERT INTO a SELECT 1;\nCREATE TABLE a (x int);\n  insert into a values (:t);\nBEGIN;\nSELECT create_distributed_table('a', 'x');\nROLLBACK;\nUPDATE a SET x = 1;\nCOPY a FROM STDIN;\n1\n\\.\nMERGE INTO a USING a b ON true WHEN MATCHED THEN DO NOTHING;\nCREATE TABLE b (y int);\n`,
  });
  return out;
}

describe('language server: workspace schema', () => {
  before(() => loadParser());

  it('reads schema files with only their schema statements parsed, to the same model and fingerprint', () => {
    for (const { name, text } of sqlFiles()) {
      const whole = parseDocument(text);
      const partial = parseSchemaStatements(text);
      const a = new SchemaModel();
      applyDocumentDdl(a, { source: name, text, parsed: whole });
      const b = new SchemaModel();
      applyDocumentDdl(b, { source: name, text, parsed: partial });
      assert.deepStrictEqual(b, a, name);
      assert.equal(ddlFingerprint(partial), ddlFingerprint(whole), name);
      // the statements parsed are the whole parse's, at the same places
      for (const s of partial.statements) {
        const same = whole.statements.find((w) => w.start === s.start);
        assert.ok(same && same.end === s.end && same.text === s.text, `${name}: ${s.text.slice(0, 40)}`);
      }
    }
  });

  it("keys a file's model on the other files: its own DDL edit leaves its key, and moves the others'", async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-schema-'));
    try {
      fs.writeFileSync(path.join(root, 'a.sql'), 'CREATE TABLE ta (x int);\n');
      fs.writeFileSync(path.join(root, 'b.sql'), 'INSERT INTO ta SELECT 1;\n');
      const scope = new FolderSchema(root, () => undefined);
      scope.configure(DEFAULT_SETTINGS);
      await scope.reloadAll();
      await scope.whenLoaded();
      const a = path.join(root, 'a.sql');
      const b = path.join(root, 'b.sql');
      const keys = (): string[] => [scope.baseKey(a), scope.baseKey(b)];
      const before = keys();
      assert.ok(scope.baseFor(b).get('public', 'ta'), 'b.sql sees the table a.sql defines');

      // typing in DML or in a SELECT does not change the schema
      const open = (file: string, text: string): boolean => scope.setOpenText(file, text, parseDocument(text));
      assert.equal(open(b, 'INSERT INTO ta SELECT 12;\nSELECT * FROM ta;\n'), false);
      assert.equal(open(a, 'CREATE TABLE ta (x int);\nSELECT 1;\n'), false);
      assert.deepEqual(keys(), before);

      // a's DDL edit: a's own key stays (its analysis applies its own DDL), b's moves
      assert.equal(open(a, 'CREATE TABLE ta (x int, y int);\n'), true);
      const after = keys();
      assert.equal(after[0], before[0]);
      assert.notEqual(after[1], before[1]);
      assert.deepEqual(scope.baseFor(b).get('public', 'ta')?.columns.map((c) => c.name), ['x', 'y']);

      // closing a brings its disk text back: b's key moves again
      assert.equal(scope.closeOpen(a), true);
      assert.notEqual(scope.baseKey(b), after[1]);
      assert.deepEqual(scope.baseFor(b).get('public', 'ta')?.columns.map((c) => c.name), ['x']);
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });

  it('analyses a document against the day it is on: CURRENT_DATE into a partitioned table, the day the partition ends and the next', async () => {
    const root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-schema-'));
    try {
      fs.writeFileSync(path.join(root, 'a.sql'), "CREATE TABLE days (k date NOT NULL, v int) PARTITION BY RANGE (k);\nCREATE TABLE days_2030 PARTITION OF days FOR VALUES FROM ('2030-01-01') TO ('2030-02-01');\n");
      const scope = new FolderSchema(root, () => undefined);
      scope.configure(DEFAULT_SETTINGS);
      await scope.reloadAll();
      await scope.whenLoaded();
      let now = new Date('2030-01-15T12:00:00Z');
      const cache = new AnalysisCache(() => undefined, () => now);
      const file = path.join(root, 'b.sql');
      const text = 'INSERT INTO days VALUES (CURRENT_DATE, 1);\n';
      const rules = (): string[] => cache.analyze('file:///b.sql', file, text, scope, DEFAULT_SETTINGS).analysis.findings.map((f) => f.rule);
      assert.deepEqual(rules(), [], 'a partition takes 2030-01-15');
      // (the day after the partition ends is not claimed: in a session west of UTC it is still the day before)
      now = new Date('2030-02-01T12:00:00Z');
      assert.deepEqual(rules(), []);
      now = new Date('2030-02-02T12:00:00Z');
      assert.deepEqual(rules(), ['insert-null-dist-column'], 'a new day analyses the same text again');
    } finally {
      fs.rmSync(root, { recursive: true, force: true });
    }
  });
});
