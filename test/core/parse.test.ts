import { strict as assert } from 'node:assert';
import { loadOlderGrammar, loadParser, olderGrammarError, ParserLoadError, parsePlpgsql, parseSql, scanTokens } from '../../src/core/parse/libpg';
import { analyzeDocument } from '../../src/core/analyze';
import { SchemaModel } from '../../src/core/schema/model';
import { parseDocument } from '../../src/core/parse/document';
import { scanScript } from '../../src/core/parse/split';
import { LineIndex } from '../../src/core/parse/offsets';

before(async () => {
  await loadParser();
});

const slice = (text: string, s: { start: number; end: number }): string => text.slice(s.start, s.end);

describe('statement splitting', () => {
  it('keeps semicolons inside strings, identifiers, comments and dollar quotes', () => {
    const text = `SELECT 'a;b', "x;y" FROM t; /* c; /* nested; */ */ SELECT $$;$$, $tag$ $$; $tag$;\n-- ;\nSELECT E'\\';'`;
    const s = scanScript(text).statements.map((x) => slice(text, x));
    assert.deepEqual(s, [`SELECT 'a;b', "x;y" FROM t;`, `SELECT $$;$$, $tag$ $$; $tag$;`, `SELECT E'\\';'`]);
  });

  it('keeps BEGIN ATOMIC bodies in one statement', () => {
    const text = `CREATE FUNCTION f() RETURNS int LANGUAGE sql BEGIN ATOMIC SELECT CASE WHEN true THEN 1 END; SELECT 2; END; SELECT 3;`;
    const s = scanScript(text).statements.map((x) => slice(text, x));
    assert.equal(s.length, 2);
    assert.ok(s[0].endsWith('END;'));
    assert.equal(s[1], 'SELECT 3;');
  });

  it('blanks psql meta-commands and COPY data, keeping offsets', () => {
    const text = `\\set n 5\nCOPY t FROM stdin;\n1\t2\n\\.\nSELECT 1 \\gset\nSELECT 2;`;
    const scanned = scanScript(text);
    assert.equal(scanned.cleaned.length, text.length);
    assert.deepEqual(scanned.statements.map((x) => slice(text, x)), ['COPY t FROM stdin;', 'SELECT 1', 'SELECT 2;']);
    assert.ok(!scanned.cleaned.includes('\\set'));
    assert.ok(!scanned.cleaned.includes('1\t2'));
  });

  it('replaces psql variables with placeholders of the same length', () => {
    const text = `SELECT :v, :'lit', :"ident", x::int, a[1:2] FROM t;`;
    const scanned = scanScript(text);
    assert.equal(scanned.cleaned, `SELECT _v, '____', "______", x::int, a[1:2] FROM t;`);
    assert.deepEqual(scanned.statements[0].psqlVariables.map((v) => [v.name, v.form]), [['v', 'plain'], ['lit', 'literal'], ['ident', 'identifier']]);
  });
});

describe('parseDocument', () => {
  it('reports one syntax error and still parses the rest', () => {
    const doc = parseDocument('SELECT 1; SELECT FROM WHERE; SELECT 2;');
    assert.equal(doc.statements.length, 3);
    assert.ok(doc.statements[0].ast && doc.statements[2].ast);
    const bad = doc.statements[1];
    assert.match(bad.error?.message ?? '', /syntax error at or near "WHERE"/);
    assert.equal(bad.error?.offset, 'SELECT 1; SELECT FROM '.length);
  });

  it('converts byte offsets to character offsets with multibyte identifiers and comments', () => {
    const text = `-- größe ✓ 😀\nINSERT INTO "tàble" (ü) SELECT ü FROM événements WHERE x = 'ñ';`;
    const doc = parseDocument(text);
    const stmt = doc.statements[0];
    const insert = stmt.ast?.InsertStmt;
    const relation = stmt.toDocumentOffset(insert.relation.location);
    assert.equal(text.slice(relation, relation + 7), '"tàble"');
    const from = insert.selectStmt.SelectStmt.fromClause[0].RangeVar;
    const at = stmt.toDocumentOffset(from.location);
    assert.equal(text.slice(at, at + 10), 'événements');
    const lines = new LineIndex(text);
    assert.deepEqual(lines.position(at), { line: 1, character: text.split('\n')[1].indexOf('événements') });
  });

  it('maps offsets to lines alike for LF, CRLF, lone CR and mixed line ends', () => {
    // reference: the lines a position counts, from a walk over the text
    const reference = (text: string, offset: number): { line: number; character: number } => {
      let line = 0;
      let start = 0;
      for (let i = 0; i < offset; i++) {
        if (text[i] === '\n' || (text[i] === '\r' && text[i + 1] !== '\n')) {
          line++;
          start = i + 1;
        }
      }
      return { line, character: offset - start };
    };
    for (const text of ['', 'a', '\n', 'ab\ncd\n\nef', 'ab\r\ncd\r\n', 'a\rb\r', 'a\r\nb\nc\rd\n\r\n', '\n\nx\n']) {
      const lines = new LineIndex(text);
      assert.equal(lines.lineCount, reference(text, text.length).line + 1, JSON.stringify(text));
      for (let o = 0; o <= text.length; o++) {
        // an offset between \r and \n belongs to the line the \r ends
        if (text[o - 1] === '\r' && text[o] === '\n') continue;
        const p = lines.position(o);
        assert.deepEqual(p, reference(text, o), `${JSON.stringify(text)} at ${o}`);
        assert.equal(lines.offset(p), o);
        // isAt: true at its own position only
        assert.ok(lines.isAt(o, p));
        assert.ok(!lines.isAt(o, { line: p.line, character: p.character + 1 }) && !lines.isAt(o, { line: p.line + 1, character: p.character }));
      }
    }
  });

  it('reports syntax errors at character offsets after multibyte text', () => {
    const text = `SELECT 'ééé', FROM t;`;
    const doc = parseDocument(text);
    assert.equal(doc.statements[0].error?.offset, text.indexOf('FROM'));
  });

  it('parses statements inside plpgsql bodies, including EXECUTE $$ ... $$ USING, with outer positions', () => {
    const text = `CREATE FUNCTION f(p int) RETURNS void LANGUAGE plpgsql AS $fn$
DECLARE s date; é text;
BEGIN
  SELECT max(d) INTO s FROM x;
  INSERT INTO d (a) SELECT a FROM v WHERE b > s;
  EXECUTE $e$ INSERT INTO z SELECT * FROM y WHERE c = $1 $e$ USING s;
END;
$fn$;`;
    const doc = parseDocument(text);
    const nested = doc.statements.filter((s) => s.parentIndex === 0);
    assert.deepEqual(nested.map((s) => slice(text, s)), [
      'SELECT max(d) INTO s FROM x',
      'INSERT INTO d (a) SELECT a FROM v WHERE b > s',
      'INSERT INTO z SELECT * FROM y WHERE c = $1',
    ]);
    const exec = nested[2];
    const rel = exec.toDocumentOffset(exec.ast?.InsertStmt.relation.location);
    assert.equal(text.slice(rel, rel + 1), 'z');
    // (f: a parameter can be qualified with its function's name)
    assert.deepEqual(nested[1].variables.sort(), ['f', 'p', 's', 'é'].sort());
  });

  it('expands EXECUTE format(...) with constant arguments into the statement it builds, positioned in the template', () => {
    const text = `DO $$
BEGIN
  EXECUTE format('INSERT INTO %I (a) SELECT %s FROM %I.%I WHERE k = %L', 'Daily', 'x', 'public', 'src', 'it''s');
  EXECUTE format('INSERT INTO %I SELECT * FROM t', v_table);
  EXECUTE format('DELETE FROM %-10s', 'x');
END
$$;`;
    const doc = parseDocument(text);
    const nested = doc.statements.filter((s) => s.parentIndex === 0);
    // only the first has constant arguments and plain specifiers
    assert.equal(nested.length, 1);
    const stmt = nested[0];
    assert.equal(stmt.text, `INSERT INTO "Daily" (a) SELECT x FROM public.src WHERE k = 'it''s'`);
    assert.ok(stmt.generated);
    const from = stmt.ast?.InsertStmt.selectStmt.SelectStmt.fromClause[0].RangeVar;
    // a substituted identifier points at its specifier, template text at itself
    const at = stmt.toDocumentOffset(from.location);
    assert.equal(text.slice(at, at + 2), '%I');
    const col = stmt.ast?.InsertStmt.cols[0].ResTarget;
    const colAt = stmt.toDocumentOffset(col.location);
    assert.equal(text.slice(colAt, colAt + 1), 'a');
  });

  it('parses LANGUAGE sql bodies, with escaped quotes mapped back', () => {
    const text = `CREATE FUNCTION g() RETURNS void LANGUAGE sql AS 'INSERT INTO a SELECT ''x'', b FROM c';`;
    const doc = parseDocument(text);
    const inner = doc.statements[1];
    assert.equal(inner.parentIndex, 0);
    const from = inner.ast?.InsertStmt.selectStmt.SelectStmt.fromClause[0].RangeVar;
    const at = inner.toDocumentOffset(from.location);
    assert.equal(text.slice(at, at + 1), 'c');
  });

  it('parses the query of a COPY (query) TO as a nested statement, between the parentheses PostgreSQL\'s lexer finds', () => {
    // a parenthesis in a string, a quoted name, a dollar quote and a comment; a character of two bytes before the table
    const text = `COPY tenant_stats TO STDOUT;\nCOPY (SELECT 'é)' AS "a)", $$)$$ /* ) */, f(1) FROM b) TO STDOUT WITH (FORMAT csv);\nCOPY (SELECT 1 TO STDOUT;`;
    const doc = parseDocument(text);
    const inner = doc.statements.find((s) => s.parentIndex === 1);
    assert.ok(inner?.ast?.SelectStmt, 'the query is a nested statement');
    assert.equal(text.slice(inner.start, inner.start + 6), 'SELECT');
    assert.equal(text.slice(inner.start, inner.end).trimEnd().endsWith('FROM b'), true);
    const from = inner.ast.SelectStmt.fromClause[0].RangeVar;
    const at = inner.toDocumentOffset(from.location);
    assert.equal(text.slice(at, at + 1), 'b');
    // no query (COPY .. TO of a table), and a COPY that does not parse: nothing nested
    assert.equal(doc.statements.filter((s) => s.parentIndex === 0 || s.parentIndex === 2).length, 0);
  });

  it('parses the statement of a PREPARE as a nested statement with outer positions', () => {
    const text = `SELECT 1;\nPREPARE "roll up" (timestamptz, int) AS\n  INSERT INTO a SELECT x, count(*) FROM b WHERE t >= $1 GROUP BY x LIMIT $2;\nPREPARE q AS SELECT 2;`;
    const doc = parseDocument(text);
    assert.equal(doc.statements.length, 5);
    const inner = doc.statements[2];
    assert.equal(inner.parentIndex, 1);
    assert.ok(inner.ast?.InsertStmt);
    assert.equal(text.slice(inner.start, inner.start + 6), 'INSERT');
    const from = inner.ast?.InsertStmt.selectStmt.SelectStmt.fromClause[0].RangeVar;
    const at = inner.toDocumentOffset(from.location);
    assert.equal(text.slice(at, at + 1), 'b');
    assert.equal(doc.statements[4].parentIndex, 3);
    assert.ok(doc.statements[4].ast?.SelectStmt);
  });

  it('parses DO blocks', () => {
    const doc = parseDocument(`DO $$ BEGIN INSERT INTO a SELECT * FROM b; END $$;`);
    assert.equal(doc.statements.length, 2);
    assert.ok(doc.statements[1].ast?.InsertStmt);
  });
});

describe('parser edge cases', () => {
  it('reports syntax errors after emoji at the right UTF-16 offset', () => {
    const text = `SELECT '😀😀', FROM t;`;
    const doc = parseDocument(text);
    assert.equal(doc.statements[0].error?.offset, text.indexOf('FROM'));
  });

  it("takes a parser function V8 cannot compile (a damaged libpg-query.wasm, validated lazily) for the parser's failure, not a syntax error", async () => {
    // the CLI has V8 validate each of the parser's functions on its first call (src/launch/v8Settings.ts): a damaged
    // function body then throws WebAssembly's CompileError from the parse call itself
    const parser = require('@libpg-query/parser') as Record<string, unknown>;
    const saved = { parseSync: parser.parseSync, scanSync: parser.scanSync, parsePlPgSQLSync: parser.parsePlPgSQLSync };
    const damaged = (): never => {
      throw new (globalThis as unknown as { WebAssembly: { CompileError: new (m: string) => Error } }).WebAssembly.CompileError('Compiling function #178 failed: invalid local index: 39 @+654237');
    };
    Object.assign(parser, { parseSync: damaged, scanSync: damaged, parsePlPgSQLSync: damaged });
    try {
      const refused = (e: unknown): boolean => e instanceof ParserLoadError && /^the SQL parser \(libpg-query\.wasm\) did not load: Compiling function #178 failed/.test(e.message);
      assert.throws(() => parseSql('SELECT 1 AS damaged_parser_probe'), refused);
      assert.throws(() => scanTokens('SELECT 2 AS damaged_parser_probe'), refused);
      assert.throws(() => parsePlpgsql('CREATE FUNCTION damaged_probe() RETURNS int LANGUAGE plpgsql AS $$ BEGIN RETURN 1; END $$'), refused);
      // the whole analysis stops there: no statement gets a syntax error or an internal error for it
      assert.throws(() => analyzeDocument('INSERT INTO damaged_probe SELECT 3;\nSELECT 4;\n', new SchemaModel()), refused);
    } finally {
      Object.assign(parser, saved);
    }
    // and a real parse error is still the statement's
    const ok = parseSql('SELECT FROM WHERE damaged_parser_probe');
    assert.equal(ok.ok, false);
    // an older grammar (a declared PostgreSQL 15) is named as the file that did not load
    await loadOlderGrammar(15);
    const older = require('libpg-query-15') as Record<string, unknown>;
    const olderParse = older.parseSync;
    older.parseSync = damaged;
    try {
      assert.throws(() => olderGrammarError('SELECT 5 AS damaged_parser_probe', 15), (e: unknown) => e instanceof ParserLoadError && /^the SQL parser \(libpg-query-15\.wasm\) did not load: Compiling function #178/.test(e.message));
    } finally {
      older.parseSync = olderParse;
    }
  });

  it('reports a NUL character instead of silently parsing nothing', () => {
    const text = 'SELECT 1;\nSELECT \u0000 2;\nSELECT 3;';
    const doc = parseDocument(text);
    assert.equal(doc.statements.length, 3);
    assert.match(doc.statements[1].error?.message ?? '', /NUL/);
    assert.equal(doc.statements[1].error?.offset, text.indexOf('\u0000'));
    assert.ok(doc.statements[2].ast);
  });
});
