/**
 * `citus-rollups lint`: analyses files (or standard input) against a table model built from the project config,
 * --catalog, --schema and the DDL of the project's files, and reports in one of the formats of ./reporters.
 */
import * as path from 'node:path';
import { parseArgs } from 'node:util';
import { citusVersionNote } from '../core/config';
import { loadParser } from '../core/parse/libpg';
import { LineIndex } from '../core/parse/offsets';
import type { DocumentAnalysis } from '../core/types';
import { DEFAULT_CACHE_LOCATION, LintCache, sha256 } from './cache';
import { analyzeInParallel, jobsOption, LintSession, threadCount, type LintInputs, type ReportedFile } from './parallel';
import { baseModelInputs, collectSqlFiles, configFor, isInProject, projectFiles, readText, ruleSeverities, UsageError, writeOutput, type CliIO } from './project';
import { FORMATS, isFormat, report } from './reporters';
import type { LintedFile } from './reporters/model';
import { todayUtc } from '../core/schema/currentTime';

const HELP = `Usage: citus-rollups lint [options] PATH...
       citus-rollups lint [options] --stdin [--stdin-filename PATH] < file.sql

Predicts how Citus runs each INSERT..SELECT and reports findings. PATH: files or folders (searched
recursively for *.sql, *.psql, *.pgsql).

  --config FILE          the project config (default: the nearest citus-rollups.json upward from the
                         paths; see docs/config.md)
  --rule ID=SEVERITY     error, warning, information, hint or off for one rule (repeatable; wins over
                         the config)
  --schema FILE          DDL that only feeds the table model (not reported); repeatable
  --catalog FILE         a metadata snapshot (see docs/snapshot-format.md); replaces the config's
  --stdin                read the SQL from standard input
  --stdin-filename PATH  the name standard input is reported under (and finds the config by); its file
                         on disk, if any, is replaced by standard input in the schema
  --format FORMAT        ${FORMATS.join(', ')} (default text)
  -o FILE                write the report to FILE
  -j, --jobs N|auto      threads to analyse on (default 1, at most 16; auto: one per core, at most 4,
                         for 200 kB of SQL or more); the same report, sooner for large inputs only, with
                         more memory
  --cache                keep each file's results in a cache file and use them again in later runs
                         while nothing the file's analysis depends on changed (its text, the schema
                         files and DDL its model is built from, the config, the rule settings, the
                         date, this tool's version)
  --cache-location PATH  the cache file, or a folder to keep it in (default ./${DEFAULT_CACHE_LOCATION})

Exit status: 0 no error-severity finding, 1 errors found, 2 usage, config or I/O error.`;

export async function runLint(args: string[], io: CliIO): Promise<number> {
  const timings = new Timings();
  // the parser's WebAssembly loads while the arguments, the config and the files are read
  const parser = loadParser();
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      config: { type: 'string' },
      rule: { type: 'string', multiple: true, default: [] },
      schema: { type: 'string', multiple: true, default: [] },
      catalog: { type: 'string' },
      stdin: { type: 'boolean', default: false },
      'stdin-filename': { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string', short: 'o' },
      jobs: { type: 'string', short: 'j' },
      cache: { type: 'boolean', default: false },
      'cache-location': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (!isFormat(format)) throw new UsageError(`--format must be one of ${FORMATS.join(', ')} (got '${format}')`);
  const jobs = jobsOption(values.jobs);
  const stdinName = values['stdin-filename'];
  if (stdinName !== undefined && !values.stdin) throw new UsageError('--stdin-filename goes with --stdin');
  if (values.stdin && positionals.length > 0) throw new UsageError(`--stdin reads standard input: give no PATH (got ${positionals.join(' ')})`);
  if (!values.stdin && positionals.length === 0) throw new UsageError('lint needs at least one PATH, or --stdin');
  if (values.stdin && !io.readStdin) throw new UsageError('--stdin: no standard input');
  if (values['cache-location'] !== undefined && !values.cache) throw new UsageError('--cache-location goes with --cache');

  const config = configFor(values.stdin ? [stdinName ?? '.'] : positionals, values.config);
  const severities = ruleSeverities(config, values.rule ?? []);
  const note = config && citusVersionNote(config.config);
  if (note) io.stderr(`citus-rollups: note: ${note}\n`);

  // the files reported: standard input, or the paths (less what the config excludes)
  let reported: Array<{ path: string; source: string; text: string }>;
  if (values.stdin) {
    const text = await (io.readStdin as () => Promise<string>)();
    reported = [{ path: stdinName ?? '<stdin>', source: path.resolve(stdinName ?? '<stdin>'), text }];
  } else {
    const found = collectSqlFiles(positionals);
    if (found.length === 0) throw new UsageError(`no .sql files found in ${positionals.join(', ')}`);
    const kept = config ? found.filter((f) => isInProject(config, f)) : found;
    if (kept.length === 0) {
      io.stderr(`citus-rollups: every file given is excluded by ${config?.file}: nothing to lint\n`);
      return 0;
    }
    reported = kept.map((f) => ({ path: f, source: path.resolve(f), text: readText(f) }));
  }
  timings.mark('read');
  await parser;
  timings.mark('parser');
  // the schema: every file of the project (as the editor reads it), with the reported texts in place of the disk
  // (each parsed when a model first needs it: a file linted alone is parsed once, by its own analysis)
  const documents = new Map<string, string>();
  for (const f of config ? projectFiles(config) : []) documents.set(f, readText(f));
  for (const r of reported) documents.set(r.source, r.text);
  const inputs: LintInputs = { config, catalog: values.catalog, schemaFiles: values.schema ?? [], severities, today: todayUtc(new Date()), documents: [...documents].map(([source, text]) => ({ source, text })) };
  const session = await LintSession.open(inputs);
  timings.mark('model');

  // with --cache, the files whose analysis is kept under the key they have now are not analysed again
  const cache = values.cache ? LintCache.open(values['cache-location'], process.cwd()) : undefined;
  const keys = cache ? cacheKeys(session, inputs, reported) : [];
  const kept = reported.map((r, i) => cache?.get(r.source, keys[i]));
  const todo = reported.filter((_, i) => !kept[i]);
  timings.mark('cache');

  const threads = threadCount(jobs, todo.reduce((n, r) => n + r.text.length, 0), io.workerScript !== undefined);
  let fresh: DocumentAnalysis[] | undefined;
  if (threads > 1) {
    try {
      fresh = await analyzeInParallel(session, inputs, todo, threads, io.workerScript as string);
    } catch (e) {
      // a thread that could not start or died (out of memory, say): the same analysis on this thread, nothing lost
      io.stderr(`citus-rollups: a worker thread failed (${(e as Error).message.split('\n')[0]}): analysing on one thread\n`);
    }
  }
  fresh ??= session.analyzeAll(todo);
  let next = 0;
  const analyses = reported.map((r, i) => {
    const k = kept[i];
    if (k) return k;
    const a = (fresh as DocumentAnalysis[])[next++];
    cache?.set(r.source, keys[i], a);
    return a;
  });
  const linted: LintedFile[] = reported.map((r, i) => {
    const analysis = analyses[i];
    const lines = new LineIndex(r.text);
    // a bug of ours stays inside its statement; its stack goes to standard error, the report goes on
    for (const f of analysis.findings) {
      if (f.internal) io.stderr(`citus-rollups: internal error in ${r.path}:${lines.position(f.range.start).line + 1}: ${f.internal}\n`);
    }
    return { path: r.path, text: r.text, analysis, lines };
  });

  timings.mark('analysis');
  const output = report(format, linted);
  timings.mark('report');
  if (values.output) writeOutput(values.output, output + '\n');
  else io.stdout(output + '\n');
  timings.mark('write');
  if (cache) {
    const failed = cache.save();
    if (failed) io.stderr(`citus-rollups: could not write the cache ${cache.file} (${failed}): the next run analyses every file again\n`);
    timings.mark('cache');
    timings.note('cacheHits', cache.hits);
  }
  timings.print(io);
  return linted.some((f) => f.analysis.findings.some((d) => d.severity === 'error')) ? 1 : 0;
}

/**
 * Each reported file's key in the cache (./cache.ts): a hash of what its analysis depends on. The texts of the
 * documents are hashed once each, the base model's inputs and the settings once per run.
 */
function cacheKeys(session: LintSession, inputs: LintInputs, reported: readonly ReportedFile[]): string[] {
  const run = sha256([...baseModelInputs(inputs), JSON.stringify(Object.entries(inputs.severities).sort()), inputs.today ?? '']);
  const digests = new Map<string, string>();
  const digest = (d: { source: string; text: string }): string => {
    let h = digests.get(d.source);
    if (h === undefined) digests.set(d.source, (h = sha256([d.text])));
    return h;
  };
  // (the documents as one part: a path holds no NUL, and a digest is 64 characters)
  return reported.map((r) => sha256([run, r.path, r.source, sha256([r.text]), session.modelDocuments(r.source).map((d) => `${d.source}\0${digest(d)}`).join('\0')]));
}

/**
 * With CITUS_ROLLUPS_TIMINGS set, `lint` prints where its time went on standard error, one JSON line of
 * milliseconds per phase (`start`: from the process' start to the command, i.e. Node.js and the bundle loading),
 * for the benchmarks (docs/benchmarks.md).
 */
class Timings {
  // (process.uptime, not performance.now: the first use of the global `performance` loads perf_hooks, a few
  // milliseconds of every run)
  private readonly phases: Record<string, number> = { start: process.uptime() * 1000 };
  private last = this.phases.start;

  mark(phase: string): void {
    const now = process.uptime() * 1000;
    this.phases[phase] = (this.phases[phase] ?? 0) + now - this.last;
    this.last = now;
  }

  /** A count printed with the phases (the cache's hits). */
  note(name: string, value: number): void {
    this.phases[name] = value;
  }

  print(io: CliIO): void {
    if (!process.env.CITUS_ROLLUPS_TIMINGS) return;
    io.stderr(`${JSON.stringify(Object.fromEntries(Object.entries(this.phases).map(([k, v]) => [k, Math.round(v * 10) / 10])))}\n`);
  }
}
