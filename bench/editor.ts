/**
 * Editor benchmarks against the real language server:
 * - edit -> diagnostics on a 2,000-line SQL file, p50/p95 over 200 edits, with the server in this
 *   process (src/server/server.ts over in-memory streams) and no debounce, so the figure is the
 *   analysis + protocol cost (the editor adds the 150 ms debounce on top while typing);
 * - cold start of dist/server.js -> first diagnostics of that file (stdio, a fresh process);
 * - the server process' memory (RSS, heap) after opening the file.
 */
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { PassThrough } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { createConnection } from 'vscode-languageserver/node';
import { createProtocolConnection, StreamMessageReader, StreamMessageWriter } from 'vscode-languageserver-protocol/node';
import { initializeServer, percentile, round } from './measure';
import { startServer } from '../src/server/server';
import type { ServerStats } from '../src/protocol';

const ROOT = path.join(__dirname, '..');
const SCHEMA = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'workspace', 'schema.sql'), 'utf8');
const ROLLUP = fs.readFileSync(path.join(ROOT, 'test', 'fixtures', 'workspace', 'rollups.sql'), 'utf8').replace(/SELECT \* FROM WHERE[^\n]*\n/, '');

export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

/** A 2,000-line file of rollups (INSERT..SELECTs with comments), as users write them. */
function bigFile(): string {
  const lines: string[] = [];
  let n = 0;
  while (lines.length < 2000) {
    lines.push(`-- rollup ${n++}`, ...ROLLUP.split('\n'));
  }
  return lines.slice(0, 2000).join('\n') + '\n';
}

function workspace(): { root: string; uri: string; text: string } {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-bench-'));
  fs.writeFileSync(path.join(root, 'schema.sql'), SCHEMA);
  const text = bigFile();
  fs.writeFileSync(path.join(root, 'rollups.sql'), text);
  return { root, uri: pathToFileURL(path.join(root, 'rollups.sql')).href, text };
}

/** Resolves on the next publishDiagnostics for `uri` with document version >= `version`. */
function nextDiagnostics(waiters: Map<number, () => void>, version: number): Promise<void> {
  return new Promise((resolve) => waiters.set(version, resolve));
}

async function editLatency(): Promise<BenchResult[]> {
  const { root, uri, text } = workspace();
  const up = new PassThrough();
  const down = new PassThrough();
  startServer(createConnection(new StreamMessageReader(up), new StreamMessageWriter(down)));
  const conn = createProtocolConnection(new StreamMessageReader(down), new StreamMessageWriter(up));
  const waiters = new Map<number, () => void>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; version?: number }) => {
    if (p.uri !== uri || p.version === undefined) return;
    for (const [v, resolve] of waiters) {
      if (p.version < v) continue;
      waiters.delete(v);
      resolve();
    }
  });
  await initializeServer(conn, root, { debounceMs: 0, processId: null });
  let version = 1;
  let first = nextDiagnostics(waiters, 1);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version, text } });
  await first;
  const times: number[] = [];
  const lineCount = text.split('\n').length;
  for (let i = 0; i < 220; i++) {
    // Type one character into a statement somewhere in the file (a comment line keeps it valid SQL).
    const line = (i * 97) % (lineCount - 1);
    version++;
    first = nextDiagnostics(waiters, version);
    const t0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri, version },
      contentChanges: [{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: i % 2 ? ' ' : '\t' }],
    });
    await first;
    if (i >= 20) times.push(performance.now() - t0); // the first 20 warm the JIT
  }
  times.sort((a, b) => a - b);
  conn.dispose();
  fs.rmSync(root, { recursive: true, force: true });
  return [
    { name: 'edit -> diagnostics, 2,000-line file, p50 (in-process, no debounce)', value: round(percentile(times, 50)), unit: 'ms' },
    { name: 'edit -> diagnostics, 2,000-line file, p95 (in-process, no debounce)', value: round(percentile(times, 95)), unit: 'ms', target: '<= 30 ms' },
  ];
}

async function coldStart(): Promise<BenchResult[]> {
  const { root, uri, text } = workspace();
  const t0 = performance.now();
  const child = spawn(process.execPath, [path.join(ROOT, 'dist', 'server.js'), '--stdio'], { stdio: ['pipe', 'pipe', 'inherit'] });
  const conn = createProtocolConnection(new StreamMessageReader(child.stdout), new StreamMessageWriter(child.stdin));
  const got = new Promise<void>((resolve) => conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string }) => p.uri === uri && resolve()));
  await initializeServer(conn, root, { debounceMs: 150, processId: process.pid });
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri, languageId: 'sql', version: 1, text } });
  await got;
  const cold = performance.now() - t0;
  const stats = await conn.sendRequest<ServerStats>('citus/serverStats');
  conn.dispose();
  child.kill();
  fs.rmSync(root, { recursive: true, force: true });
  return [
    { name: 'cold server start -> first diagnostics (2,000-line file)', value: round(cold), unit: 'ms', target: '<= 400 ms' },
    { name: 'server RSS after opening the 2,000-line file', value: round(stats.rss / 2 ** 20), unit: 'MiB' },
    { name: 'server heap used after opening the 2,000-line file', value: round(stats.heapUsed / 2 ** 20), unit: 'MiB' },
  ];
}

export async function run(): Promise<BenchResult[]> {
  if (!fs.existsSync(path.join(ROOT, 'dist', 'server.js'))) throw new Error('dist/server.js is missing: run npm run build first');
  return [...(await coldStart()), ...(await editLatency())];
}
