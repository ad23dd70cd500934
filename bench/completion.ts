/**
 * `npm run bench -- completion`: the language server as an editor meets it while one types a rollup. The
 * server bundle (dist/server.js) runs in its own process over stdio, with the editor's 150 ms debounce; the file
 * has 2,000 lines of rollups. Each step types one key into the select list of an INSERT .. SELECT (a new output
 * column at its end: `, ` then the name) and asks for completion at the cursor, as VS Code does on each keystroke;
 * after each name a pause lets the debounced analysis of the whole file run, as it does for a user. The figure is
 * the time from the edit's notification to the completion list (p50, p95). Signature help inside a Citus call and go
 * to definition are measured the same way.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { initializeServer, percentile, round, type Figure } from './measure';

const ROOT = path.join(__dirname, '..');
const SCHEMA = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'workspace', 'schema.sql'), 'utf8');

/** One rollup statement of the file (the select list is where the typing happens). */
const ROLLUP = `INSERT INTO daily_page_views (tenant_id, day, page_id, view_count)
  SELECT tenant_id, view_time::date, page_id, count(*)
  FROM page_views
  WHERE view_time >= now() - interval '1 day'
  GROUP BY tenant_id, view_time::date, page_id
ON CONFLICT (tenant_id, day, page_id) DO UPDATE SET view_count = daily_page_views.view_count + EXCLUDED.view_count;
SELECT create_distributed_table('page_views', 'tenant_id', colocate_with => 'none');
`;

/** 2,000 lines: the rollup above, over and over, with a comment line between. */
function bigFile(): { text: string; selectLines: number[] } {
  const lines: string[] = [];
  const selectLines: number[] = [];
  let n = 0;
  while (lines.length < 2000) {
    lines.push(`-- rollup ${n++}`);
    ROLLUP.split('\n').forEach((l) => {
      if (l.startsWith('  SELECT ')) selectLines.push(lines.length);
      lines.push(l);
    });
  }
  return { text: lines.slice(0, 2000).join('\n') + '\n', selectLines: selectLines.filter((l) => l < 2000) };
}

/** The words typed, one character per step, each followed by `, ` (a new output column each time). */
const TYPED = ['tenant_id', 'page_id', 'view_time', 'count'];

export async function run(): Promise<Figure[]> {
  const server = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(server)) throw new Error('dist/server.js is missing: run npm run build first');
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-bench-completion-'));
  fs.writeFileSync(path.join(root, 'schema.sql'), SCHEMA);
  const { text, selectLines } = bigFile();
  fs.writeFileSync(path.join(root, 'rollups.sql'), text);
  const uri = pathToFileURL(path.join(root, 'rollups.sql')).href;
  const child = spawn(process.execPath, [server, '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  try {
    const opened = new Promise<void>((resolve) => conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => p.uri === uri && resolve()));
    // the editor's debounce: diagnostics wait for a pause in typing, completion does not
    await initializeServer(conn, root, { debounceMs: 150, processId: process.pid, snippets: true });
    await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
    await opened;

    let version = 1;
    const completion: number[] = [];
    const sizes: number[] = [];
    const lines = text.split('\n');
    let step = 0;
    // one new output column per rollup, typed at the end of its select list: `, ` then the name, a key at a time
    for (let w = 0; step < 280; w++) {
      const line = selectLines[(w * 7) % selectLines.length];
      let character = lines[line].length;
      for (const key of [', ', ...TYPED[w % TYPED.length]]) {
        const at = { line, character };
        character += key.length;
        version++;
        const t0 = performance.now();
        await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: key }] });
        const list = await conn.sendRequest<{ items: unknown[] }>('textDocument/completion', { textDocument: { uri }, position: { line, character } });
        const ms = performance.now() - t0;
        if (step++ >= 20) completion.push(ms); // the first 20 warm the JIT
        sizes.push(list.items.length);
        if (list.items.length === 0) throw new Error(`no completion at ${line}:${character}`);
      }
      lines[line] += `, ${TYPED[w % TYPED.length]}`;
      // a pause after each name, longer than the debounce: the file is analysed again between names, as it is
      // for a user
      await new Promise((r) => setTimeout(r, 250));
    }
    completion.sort((a, b) => a - b);

    // signature help inside a Citus call, right after typing into it
    const callLine = text.split('\n').findIndex((l) => l.startsWith('SELECT create_distributed_table'));
    const signature: number[] = [];
    for (let i = 0; i < 120; i++) {
      version++;
      const at = { line: callLine, character: "SELECT create_distributed_table('page_views', 'tenant_id', ".length };
      const t0 = performance.now();
      await conn.sendNotification('textDocument/didChange', { textDocument: { uri, version }, contentChanges: [{ range: { start: at, end: at }, text: i % 2 ? '' : ' ' }] });
      await conn.sendRequest('textDocument/signatureHelp', { textDocument: { uri }, position: at });
      if (i >= 20) signature.push(performance.now() - t0);
    }
    signature.sort((a, b) => a - b);

    // go to definition of a table in the last rollup: the file's current text is analysed first
    const defLine = selectLines[selectLines.length - 1] + 1;
    const definition: number[] = [];
    for (let i = 0; i < 60; i++) {
      const t0 = performance.now();
      const loc = await conn.sendRequest<unknown[]>('textDocument/definition', { textDocument: { uri }, position: { line: defLine, character: 8 } });
      if (i >= 10) definition.push(performance.now() - t0);
      if (!loc.length) throw new Error(`no definition at ${defLine}:8`);
    }
    definition.sort((a, b) => a - b);

    return [
      { name: 'edit -> completion, 2,000-line file, p50 (stdio)', value: round(percentile(completion, 50)), unit: 'ms' },
      { name: 'edit -> completion, 2,000-line file, p95 (stdio)', value: round(percentile(completion, 95)), unit: 'ms', target: '<= 20 ms' },
      { name: 'completion items per list (median)', value: [...sizes].sort((a, b) => a - b)[sizes.length >> 1], unit: 'items' },
      { name: 'edit -> signature help (Citus call), p95 (stdio)', value: round(percentile(signature, 95)), unit: 'ms' },
      { name: 'go to definition (schema file), p95 (stdio)', value: round(percentile(definition, 95)), unit: 'ms' },
    ];
  } finally {
    conn.dispose();
    child.kill();
    fs.rmSync(root, { recursive: true, force: true });
  }
}
