/**
 * Loads a bundle (dist/cli-main.js, dist/server-main.js) with V8's code cache: the first run compiles the
 * bundle's megabyte of JavaScript and saves the compiled code; later runs read it back instead of compiling
 * again (a one-file `lint` starts about 20 ms sooner, see docs/benchmarks.md). Node.js 22 has this built in
 * (module.enableCompileCache); this works on every Node.js and Electron the project supports.
 *
 * The cache lives in the user's own cache folder ($XDG_CACHE_HOME or ~/.cache, %LOCALAPPDATA% on Windows:
 * citus-rollups/code-cache), never in a shared temporary folder: compiled code from a folder another user can
 * write would be code they chose. A folder that is not the user's, or not private, is not used. V8 checks the
 * cache against the source and its own version and flags, and rejects one that does not fit; the file name has
 * the bundle's size and time and V8's version, so each build and each Node.js or Electron gets its own.
 * CITUS_ROLLUPS_NO_CODE_CACHE=1 turns it off (the benchmarks measure both).
 */
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import * as vm from 'node:vm';

export interface LoadedBundle {
  /** the bundle's `module.exports` */
  exports: Record<string, unknown>;
  /** whether the compiled code came from the cache */
  fromCache: boolean;
  /** writes the code cache when there was none that fit (call it once the bundle has done its first work) */
  saveCache(): void;
}

/**
 * Runs `file` as a CommonJS module of its own folder, with the code cache when one fits. `variant` names the V8
 * flags the caller set (V8 rejects a cache made under other flags): each variant has its own cache file.
 */
export function loadBundle(file: string, variant = ''): LoadedBundle {
  // (a `#!` line is not JavaScript inside the function the module is wrapped in: blank it, keeping line numbers)
  const source = fs.readFileSync(file, 'utf8').replace(/^#!.*/, '');
  const cacheFile = process.env.CITUS_ROLLUPS_NO_CODE_CACHE ? undefined : cachePath(file, variant);
  let cachedData: Buffer | undefined;
  try {
    if (cacheFile) cachedData = fs.readFileSync(cacheFile);
  } catch {
    // no cache yet
  }
  const script = new vm.Script(`(function (exports, require, module, __filename, __dirname) {${source}\n})`, { filename: file, cachedData });
  // the bundle's require() resolves from its own folder (what it leaves external), as when it is run directly
  const mod = { exports: {} as Record<string, unknown> };
  const run = script.runInThisContext() as (...args: unknown[]) => void;
  run.call(mod.exports, mod.exports, createRequire(file), mod, file, path.dirname(file));
  const fromCache = cachedData !== undefined && !script.cachedDataRejected;
  let saved = fromCache;
  return {
    exports: mod.exports,
    fromCache,
    saveCache: () => {
      if (saved || !cacheFile) return;
      saved = true;
      try {
        const temporary = `${cacheFile}.${process.pid}.tmp`;
        fs.writeFileSync(temporary, script.createCachedData(), { mode: 0o600 });
        fs.renameSync(temporary, cacheFile); // whole or not at all, whatever runs at the same time
        // the caches of earlier builds of this bundle are of no use any more
        const dir = path.dirname(cacheFile);
        const prefix = cachePrefix(file, variant);
        for (const old of fs.readdirSync(dir)) {
          if (old !== path.basename(cacheFile) && old.startsWith(prefix) && /^\d/.test(old.slice(prefix.length))) fs.rmSync(path.join(dir, old), { force: true });
        }
      } catch {
        // a cache that cannot be written is only a slower start next time
      }
    },
  };
}

/** The cache file for `file`, in a private folder of this user; undefined when there is none. */
function cachePath(file: string, variant: string): string | undefined {
  try {
    const base = process.env.XDG_CACHE_HOME || (process.platform === 'win32' ? process.env.LOCALAPPDATA : undefined) || path.join(os.homedir(), '.cache');
    if (!path.isAbsolute(base)) return undefined;
    const dir = path.join(base, 'citus-rollups', 'code-cache');
    fs.mkdirSync(dir, { recursive: true, mode: 0o700 });
    if (process.platform !== 'win32') {
      const stat = fs.statSync(dir);
      if (stat.uid !== process.getuid?.() || (stat.mode & 0o022) !== 0) return undefined;
    }
    const bundle = fs.statSync(file);
    const key = `${bundle.size}-${Math.round(bundle.mtimeMs)}-${process.versions.v8}-${process.arch}`;
    return path.join(dir, `${cachePrefix(file, variant)}${key}.bin`);
  } catch {
    return undefined;
  }
}

/** The start of the cache files' names of one bundle and variant (the rest, from a digit on, is the build). */
function cachePrefix(file: string, variant: string): string {
  return `${path.basename(file, '.js')}-${variant ? `${variant}-` : ''}`;
}
