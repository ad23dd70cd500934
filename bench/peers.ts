/**
 * Side by side with the native peers, on the same SQL and the same machine: squawk and
 * postgres-language-server (pgls), both Rust binaries shipped in npm packages. They are installed into a
 * cache folder outside the repository (`$XDG_CACHE_HOME/citus-rollups/bench-peers`, or ~/.cache/...), never into
 * the project, and run as native binaries (not through their Node.js wrapper scripts).
 *
 * Every figure is paired: each round runs every tool once, in a rotating order, and the table shows the
 * medians and our ratio to each peer. The CLI rows are whole processes (bench/measure.ts timeProcess); the
 * LSP rows are sessions of bench/lsp.ts (spawn -> first diagnostics, didOpen -> diagnostics, one-character
 * edits -> next diagnostics, with our debounce at 0 and the peers' as they ship).
 */
import { execFileSync, spawnSync, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { bundles, cliFiles } from './cli';
import { EDITS, lspRepeats, lspSession, lspWorkspace, ourServer, steadyEdits, type LspSession, type LspTarget } from './lsp';
import { interleaved, median, medianOf, percentile, round, type Command, type Figure, type ProcessRun } from './measure';

/** The versions the issue's table was measured with. */
export const PEERS = { squawk: 'squawk-cli@2.66.0', pgls: '@postgres-language-server/cli@0.25.5' } as const;

export function peersDir(): string {
  const cache = process.env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache');
  return path.join(cache, 'citus-rollups', 'bench-peers');
}

/** Finds the platform binary an npm package installed as an optional dependency (`@scope/<platform>/.../name`). */
function findBinary(scopeDir: string, name: string): string | undefined {
  if (!fs.existsSync(scopeDir)) return undefined;
  for (const entry of fs.readdirSync(scopeDir, { recursive: true, withFileTypes: true })) {
    const file = path.join(entry.parentPath ?? entry.path, entry.name);
    if (entry.isFile() && (entry.name === name || entry.name === `${name}.exe`)) return file;
  }
  return undefined;
}

export interface PeerBinaries {
  squawk: string;
  pgls: string;
}

/** Installs the peers with npm into the cache folder (once) and returns their native binaries. */
export function ensurePeers(): PeerBinaries {
  const dir = peersDir();
  const nm = path.join(dir, 'node_modules');
  const find = (): Partial<PeerBinaries> => ({
    squawk: findBinary(path.join(nm, '@squawk-cli'), 'squawk'),
    pgls: findBinary(path.join(nm, '@postgres-language-server'), 'postgres-language-server'),
  });
  let found = find();
  const versionsFile = path.join(dir, 'versions.json');
  const wanted = JSON.stringify(PEERS);
  if (!found.squawk || !found.pgls || (fs.existsSync(versionsFile) ? fs.readFileSync(versionsFile, 'utf8') : '') !== wanted) {
    fs.mkdirSync(dir, { recursive: true });
    if (!fs.existsSync(path.join(dir, 'package.json'))) fs.writeFileSync(path.join(dir, 'package.json'), '{ "private": true }\n');
    process.stdout.write(`  installing ${Object.values(PEERS).join(' ')} into ${dir} ...\n`);
    const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
    execFileSync(npm, ['install', '--no-audit', '--no-fund', '--save-exact', ...Object.values(PEERS)], { cwd: dir, stdio: ['ignore', 'ignore', 'inherit'] });
    fs.writeFileSync(versionsFile, wanted);
    found = find();
  }
  if (!found.squawk || !found.pgls) throw new Error(`the peers' native binaries are missing under ${nm} (no build for ${process.platform}-${process.arch}?)`);
  return found as PeerBinaries;
}

/**
 * pgls without a database (it reports syntax errors then): a config that turns the connection off, and a
 * private folder for its logs. Its LSP proxy starts a daemon, which is stopped before and after each session.
 */
function pglsSetup(binary: string): { configDir: string; env: NodeJS.ProcessEnv; stop: () => void; daemons: (child: ChildProcess) => number[] } {
  const configDir = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-bench-pgls-'));
  fs.writeFileSync(path.join(configDir, 'postgres-language-server.jsonc'), JSON.stringify({ db: { disableConnection: true } }, null, 2));
  const env = { ...process.env, PGT_LOG_PATH: path.join(configDir, 'logs') };
  const stop = (): void => {
    spawnSync(binary, ['stop'], { env, stdio: 'ignore', timeout: 5000 });
  };
  const daemons = (child: ChildProcess): number[] => {
    const out: number[] = [];
    try {
      for (const pid of fs.readdirSync('/proc').filter((p) => /^\d+$/.test(p))) {
        if (Number(pid) === child.pid) continue;
        let cmdline = '';
        try {
          cmdline = fs.readFileSync(`/proc/${pid}/cmdline`, 'utf8');
        } catch {
          continue;
        }
        if (cmdline.startsWith(binary) && !cmdline.includes('lsp-proxy')) out.push(Number(pid));
      }
    } catch {
      // no /proc: the daemon's memory is left out
    }
    return out;
  };
  return { configDir, env, stop, daemons };
}

interface Tool {
  name: string;
  cliOne: (files: ReturnType<typeof cliFiles>) => Command;
  cli4960: (files: ReturnType<typeof cliFiles>) => Command;
  lsp: LspTarget;
}

function tools(bin: PeerBinaries, pgls: ReturnType<typeof pglsSetup>): Tool[] {
  const { cli } = bundles();
  const node = process.execPath;
  return [
    {
      name: 'Citus Rollups',
      cliOne: (f) => ({ command: node, args: [cli, 'lint', f.one], cwd: f.dir }),
      cli4960: (f) => ({ command: node, args: [cli, 'lint', '--schema', f.schema, f.s4960], cwd: f.dir }),
      lsp: ourServer(),
    },
    {
      name: 'postgres-language-server',
      cliOne: (f) => ({ command: bin.pgls, args: ['check', `--config-path=${pgls.configDir}`, f.one], cwd: f.dir }),
      cli4960: (f) => ({ command: bin.pgls, args: ['check', `--config-path=${pgls.configDir}`, f.s4960], cwd: f.dir }),
      lsp: { name: 'postgres-language-server', command: bin.pgls, args: ['lsp-proxy', `--config-path=${pgls.configDir}`], env: pgls.env, reset: pgls.stop, helperPids: pgls.daemons },
    },
    {
      name: 'squawk',
      cliOne: (f) => ({ command: bin.squawk, args: [f.one], cwd: f.dir }),
      cli4960: (f) => ({ command: bin.squawk, args: [f.s4960], cwd: f.dir }),
      lsp: { name: 'squawk', command: bin.squawk, args: ['server'] },
    },
  ];
}

function version(binary: string, args: string[]): string {
  const r = spawnSync(binary, args, { encoding: 'utf8', timeout: 10_000 });
  return (r.stdout || r.stderr).trim().split('\n')[0];
}

export async function run(): Promise<Figure[]> {
  const bin = ensurePeers();
  const pgls = pglsSetup(bin.pgls);
  const all = tools(bin, pgls);
  const cliRounds = Number(process.env.CITUS_ROLLUPS_BENCH_ROUNDS ?? 7);
  const lspRounds = Number(process.env.CITUS_ROLLUPS_BENCH_LSP_ROUNDS ?? 3);
  process.stdout.write(`  ${version(bin.pgls, ['--version'])} (postgres-language-server), ${version(bin.squawk, ['--version'])}, node ${process.version}\n`);

  // CLI: every tool and `node -e ''`, interleaved
  const files = cliFiles();
  let cliRuns: ProcessRun[][];
  try {
    const commands = [{ command: process.execPath, args: ['-e', ''], cwd: files.dir }, ...all.flatMap((t) => [t.cliOne(files), t.cli4960(files)])];
    cliRuns = await interleaved(commands, cliRounds);
  } finally {
    fs.rmSync(files.dir, { recursive: true, force: true });
  }
  const nodeE = cliRuns[0];
  const cliOne = all.map((_, i) => cliRuns[1 + 2 * i]);
  const cli4960 = all.map((_, i) => cliRuns[2 + 2 * i]);

  // LSP: sessions, the tools taking turns
  const sessions: Record<number, LspSession[][]> = {};
  try {
    for (const repeat of lspRepeats()) {
      const ws = lspWorkspace(repeat);
      sessions[repeat] = all.map(() => []);
      try {
        for (let r = 0; r < lspRounds; r++) {
          for (let k = 0; k < all.length; k++) {
            const i = (k + r) % all.length;
            sessions[repeat][i].push(await lspSession(all[i].lsp, ws, repeat === 1 ? EDITS[248] : EDITS[4960]));
          }
        }
      } finally {
        fs.rmSync(ws.root, { recursive: true, force: true });
      }
    }
  } finally {
    pgls.stop();
    fs.rmSync(pgls.configDir, { recursive: true, force: true });
  }

  const rows: { label: string; cells: string[]; values: number[] }[] = [];
  const wall = (runs: ProcessRun[]): number => medianOf(runs, (x) => x.wallMs);
  const peak = (runs: ProcessRun[]): number => medianOf(runs, (x) => x.peakRssMiB);
  rows.push({ label: 'CLI, one-statement file (wall, peak)', values: cliOne.map(wall), cells: cliOne.map((r) => `${fmt(wall(r))} ms, ${fmt(peak(r))} MiB`) });
  rows.push({ label: 'CLI, 4,960 statements (wall, peak)', values: cli4960.map(wall), cells: cli4960.map((r) => `${fmt(wall(r))} ms, ${fmt(peak(r))} MiB`) });
  for (const repeat of lspRepeats()) {
    const n = repeat === 1 ? '248' : '4,960';
    const per = sessions[repeat];
    const range = (xs: number[]): string => (xs.length ? `${fmt(Math.min(...xs))}–${fmt(Math.max(...xs))}` : 'n/a');
    const timing = (label: string, f: (x: LspSession) => number): void => {
      rows.push({ label, values: per.map((s) => median(s.map(f))), cells: per.map((s) => `${fmt(median(s.map(f)))} ms (${range(s.map(f))})`) });
    };
    timing(`LSP: spawn → first diagnostics (${n})`, (x) => x.spawnMs);
    timing(`LSP: spawn → complete diagnostics (${n})`, (x) => x.spawnCompleteMs);
    timing(`LSP: didOpen → first diagnostics (${n})`, (x) => x.openMs);
    timing(`LSP: didOpen → complete diagnostics (${n})`, (x) => x.openCompleteMs);
    const edits = per.map((s) => s.flatMap(steadyEdits).sort((a, b) => a - b));
    rows.push({ label: `LSP: one-character edit → next diagnostics, p50 (${n})`, values: edits.map((e) => percentile(e, 50)), cells: edits.map((e) => `${fmt(percentile(e, 50))} ms`) });
    rows.push({ label: `LSP: one-character edit → next diagnostics, p95 (${n})`, values: edits.map((e) => percentile(e, 95)), cells: edits.map((e, i) => `${fmt(percentile(e, 95))} ms${per[i].some((s) => s.missed) ? ` (${per[i].reduce((a, s) => a + s.missed, 0)} edits unanswered)` : ''}`) });
    rows.push({ label: `LSP: server RSS after the edits (${n})`, values: per.map((s) => median(s.map((x) => x.rssMiB ?? NaN))), cells: per.map((s) => `${fmt(median(s.map((x) => x.rssMiB ?? NaN)))} MiB`) });
  }

  // the table, as docs/benchmarks.md shows it
  const header = `| | ${all.map((t) => t.name).join(' | ')} | ours / ${all.slice(1).map((t) => t.name).join(', ours / ')} |`;
  const lines = [header, `|---|${all.map(() => '---|').join('')}---|`];
  for (const row of rows) {
    const ratios = row.values.slice(1).map((v) => fmtRatio(row.values[0] / v));
    lines.push(`| ${row.label} | ${row.cells.join(' | ')} | ${ratios.join(', ')} |`);
  }
  lines.push(`| \`node -e ''\` (wall, peak) | ${fmt(wall(nodeE))} ms, ${fmt(peak(nodeE))} MiB | | | |`);
  process.stdout.write(`\n  medians: CLI over ${cliRounds} interleaved rounds, LSP over ${lspRounds} sessions per tool (edits: ${EDITS[248]} / ${EDITS[4960]} per session)\n\n`);
  process.stdout.write(lines.map((l) => `  ${l}`).join('\n') + '\n\n');

  const ours = (label: string): number => rows.find((r) => r.label === label)?.values[0] ?? NaN;
  const squawkEdit = rows.find((r) => r.label.startsWith('LSP: one-character edit → next diagnostics, p95 (248)'))?.values[2] ?? NaN;
  return [
    { name: "CLI one statement / node -e ''", value: round(ours('CLI, one-statement file (wall, peak)') / wall(nodeE), 2), unit: 'ratio', target: '<= 2.0' },
    { name: "LSP spawn -> first diagnostics (248) / node -e ''", value: round(ours('LSP: spawn → first diagnostics (248)') / wall(nodeE), 2), unit: 'ratio', target: '<= 2.0' },
    { name: "edit p95 (248): ours / squawk's", value: round(ours('LSP: one-character edit → next diagnostics, p95 (248)') / squawkEdit, 2), unit: 'ratio', target: '<= 1.0' },
    { name: 'edit p95 (4,960)', value: round(ours('LSP: one-character edit → next diagnostics, p95 (4,960)')), unit: 'ms', target: '<= 60 ms' },
    { name: 'didOpen -> first diagnostics (248)', value: round(ours('LSP: didOpen → first diagnostics (248)')), unit: 'ms', target: '<= 100 ms' },
    { name: 'didOpen -> complete diagnostics (248)', value: round(ours('LSP: didOpen → complete diagnostics (248)')), unit: 'ms', target: '<= 100 ms' },
  ];
}

function fmt(x: number): string {
  if (Number.isNaN(x)) return 'n/a';
  return x >= 100 ? String(Math.round(x)) : x.toFixed(1);
}

function fmtRatio(x: number): string {
  if (!Number.isFinite(x)) return 'n/a';
  return x >= 10 ? `${Math.round(x)}×` : `${x.toFixed(2)}×`;
}
