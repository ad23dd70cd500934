/**
 * The whole-text fast path of parseDocument must give exactly what splitting and parsing statement by statement
 * gives: same statements, ranges, texts, nesting, and every parse-tree location mapped to the same document offset.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../src/core/parse/libpg';
import { parseDocument, type ParsedDocument } from '../../src/core/parse/document';
import type { PgNode } from '../../src/core/parse/ast';

const ROOT = path.join(__dirname, '..', '..');
const CORPUS = path.join(ROOT, 'test', 'fixtures', 'citus-corpus');

/** The parse tree with every location replaced by its document offset (a missing one is a difference too). */
function located(node: unknown, toDoc: (l: number) => number): unknown {
  if (Array.isArray(node)) return node.map((n) => located(n, toDoc));
  if (!node || typeof node !== 'object') return node;
  const out: PgNode = {};
  for (const [k, v] of Object.entries(node)) out[k] = k === 'location' && typeof v === 'number' ? toDoc(v) : located(v, toDoc);
  return out;
}

function comparable(doc: ParsedDocument): unknown[] {
  return doc.statements.map((s) => ({
    index: s.index,
    start: s.start,
    end: s.end,
    leadingStart: s.leadingStart,
    text: s.text,
    parentIndex: s.parentIndex,
    variables: s.variables,
    psqlVariables: s.psqlVariables,
    error: s.error,
    ast: located(s.ast, s.toDocumentOffset),
  }));
}

/** Both paths agree; `fast` says whether the fast path must have been taken (so the comparison is not vacuous). */
function assertSame(text: string, label: string, fast: boolean): void {
  const doc = parseDocument(text);
  assert.equal(doc.wholeText, fast, `${label}: fast path ${fast ? 'expected' : 'not expected'}`);
  assert.deepEqual(comparable(doc), comparable(parseDocument(text, { wholeText: false })), label);
}

const jsonl = (file: string): string[] =>
  fs
    .readFileSync(path.join(CORPUS, file), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql);

const TEXTS: Record<string, [string, boolean]> = {
  'multibyte names and comments': [`-- Übersicht 📈\nCREATE TABLE "日本" (テナント int, é text);\n/* ü /* nested */ ß */ INSERT INTO "日本" SELECT テナント, é FROM "日本" WHERE é = 'ñ';\n`, true],
  'function bodies, DO, PREPARE, BEGIN ATOMIC': [`CREATE FUNCTION f() RETURNS void LANGUAGE plpgsql AS $$ BEGIN INSERT INTO a SELECT * FROM b; EXECUTE $x$ INSERT INTO a SELECT 1 $x$; END $$;
DO $$ BEGIN DELETE FROM a WHERE id = 1; END $$;
CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1; SELECT 2; END;
PREPARE p (int) AS INSERT INTO a SELECT $1;
CREATE FUNCTION h() RETURNS void LANGUAGE sql AS 'INSERT INTO a SELECT ''x''';\n`, true],
  'CTEs at the start of statements': ['WITH c AS (SELECT 1 AS x) INSERT INTO a SELECT x FROM c;\nWITH d AS (SELECT 2) SELECT * FROM d;\n', true],
  'empty statements and trailing comments': [`SELECT 1;; SELECT 2 ;\n-- the end\n`, true],
  'last statement without a semicolon': [`SELECT 1;\nSELECT 2 -- no semicolon`, false],
  'a syntax error in the middle': [`SELECT 1;\nSELEC 2;\nSELECT 3;\n`, false],
  'psql meta-commands and variables': [`\\set t 5\nSELECT :t;\nINSERT INTO a SELECT * FROM b WHERE x = :'v';\n`, false],
};

describe('parseDocument: the whole-text fast path equals statement-by-statement parsing', () => {
  before(async () => {
    await loadParser();
  });

  // whether each file takes the fast path (the others have a syntax error, psql syntax or a JSON ':"' in a string)
  const files: Record<string, boolean> = {
    'examples/does-not-push-down.sql': false,
    'examples/rollups.sql': true,
    'examples/schema.sql': true,
    'test/fixtures/workspace/rollups.sql': false,
    'test/fixtures/workspace/schema.sql': true,
    'test/fixtures/citus-corpus/schema.sql': false,
  };
  for (const [file, fast] of Object.entries(files)) {
    it(file, () => assertSame(fs.readFileSync(path.join(ROOT, file), 'utf8'), file, fast));
  }

  it('every corpus statement, alone and all in one file', () => {
    const sqls = [...jsonl('statements.jsonl'), ...jsonl('dml.jsonl').filter((s) => !/FROM\s+STDIN/i.test(s))].map((s) => s.replace(/;?\s*$/, ';\n'));
    for (const sql of sqls) assertSame(sql, sql, !/\\|(?:^|[^:]):['"A-Za-z_]/.test(sql));
    assertSame(sqls.join(''), 'the whole corpus', true);
  });

  for (const [name, [text, fast]] of Object.entries(TEXTS)) {
    it(name, () => assertSame(text, name, fast));
  }
});

describe('parseDocument: the fast path gives the parser a large file in pieces', () => {
  before(async () => {
    await loadParser();
  });

  /** `n` characters of one-line statements, so that what follows starts at offset n */
  const filler = (n: number): string => 'SELECT 1;\n'.repeat(Math.floor(n / 10)) + ' '.repeat(n % 10);
  // the first cut is looked for from 64 KiB on: each text below puts a `;` at a line end just after that point
  // inside something that is not the end of a statement
  const AT = 64 * 1024 - 6;

  it('a file of many pieces, with multibyte text, function bodies and comments', () => {
    const text = (TEXTS['multibyte names and comments'][0] + TEXTS['function bodies, DO, PREPARE, BEGIN ATOMIC'][0] + TEXTS['CTEs at the start of statements'][0]).repeat(1000);
    assert.ok(text.length > 4 * 64 * 1024);
    assertSame(text, 'many pieces', true);
  });

  const cuts: Record<string, string> = {
    'a string': "INSERT INTO a SELECT 'x;\ny';\nSELECT 2;\n",
    'a block comment': 'SELECT /* x;\n y */ 2;\nSELECT 3;\n',
    'a dollar-quoted body': 'CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$ SELECT 1;\n SELECT 2; $$;\nSELECT 3;\n',
    'BEGIN ATOMIC': 'CREATE FUNCTION g() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT 1;\n SELECT 2;\n END;\nSELECT 3;\n',
  };
  for (const [name, tail] of Object.entries(cuts)) {
    it(`a cut that falls in ${name} moves to a later line end`, () => assertSame(filler(AT) + tail + filler(1000), name, true));
  }

  it('a `;` at a line end in a comment between statements: statement by statement, as in a file of any size', () => {
    assertSame(filler(AT) + 'SELECT 2;\n-- a note;\nSELECT 3;\n' + filler(1000), 'comment', false);
  });

  it('a piece that no later cut ends well: statement by statement, with the same result', () => {
    const body = Array.from({ length: 8 }, (_, i) => ` SELECT ${i};\n`).join('');
    assertSame(filler(AT) + `CREATE FUNCTION f() RETURNS int LANGUAGE sql AS $$${body}$$;\n` + filler(1000), 'eight cuts in a body', false);
  });

  it('a syntax error in a later piece: statement by statement, with the same result', () => {
    assertSame(filler(3 * 64 * 1024) + 'SELEC 1;\n' + filler(1000), 'syntax error', false);
  });
});
