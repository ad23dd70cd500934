/**
 * What the benchmarks share: the Figure they report, statistics, the corpus statements, initializing our
 * language server like VS Code, and reading a process' time and memory the way `time` and `/proc` report them.
 */
import { spawn, spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { pathToFileURL } from 'node:url';
import type { ProtocolConnection } from 'vscode-languageserver-protocol/node';

export interface Figure {
  name: string;
  value: number;
  unit: string;
  target?: string;
}

const CORPUS = path.join(__dirname, '..', 'test', 'fixtures', 'citus-corpus');

let statements: string[] | undefined;

/** The 248 statements of the recorded corpus (statements.jsonl), without their trailing `;`. */
export function corpusStatements(): string[] {
  statements ??= fs
    .readFileSync(path.join(CORPUS, 'statements.jsonl'), 'utf8')
    .split('\n')
    .filter((l) => l.trim())
    .map((l) => (JSON.parse(l) as { sql: string }).sql.replace(/;\s*$/, ''));
  return statements;
}

export const CORPUS_SCHEMA = path.join(CORPUS, 'schema.sql');

export function median(xs: number[]): number {
  if (xs.length === 0) return NaN;
  const s = [...xs].sort((a, b) => a - b);
  const mid = s.length >> 1;
  return s.length % 2 ? s[mid] : (s[mid - 1] + s[mid]) / 2;
}

/** The p-th percentile of sorted values (nearest rank). */
export function percentile(sorted: number[], p: number): number {
  if (sorted.length === 0) return NaN;
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export function round(x: number, digits = 1): number {
  const f = 10 ** digits;
  return Math.round(x * f) / f;
}

/** Resident and peak resident memory of a running process (Linux /proc), or undefined elsewhere. */
export function processMemory(pid: number): { rssMiB: number; peakRssMiB: number } | undefined {
  try {
    const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
    const kb = (field: string): number => Number(new RegExp(`^${field}:\\s+(\\d+)`, 'm').exec(status)?.[1] ?? NaN);
    return { rssMiB: round(kb('VmRSS') / 1024), peakRssMiB: round(kb('VmHWM') / 1024) };
  } catch {
    return undefined;
  }
}

/** CPU time (user + system) a running process has used so far (Linux /proc), NaN elsewhere. */
export function processCpuMs(pid: number): number {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    // the fields after the command name (which is in parentheses and may contain spaces)
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]); // utime, stime
    return (ticks * 1000) / clockTicksPerSecond();
  } catch {
    return NaN;
  }
}

let ticksPerSecond: number | undefined;
function clockTicksPerSecond(): number {
  if (ticksPerSecond === undefined) {
    const r = spawnSync('getconf', ['CLK_TCK'], { encoding: 'utf8' });
    ticksPerSecond = Number(r.stdout.trim()) || 100;
  }
  return ticksPerSecond;
}

/** One finished process: wall time measured here, CPU time and peak memory as GNU time reports them. */
export interface ProcessRun {
  wallMs: number;
  /** user + system CPU time (10 ms resolution), when GNU time is available */
  cpuMs?: number;
  peakRssMiB?: number;
  exitCode: number | null;
  stdoutBytes: number;
  stderr: string;
}

const GNU_TIME = ['/usr/bin/time', '/bin/time'].find((p) => {
  try {
    return spawnSync(p, ['-f', '%M', 'true'], { encoding: 'utf8' }).status === 0;
  } catch {
    return false;
  }
});

export function hasGnuTime(): boolean {
  return GNU_TIME !== undefined;
}

/** A command the process benchmarks run. */
export interface Command {
  command: string;
  args: string[];
  cwd: string;
  env?: NodeJS.ProcessEnv;
}

/** Runs a command to completion, standard output discarded (counted), standard error kept. */
export function timeProcess({ command, args, cwd, env }: Command): Promise<ProcessRun> {
  const report = GNU_TIME ? path.join(os.tmpdir(), `citus-bench-time-${process.pid}-${Math.random().toString(36).slice(2)}`) : undefined;
  const argv = GNU_TIME ? ['-f', '%U %S %M', '-o', report as string, command, ...args] : args;
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = spawn(GNU_TIME ?? command, argv, { cwd, env: { ...process.env, ...env }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdoutBytes = 0;
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdoutBytes += d.length));
    child.stderr.on('data', (d: Buffer) => (stderr = (stderr + d.toString()).slice(-10_000)));
    child.on('error', reject);
    child.on('close', (exitCode) => {
      const wallMs = performance.now() - t0;
      let cpuMs: number | undefined;
      let peakRssMiB: number | undefined;
      if (report) {
        try {
          // GNU time prints "Command exited with non-zero status N" before the format line
          const last = fs.readFileSync(report, 'utf8').trim().split('\n').pop() ?? '';
          const [user, sys, maxKb] = last.split(' ').map(Number);
          cpuMs = (user + sys) * 1000;
          peakRssMiB = round(maxKb / 1024);
        } catch {
          // no report: leave the figures out
        }
        fs.rmSync(report, { force: true });
      }
      resolve({ wallMs, cpuMs, peakRssMiB, exitCode, stdoutBytes, stderr });
    });
  });
}

/**
 * Runs every command `rounds` times, interleaved (round r runs each command once, in an order that rotates),
 * so that load from other processes on the machine hits them alike; returns the runs per command.
 */
export async function interleaved(commands: Command[], rounds: number): Promise<ProcessRun[][]> {
  const runs: ProcessRun[][] = commands.map(() => []);
  for (let r = 0; r < rounds; r++) {
    for (let k = 0; k < commands.length; k++) {
      const i = (k + r) % commands.length;
      const c = commands[i];
      runs[i].push(await timeProcess(c));
    }
  }
  return runs;
}

/** Median of a figure over runs (undefined values left out). */
export function medianOf<T>(runs: T[], f: (r: T) => number | undefined): number {
  return median(runs.map(f).filter((x): x is number => x !== undefined && !Number.isNaN(x)));
}

/**
 * Initializes our language server over `conn` as VS Code does (configuration, workspace folders, file
 * watching; snippet completions when asked), with the root as the one workspace folder. `processId` is null
 * for an in-process server: vscode-languageserver watches the client's process with an interval timer,
 * which would keep the benchmark alive.
 */
export async function initializeServer(conn: ProtocolConnection, root: string, options: { debounceMs: number; processId: number | null; snippets?: boolean }): Promise<void> {
  conn.onRequest('workspace/configuration', (p: { items: unknown[] }) => p.items.map(() => ({})));
  conn.onRequest('client/registerCapability', () => null);
  conn.onNotification('window/logMessage', () => undefined);
  conn.onNotification('citus/status', () => undefined);
  conn.listen();
  const rootUri = pathToFileURL(root).href;
  await conn.sendRequest('initialize', {
    processId: options.processId,
    rootUri,
    workspaceFolders: [{ uri: rootUri, name: 'bench' }],
    capabilities: {
      workspace: { configuration: true, workspaceFolders: true, didChangeWatchedFiles: { dynamicRegistration: true } },
      ...(options.snippets ? { textDocument: { completion: { completionItem: { snippetSupport: true } } } } : {}),
    },
    initializationOptions: { debounceMs: options.debounceMs },
  });
  await conn.sendNotification('initialized', {});
}
