/**
 * The stdio writer's encoding (src/server/encoder.ts) and the reuse of diagnostics across edits
 * (src/server/convert.ts DiagnosticConverter): the bytes written are exactly `JSON.stringify`'s, and after an edit
 * the diagnostics of the statements it did not touch are the same objects, equal to a fresh conversion.
 */
import { strict as assert } from 'node:assert';
import type { Diagnostic, Message } from 'vscode-languageserver/node';
import { analyzeDocument } from '../../src/core/analyze';
import { loadParser } from '../../src/core/parse/libpg';
import { LineIndex } from '../../src/core/parse/offsets';
import { SchemaModel } from '../../src/core/schema/model';
import { applyDocumentDdl } from '../../src/core/workspace';
import { DiagnosticConverter, toDiagnostic } from '../../src/server/convert';
import { encodeMessage, LastPublished } from '../../src/server/encoder';
import { prng } from '../../scripts/groundtruth/rng';
import { analyzeIncrementally, findingOrigins } from '../../src/server/incremental';

const diagnostic = (line: number, message: string, fix = false): Diagnostic => ({
  range: { start: { line, character: 2 }, end: { line, character: 9 } },
  severity: 1,
  code: 'limit-offset-blocks-pushdown',
  codeDescription: { href: 'https://example.org/rules/limit-offset-blocks-pushdown.md' },
  source: 'citus-rollups',
  message,
  ...(fix ? { data: { fix: { title: 'Remove "LIMIT"', edits: [{ range: { start: { line, character: 0 }, end: { line, character: 5 } }, newText: '' }] } } } : {}),
});

const publish = (diagnostics: unknown[], version?: number): Message =>
  ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri: 'file:///w/a%20b.sql', version, diagnostics } }) as Message;

describe('stdio encoder', () => {
  it('writes exactly what JSON.stringify writes, for publishDiagnostics and every other message', () => {
    const bytes = new WeakMap<object, Buffer>();
    const messages: Message[] = [
      publish([diagnostic(0, 'plain'), diagnostic(3, 'quotes " and \\ and\nnewline and é 𝄞 \u0001', true)], 7),
      publish([], 1),
      publish([diagnostic(1, 'no version')]),
      ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { diagnostics: [diagnostic(2, 'no uri')] } }) as Message,
      ({ jsonrpc: '2.0', id: 4, result: { items: [1, 'two', null] } }) as Message,
      ({ jsonrpc: '2.0', method: 'window/logMessage', params: { type: 3, message: 'hello' } }) as Message,
      // a diagnostic with toJSON is left to JSON.stringify
      publish([{ toJSON: () => ({ replaced: true }) }], 2),
    ];
    for (const msg of messages) {
      const encoded = encodeMessage(msg, 'utf-8', bytes);
      assert.equal(encoded.toString('utf-8'), JSON.stringify(msg));
    }
  });

  it('writes the bytes of a diagnostic it has written before from its cache, and new objects afresh', () => {
    const bytes = new WeakMap<object, Buffer>();
    const kept = diagnostic(0, 'kept');
    const first = encodeMessage(publish([kept, diagnostic(1, 'one')], 1), 'utf-8', bytes);
    const cached = bytes.get(kept);
    assert.ok(cached, 'the bytes of a published diagnostic are kept');
    assert.equal(cached.toString('utf-8'), JSON.stringify(kept));
    const second = encodeMessage(publish([diagnostic(1, 'two'), kept], 2), 'utf-8', bytes);
    assert.equal(bytes.get(kept), cached);
    assert.notEqual(first.toString(), second.toString());
    assert.equal(second.toString('utf-8'), JSON.stringify(publish([diagnostic(1, 'two'), kept], 2)));
  });
  it("copies the bytes of the diagnostics a document's last message began and ended with, and writes exactly JSON.stringify's", () => {
    // random publishes to three documents: diagnostics kept, inserted, removed, replaced and reordered, as edits do
    const rnd = prng(11);
    const bytes = new WeakMap<object, Buffer>();
    const last = new LastPublished();
    const uris = ['file:///w/a.sql', 'file:///w/b%20c.sql', 'file:///w/é.sql'];
    const current = new Map<string, Diagnostic[]>(uris.map((u) => [u, []]));
    let made = 0;
    let copied = 0;
    for (let step = 0; step < 400; step++) {
      const uri = uris[Math.floor(rnd() * uris.length)];
      const list = [...(current.get(uri) as Diagnostic[])];
      const at = Math.floor(rnd() * (list.length + 1));
      const kind = rnd();
      const fresh = () => diagnostic(Math.floor(rnd() * 50), `d${made++} "q" é 𝄞`, rnd() < 0.2);
      if (kind < 0.35) list.splice(at, 0, ...Array.from({ length: 1 + Math.floor(rnd() * 3) }, fresh));
      else if (kind < 0.55) list.splice(at, 1 + Math.floor(rnd() * 3));
      else if (kind < 0.8) list.splice(at, 1, fresh());
      else if (kind < 0.9 && list.length > 1) list.reverse();
      else if (kind < 0.95) list.length = 0;
      current.set(uri, list);
      const msg = ({ jsonrpc: '2.0', method: 'textDocument/publishDiagnostics', params: { uri, version: step, diagnostics: list } }) as Message;
      const before = last.get(uri);
      const encoded = encodeMessage(msg, 'utf-8', bytes, last);
      assert.equal(encoded.toString('utf-8'), JSON.stringify(msg), `step ${step}`);
      if (before && list.length > 0 && list[0] === before.diagnostics[0]) copied++;
    }
    assert.ok(copied > 50, `messages that began with the last one's diagnostics: ${copied}`);
  });
});

describe('diagnostics across edits (DiagnosticConverter)', () => {
  before(loadParser);

  const SCHEMA = `CREATE TABLE ev (tenant_id int, id bigint, at timestamptz);
SELECT create_distributed_table('ev', 'tenant_id');
CREATE TABLE daily (tenant_id int, day date, n bigint);
SELECT create_distributed_table('daily', 'tenant_id');`;
  const TEXT = [
    'INSERT INTO daily SELECT tenant_id, at::date, 1 FROM ev LIMIT 1;',
    'INSERT INTO daily SELECT id::int, at::date, 1 FROM ev;',
    'INSERT INTO daily SELECT tenant_id, at::date, 1 FROM ev LIMIT 2;',
    'INSERT INTO daily SELECT tenant_id, at::date, count(*) FROM ev GROUP BY at::date;',
  ].join('\n');

  function run(edits: (t: string) => string, start = TEXT): { before: Diagnostic[]; after: Diagnostic[]; fresh: Diagnostic[] } {
    const TEXT = start;
    const model = new SchemaModel();
    applyDocumentDdl(model, { source: 'schema.sql', text: SCHEMA });
    const converter = new DiagnosticConverter();
    const a = analyzeDocument(TEXT, model);
    const lines = new LineIndex(TEXT);
    const before = a.findings.map((f) => converter.convert(f, lines));
    const text = edits(TEXT);
    const b = analyzeIncrementally({ text: TEXT, analysis: a }, text, model, {});
    const newLines = new LineIndex(text);
    const origins = findingOrigins(b);
    assert.equal(origins.length, b.findings.length);
    const after = b.findings.map((f, i) => converter.convert(f, newLines, origins[i]));
    return { before, after, fresh: b.findings.map((f) => toDiagnostic(f, newLines)) };
  }

  it('gives back the same objects for the statements an edit within a line did not touch', () => {
    const { before, after, fresh } = run((t) => t.replace('LIMIT 1', 'LIMIT  1'));
    assert.ok(before.length >= 4, `findings on every statement: ${before.length}`);
    assert.deepEqual(after, fresh);
    const firstLine = after.filter((d) => d.range.start.line === 0);
    const others = after.filter((d) => d.range.start.line > 0);
    assert.ok(firstLine.length > 0 && others.length > 0);
    for (const d of others) assert.ok(before.includes(d), `reused: ${d.code} on line ${d.range.start.line}`);
  });

  const CREATE_UNIQUE = 'CREATE UNIQUE INDEX ON daily (tenant_id, day);';

  it("reuses a diagnostic with a fix when the fix's edits are where they were, and makes one when they moved", () => {
    // the LIMIT statements carry a fix; two statements share the first line, the edit is in the first of them
    // the upserts' findings carry a fix; the first line holds two statements, the edit is in the first of them
    const upsert = "INSERT INTO daily SELECT tenant_id, at::date, count(*) FROM ev WHERE at >= '2024-01-01' GROUP BY 1, 2 ON CONFLICT (tenant_id, day) DO UPDATE SET n = EXCLUDED.n;";
    const text = `${CREATE_UNIQUE}\nINSERT INTO daily SELECT tenant_id, at::date, 1 FROM ev LIMIT 1; ${upsert}\n${upsert}\n`;
    const { before, after, fresh } = run((t) => t.replace('LIMIT 1', 'LIMIT  1'), text);
    assert.deepEqual(after, fresh);
    const fixed = after.filter((d) => (d.data as { fix?: unknown } | undefined)?.fix);
    assert.deepEqual(fixed.map((d) => d.range.start.line), [1, 2]);
    for (const d of fixed) assert.equal(before.includes(d), d.range.start.line > 1, `${d.code} on line ${d.range.start.line}`);
  });

  it('makes new objects, at the new lines, when an edit adds a line', () => {
    const { before, after, fresh } = run((t) => t.replace('LIMIT 1;', 'LIMIT\n1;'));
    assert.deepEqual(after, fresh);
    const moved = after.filter((d) => d.range.start.line > 1);
    assert.ok(moved.length > 0);
    for (const d of moved) assert.ok(!before.includes(d), `a moved diagnostic is not reused: ${d.code}`);
  });
});
