/**
 * `lint --cache`: each reported file's analysis, kept in one file between runs and used again when nothing it depends
 * on changed. A file's analysis depends on its text and name, the rule settings, the date (AnalyzeOptions.today), the
 * base model's inputs (the config, the snapshot, the schema files: project.ts baseModelInputs), the documents whose DDL
 * its model is built from (parallel.ts LintSession.modelDocuments: the project's files that change a model, in the
 * order they are applied) and the code that analyses it: a file's key is a hash of all of them, and an entry is used
 * only when its key is the key the file has now. Editing a rollup script makes only that file analysed again; editing
 * a migration or the schema, every file whose model holds it. The report is the same, byte for byte, as without the
 * cache (test/cli/cache.test.ts).
 *
 * The cache file is JSON (format 1): the code's identity and, per file (by absolute path), its key and analysis. One of
 * another format or code, or one that does not read, is taken as empty and written anew; an entry whose file is gone
 * is dropped when the cache is written; one that cannot be written is said on standard error and changes nothing else.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { DocumentAnalysis } from '../core/types';
import { VERSION } from './version';

/** The cache file in the current folder when --cache-location does not say otherwise (as ESLint's `.eslintcache`). */
export const DEFAULT_CACHE_LOCATION = '.citus-rollups-cache';

const FORMAT = 1;

interface Entry {
  key: string;
  analysis: DocumentAnalysis;
}

interface CacheFile {
  format: number;
  identity: string;
  files: Record<string, Entry>;
}

/**
 * The code that analyses: the version, and the size and time of the running bundle (dist/cli-main.js; this module's
 * own file when run from source, in the tests), so that another build never uses this one's results (every build or
 * install writes the bundle anew). Its size and time, not a hash of it: hashing 2 MB costs more than the whole cache.
 */
let identity: string | undefined;
export function codeIdentity(): string {
  if (identity === undefined) {
    const st = fs.statSync(__filename, { throwIfNoEntry: false });
    // (no file to look at: a value of this process only, so that nothing is used again)
    identity = `${VERSION}:${st ? `${st.size}:${st.mtimeMs}` : `${process.pid}:${Date.now()}`}`;
  }
  return identity;
}

/** A hash of the parts, each delimited by its length (no two lists of parts hash alike by concatenation). */
export function sha256(parts: readonly string[]): string {
  // node:crypto loads only with --cache (it is ~10 ms of a run's start-up)
  const h = (require('node:crypto') as typeof import('node:crypto')).createHash('sha256');
  for (const p of parts) h.update(`${p.length}:`).update(p);
  return h.digest('hex');
}

export class LintCache {
  hits = 0;
  misses = 0;
  private readonly updated = new Map<string, Entry>();

  private constructor(
    /** the cache file */
    readonly file: string,
    private readonly identity: string,
    private readonly entries: Record<string, Entry>,
  ) {}

  /**
   * The cache at `location` (a file, or a folder to keep `.citus-rollups-cache` in; default: that file in `cwd`), read
   * if it is there and was written by this code.
   */
  static open(location: string | undefined, cwd: string, code = codeIdentity()): LintCache {
    let file = path.resolve(cwd, location ?? DEFAULT_CACHE_LOCATION);
    if (fs.statSync(file, { throwIfNoEntry: false })?.isDirectory()) file = path.join(file, DEFAULT_CACHE_LOCATION);
    let entries: Record<string, Entry> = Object.create(null) as Record<string, Entry>;
    try {
      const data = JSON.parse(fs.readFileSync(file, 'utf8')) as Partial<CacheFile>;
      if (data && data.format === FORMAT && data.identity === code && data.files && typeof data.files === 'object') entries = Object.assign(entries, data.files);
    } catch {
      // no cache yet, or one that does not read: start empty (it is written anew)
    }
    return new LintCache(file, code, entries);
  }

  /** The analysis kept for the file at `source` under `key`, if there is one. */
  get(source: string, key: string): DocumentAnalysis | undefined {
    const e = this.entries[source];
    if (e && e.key === key && Array.isArray(e.analysis?.statements) && Array.isArray(e.analysis?.findings)) {
      this.hits++;
      return e.analysis;
    }
    this.misses++;
    return undefined;
  }

  /** Keeps a new analysis; one with an internal error is not kept (the next run analyses the file again and says so). */
  set(source: string, key: string, analysis: DocumentAnalysis): void {
    if (analysis.findings.some((f) => f.internal)) return;
    this.updated.set(source, { key, analysis: { statements: analysis.statements, findings: analysis.findings } });
  }

  /**
   * Writes the cache (to a temporary file renamed over the old one: a run that stops halfway, or another run writing at
   * the same time, leaves a whole file). Entries of files not linted this run stay while their file exists. Returns
   * why it could not be written, or undefined.
   */
  save(): string | undefined {
    const files: Record<string, Entry> = {};
    for (const [source, e] of Object.entries(this.entries)) if (!this.updated.has(source) && fs.existsSync(source)) files[source] = e;
    for (const [source, e] of this.updated) files[source] = e;
    const tmp = `${this.file}.${process.pid}.tmp`;
    try {
      fs.writeFileSync(tmp, JSON.stringify({ format: FORMAT, identity: this.identity, files } satisfies CacheFile));
      fs.renameSync(tmp, this.file);
      return undefined;
    } catch (e) {
      fs.rmSync(tmp, { force: true });
      return (e as NodeJS.ErrnoException).code ?? (e as Error).message;
    }
  }
}
