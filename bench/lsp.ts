/**
 * The language server as an editor meets it: `dist/server.js --stdio` in its own process, driven over
 * JSON-RPC from this one (the same driver measures the peers in bench/peers.ts).
 *
 * One session per file size (the 248 corpus statements, and the same repeated 20 times: 4,960):
 * - spawn -> first diagnostics: from spawning the server to the first publishDiagnostics of the file that
 *   is opened right after `initialized` (what the user sees when the editor starts with a file open);
 * - didOpen -> diagnostics: a second file of the same size (different statement texts) opened in the
 *   running server;
 * - edit -> diagnostics: one-character edits (a space typed into a statement, each in a different place,
 *   so every edit changes a statement's text) with the debounce set to 0, p50 / p95 / max;
 * - the server's memory (RSS and peak RSS from /proc) after the edits.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import { createMessageConnection, StreamMessageReader, StreamMessageWriter, type MessageConnection } from 'vscode-languageserver-protocol/node';
import { corpusStatements, median, percentile, processMemory, processCpuMs, round, type Figure } from './measure';

const ROOT = path.join(__dirname, '..');
const SCHEMA = path.join(ROOT, 'test', 'fixtures', 'citus-corpus', 'schema.sql');

/** A workspace folder: the corpus schema, the statements file `a.sql` and a second one `b.sql` (opened later). */
export interface LspWorkspace {
  root: string;
  statements: number;
  a: { uri: string; text: string };
  b: { uri: string; text: string };
}

/**
 * `b.sql` holds the same statements with lower-case keywords: other statement texts (nothing a parse memo or
 * cache could reuse from `a.sql`), the same analysis.
 */
export function lspWorkspace(repeat: number): LspWorkspace {
  const root = fs.mkdtempSync(path.join(os.tmpdir(), `citus-bench-lsp-${repeat}-`));
  const one = corpusStatements().map((s) => s + ';\n').join('');
  const a = one.repeat(repeat);
  const b = a.replace(/\bINSERT INTO\b/g, 'insert into').replace(/\bSELECT\b/g, 'select');
  fs.copyFileSync(SCHEMA, path.join(root, 'schema.sql'));
  fs.writeFileSync(path.join(root, 'a.sql'), a);
  fs.writeFileSync(path.join(root, 'b.sql'), b);
  return {
    root,
    statements: corpusStatements().length * repeat,
    a: { uri: pathToFileURL(path.join(root, 'a.sql')).href, text: a },
    b: { uri: pathToFileURL(path.join(root, 'b.sql')).href, text: b },
  };
}

/** How to start one language server. */
export interface LspTarget {
  name: string;
  command: string;
  args: string[];
  env?: NodeJS.ProcessEnv;
  initializationOptions?: unknown;
  /** runs before each spawn and after each session (e.g. stops a daemon the server left behind) */
  reset?: () => void;
  /** other processes that do the server's work (a daemon), for the memory and CPU figures */
  helperPids?: (child: ChildProcess) => number[];
}

export interface LspSession {
  /** spawn -> first diagnostics of a.sql */
  spawnMs: number;
  /** CPU time of the server process(es) up to the first diagnostics */
  spawnCpuMs?: number;
  /** didOpen of b.sql -> its first diagnostics */
  openMs: number;
  /** spawn / didOpen -> the last diagnostics of the file before the server goes quiet (a server may publish a
   * first part early: ours publishes the syntax errors of a newly opened file, then the analysis' diagnostics) */
  spawnCompleteMs: number;
  openCompleteMs: number;
  edits: number[];
  /** the server's CPU time per edit (all edits, warm-up included): steadier than wall time on a busy machine */
  editCpuMs?: number;
  /** edits that got no diagnostics within the timeout */
  missed: number;
  rssMiB?: number;
  peakRssMiB?: number;
  diagnostics: number;
}

const EDIT_TIMEOUT_MS = 5000;

/** Character offset -> LSP position in `text`. */
function position(text: string, offset: number): { line: number; character: number } {
  let line = 0;
  let lineStart = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) {
    line++;
    lineStart = i + 1;
  }
  return { line, character: offset - lineStart };
}

/**
 * Where edit `k` types its space: after the first space of a statement, walking through the file with a
 * stride so that no two edits are in the same place (every edit gives a statement text not seen before).
 */
function editOffset(text: string, k: number): number {
  const starts: number[] = [0];
  for (let i = text.indexOf(';\n'); i >= 0 && i < text.length - 2; i = text.indexOf(';\n', i + 1)) starts.push(i + 2);
  const s = starts[(k * 37 + 11) % starts.length];
  const space = text.indexOf(' ', s);
  return space >= 0 ? space + 1 : s;
}

/**
 * One session against a fresh server process. Resolves the figures; never leaves the process running.
 */
export async function lspSession(target: LspTarget, ws: LspWorkspace, editCount: number): Promise<LspSession> {
  target.reset?.();
  const t0 = performance.now();
  const child = spawn(target.command, target.args, { stdio: ['pipe', 'pipe', 'pipe'], env: target.env ?? process.env, cwd: ws.root });
  let stderr = '';
  child.stderr?.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-4000)));
  const conn = createMessageConnection(new StreamMessageReader(child.stdout!), new StreamMessageWriter(child.stdin!));
  const exited = new Promise<void>((resolve) => child.on('exit', () => resolve()));
  try {
    return await drive(conn, child, target, ws, editCount, t0);
  } catch (e) {
    throw new Error(`${target.name}: ${(e as Error).message}${stderr ? `\n${stderr}` : ''}`);
  } finally {
    try {
      await Promise.race([conn.sendRequest('shutdown').then(() => conn.sendNotification('exit')), sleep(1000)]);
    } catch {
      // the server may be gone already
    }
    await Promise.race([exited, sleep(1500)]);
    child.kill();
    conn.dispose();
    target.reset?.();
  }
}

async function drive(conn: MessageConnection, child: ChildProcess, target: LspTarget, ws: LspWorkspace, editCount: number, t0: number): Promise<LspSession> {
  let lastMessage = performance.now();
  const waiters: { uri: string; resolve: (n: number) => void }[] = [];
  /** when the last diagnostics of each document came (the complete ones, once the server is quiet) */
  const lastPublished = new Map<string, number>();
  conn.onNotification('textDocument/publishDiagnostics', (p: { uri: string; diagnostics: unknown[] }) => {
    lastMessage = performance.now();
    lastPublished.set(p.uri, lastMessage);
    for (let i = 0; i < waiters.length; i++) {
      if (waiters[i].uri !== p.uri) continue;
      waiters.splice(i, 1)[0].resolve(p.diagnostics.length);
      break;
    }
  });
  conn.onNotification(() => {
    lastMessage = performance.now();
  });
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest(() => null); // client/registerCapability, window/workDoneProgress/create, ...
  conn.listen();
  let next = (uri: string, timeoutMs = 60_000): Promise<number> =>
    new Promise((resolve, reject) => {
      const w = { uri, resolve: (n: number) => (clearTimeout(timer), resolve(n)) };
      const timer = setTimeout(() => {
        waiters.splice(waiters.indexOf(w), 1);
        reject(new Error(`no diagnostics for ${path.basename(uri)} within ${timeoutMs} ms`));
      }, timeoutMs);
      waiters.push(w);
    });

  const rootUri = pathToFileURL(ws.root).href;
  const init: { capabilities?: { diagnosticProvider?: unknown } } = await conn.sendRequest('initialize', {
    processId: process.pid,
    rootUri,
    rootPath: ws.root,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      textDocument: { publishDiagnostics: { versionSupport: true }, diagnostic: { dynamicRegistration: false }, synchronization: { dynamicRegistration: true } },
    },
    initializationOptions: target.initializationOptions,
  });
  // a server with pull diagnostics (squawk) is asked right after each change, as an editor does
  if (init.capabilities?.diagnosticProvider) {
    const pending = next;
    next = (uri: string, timeoutMs = 60_000): Promise<number> => {
      const got = pending(uri, timeoutMs);
      setImmediate(() => {
        void conn.sendRequest<{ items?: unknown[] } | null>('textDocument/diagnostic', { textDocument: { uri } }).then(
          (r: { items?: unknown[] } | null) => {
            lastMessage = performance.now();
            lastPublished.set(uri, lastMessage);
            for (let i = 0; i < waiters.length; i++) {
              if (waiters[i].uri !== uri) continue;
              waiters.splice(i, 1)[0].resolve(r?.items?.length ?? 0);
              break;
            }
          },
          () => undefined,
        );
      });
      return got;
    };
  }
  await conn.sendNotification('initialized', {});
  const first = next(ws.a.uri);
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: ws.a.uri, languageId: 'sql', version: 1, text: ws.a.text } });
  const diagnostics = await first;
  const spawnMs = performance.now() - t0;
  const pids = [child.pid as number, ...(target.helperPids?.(child) ?? [])];
  const spawnCpuMs = sum(pids.map(processCpuMs));

  // let the server finish what it does after the first diagnostics (workspace scan, the analysis)
  const quiet = async (): Promise<void> => {
    // no message for 300 ms and no CPU time used for as long (a long analysis sends nothing until it is done)
    let cpu = sum(pids.map(processCpuMs));
    const give = performance.now() + 30_000; // a profiled server never looks idle
    while (performance.now() < give) {
      await sleep(300);
      const now = sum(pids.map(processCpuMs));
      if (performance.now() - lastMessage >= 300 && (now === cpu || Number.isNaN(now))) return;
      cpu = now;
    }
  };
  await quiet();
  const spawnCompleteMs = (lastPublished.get(ws.a.uri) ?? NaN) - t0;

  const opened = next(ws.b.uri);
  const o0 = performance.now();
  await conn.sendNotification('textDocument/didOpen', { textDocument: { uri: ws.b.uri, languageId: 'sql', version: 1, text: ws.b.text } });
  await opened;
  const openMs = performance.now() - o0;
  await quiet();
  const openCompleteMs = (lastPublished.get(ws.b.uri) ?? NaN) - o0;

  let text = ws.a.text;
  const edits: number[] = [];
  let missed = 0;
  const cpuBefore = sum(pids.map(processCpuMs));
  for (let k = 0; k < editCount; k++) {
    const at = editOffset(text, k);
    const pos = position(text, at);
    text = text.slice(0, at) + ' ' + text.slice(at);
    const got = next(ws.a.uri, EDIT_TIMEOUT_MS);
    const e0 = performance.now();
    await conn.sendNotification('textDocument/didChange', {
      textDocument: { uri: ws.a.uri, version: k + 2 },
      contentChanges: [{ range: { start: pos, end: pos }, text: ' ' }],
    });
    try {
      await got;
      edits.push(performance.now() - e0);
    } catch {
      missed++;
    }
  }
  const editCpuMs = (sum(pids.map(processCpuMs)) - cpuBefore) / Math.max(1, editCount);
  const mem = pids.map(processMemory).filter((m): m is NonNullable<typeof m> => !!m);
  return {
    spawnMs,
    spawnCompleteMs,
    spawnCpuMs: Number.isNaN(spawnCpuMs) ? undefined : spawnCpuMs,
    openMs,
    openCompleteMs,
    edits,
    editCpuMs: Number.isNaN(editCpuMs) ? undefined : editCpuMs,
    missed,
    rssMiB: mem.length ? sum(mem.map((m) => m.rssMiB)) : undefined,
    peakRssMiB: mem.length ? sum(mem.map((m) => m.peakRssMiB)) : undefined,
    diagnostics,
  };
}

function sum(xs: number[]): number {
  return xs.reduce((a, b) => a + b, 0);
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Our server: the bundle as the extension starts it, with the debounce set to 0. */
export function ourServer(): LspTarget {
  const server = path.join(ROOT, 'dist', 'server.js');
  if (!fs.existsSync(server)) throw new Error('dist/server.js is missing: run npm run build first');
  // CITUS_ROLLUPS_BENCH_NODE_ARGS: extra Node.js options for the server process (e.g. --cpu-prof), to look into it
  const nodeArgs = (process.env.CITUS_ROLLUPS_BENCH_NODE_ARGS ?? '').split(' ').filter(Boolean);
  return { name: 'Citus Rollups', command: process.execPath, args: [...nodeArgs, server, '--stdio'], initializationOptions: { debounceMs: 0 } };
}

/** The edits measured per session (the first WARMUP are left out of the percentiles). */
const editCounts = (process.env.CITUS_ROLLUPS_BENCH_EDITS ?? '').split(',').map(Number);
/** The edits measured per session; CITUS_ROLLUPS_BENCH_EDITS=100,20 sets them (248 statements, 4,960 statements). */
export const EDITS = { 248: editCounts[0] || 200, 4960: editCounts[1] || 40 } as const;

/** The file sizes to measure (CITUS_ROLLUPS_BENCH_LSP_SIZES=248 or 4960: one only), as repeats of the corpus. */
export function lspRepeats(): number[] {
  const sizes = (process.env.CITUS_ROLLUPS_BENCH_LSP_SIZES ?? '248,4960').split(',').map((n) => Math.round(Number(n) / 248));
  return [1, 20].filter((r) => sizes.includes(r));
}
export const WARMUP = 5;

/** Edit latencies after the warm-up edits, sorted. */
export function steadyEdits(s: LspSession): number[] {
  return s.edits.slice(WARMUP).sort((a, b) => a - b);
}

export async function run(): Promise<Figure[]> {
  const target = ourServer();
  const rounds = Number(process.env.CITUS_ROLLUPS_BENCH_ROUNDS ?? 3);
  const out: Figure[] = [];
  for (const repeat of lspRepeats()) {
    const ws = lspWorkspace(repeat);
    const n = ws.statements.toLocaleString('en-US');
    const sessions: LspSession[] = [];
    try {
      for (let r = 0; r < rounds; r++) sessions.push(await lspSession(target, ws, repeat === 1 ? EDITS[248] : EDITS[4960]));
    } finally {
      fs.rmSync(ws.root, { recursive: true, force: true });
    }
    const edits = sessions.flatMap(steadyEdits).sort((a, b) => a - b);
    const med = (f: (s: LspSession) => number | undefined): number => round(median(sessions.map(f).filter((x): x is number => x !== undefined)));
    out.push(
      { name: `spawn -> first diagnostics (${n} statements), median of ${rounds}`, value: med((s) => s.spawnMs), unit: 'ms', target: repeat === 1 ? '<= 2x node -e ""' : undefined },
      { name: `  server CPU time until then`, value: med((s) => s.spawnCpuMs), unit: 'ms' },
      { name: `spawn -> complete diagnostics (${n} statements)`, value: med((s) => s.spawnCompleteMs), unit: 'ms' },
      { name: `didOpen -> first diagnostics (${n} statements)`, value: med((s) => s.openMs), unit: 'ms', target: repeat === 1 ? '<= 100 ms' : undefined },
      { name: `didOpen -> complete diagnostics (${n} statements)`, value: med((s) => s.openCompleteMs), unit: 'ms' },
      { name: `edit -> diagnostics p50 (${n} statements, no debounce)`, value: round(percentile(edits, 50)), unit: 'ms' },
      { name: `edit -> diagnostics p95 (${n} statements, no debounce)`, value: round(percentile(edits, 95)), unit: 'ms', target: repeat === 1 ? "<= squawk's" : '<= 60 ms' },
      { name: `  server CPU time per edit (mean)`, value: med((s) => s.editCpuMs), unit: 'ms' },
      { name: `  edits without diagnostics`, value: sessions.reduce((a, s) => a + s.missed, 0), unit: `of ${sessions.reduce((a, s) => a + s.edits.length + s.missed, 0)}` },
      { name: `server RSS after the edits (${n} statements)`, value: med((s) => s.rssMiB), unit: 'MiB' },
      { name: `server peak RSS (${n} statements)`, value: med((s) => s.peakRssMiB), unit: 'MiB' },
    );
  }
  return out;
}
