/**
 * What every subcommand shares: the IO they write to, usage errors, reading files, finding and loading the
 * project config (citus-rollups.json), the project's SQL files and the base table model. main.ts dispatches
 * to the subcommands; the subcommands import this module and nothing else of the CLI, so the arrows run one
 * way: main -> subcommand -> project -> core, db.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import picomatch from 'picomatch';
import { applyConfigSettings, configSearchPath, describeConfigProblems, parseProjectConfig, type ProjectConfig, type RuleSetting } from '../core/config';
import { SchemaModel } from '../core/schema/model';
import { modelFromSnapshot } from '../core/schema/snapshot';
import { applyDocumentDdl } from '../core/workspace';

export interface CliIO {
  stdout: (s: string) => void;
  stderr: (s: string) => void;
  /** the whole of standard input (lint --stdin); absent when the caller has none */
  readStdin?: () => Promise<string>;
  /** a script that runs `lint`'s worker threads (dist/cli.js); without one, `lint` runs on this thread alone */
  workerScript?: string;
}

/** A mistake of the caller: printed as `citus-rollups: <message>`, exit status 2. */
export class UsageError extends Error {}

/** A config file that does not validate: a usage error that says which file and what is wrong. */
export class ConfigError extends UsageError {}

export const SQL_EXTENSIONS = ['.sql', '.psql', '.pgsql'];
const DEFAULT_INCLUDE = SQL_EXTENSIONS.map((e) => `**/*${e}`);
const DEFAULT_EXCLUDE = ['**/node_modules/**'];

/** Files as given, directories recursively (`*.sql`, `*.psql`, `*.pgsql`, never under node_modules), sorted. */
export function collectSqlFiles(inputs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UsageError(`cannot read ${input}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(input, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath ?? entry.path, entry.name);
        if (full.split(path.sep).includes('node_modules')) continue;
        if (SQL_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.add(full);
      }
    } else out.add(input);
  }
  return [...out].sort();
}

/** Reads a text file; invalid UTF-8 is decoded with replacement characters rather than failing. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

export function writeOutput(file: string, text: string): void {
  try {
    fs.writeFileSync(file, text);
  } catch (e) {
    throw new UsageError(`cannot write ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}

/** A project config read from disk: the file, its folder (what its paths are relative to) and its content. */
export interface LoadedConfig {
  file: string;
  dir: string;
  config: ProjectConfig;
}

/** The nearest citus-rollups.json in `start` (a folder) or its parents. */
export function findConfigFile(start: string): string | undefined {
  return configSearchPath(start).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
}

/** Reads and validates a config file; every problem goes into one UsageError (`file:line:col: what`). */
export function loadConfig(file: string): LoadedConfig {
  const text = readText(file);
  const result = parseProjectConfig(text);
  if (!result.ok) {
    const n = result.problems.length;
    throw new ConfigError(`${file} is not a valid config (${n} problem${n === 1 ? '' : 's'}):\n${describeConfigProblems(file, text, result.problems)}`);
  }
  return { file, dir: path.dirname(path.resolve(file)), config: result.config };
}

/**
 * The config for a run: `--config FILE` when given, else the nearest one upward from the paths (a folder
 * itself, a file's folder). Paths under different configs are refused: lint them separately.
 */
export function configFor(paths: readonly string[], explicit: string | undefined): LoadedConfig | undefined {
  if (explicit) return loadConfig(explicit);
  const found = new Set<string>();
  for (const p of paths) {
    let start = p;
    try {
      if (!fs.statSync(p).isDirectory()) start = path.dirname(p);
    } catch {
      start = path.dirname(p); // a --stdin-filename need not exist
    }
    const file = findConfigFile(start);
    if (file) found.add(file);
  }
  if (found.size > 1) throw new UsageError(`the paths belong to different configs (${[...found].join(', ')}): lint them separately, or name one with --config`);
  const [file] = found;
  return file ? loadConfig(file) : undefined;
}

/** Whether the config's include/exclude globs let `file` in (files outside the config's folder always are). */
export function isInProject(loaded: LoadedConfig, file: string): boolean {
  const rel = path.relative(loaded.dir, path.resolve(file));
  if (rel.startsWith('..') || path.isAbsolute(rel)) return true;
  return projectMatcher(loaded)(rel.split(path.sep).join('/'));
}

function projectMatcher(loaded: LoadedConfig): (rel: string) => boolean {
  const include = picomatch(loaded.config.include ?? DEFAULT_INCLUDE, { dot: false });
  const exclude = picomatch(loaded.config.exclude ?? DEFAULT_EXCLUDE, { dot: true });
  return (rel) => include(rel) && !exclude(rel);
}

/** Every file of the project: under the config's folder, by its include/exclude globs (absolute paths, sorted). */
export function projectFiles(loaded: LoadedConfig): string[] {
  const matches = projectMatcher(loaded);
  const excluded = picomatch(loaded.config.exclude ?? DEFAULT_EXCLUDE, { dot: true });
  const out: string[] = [];
  const visit = (dir: string): void => {
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch {
      return; // an unreadable folder holds no project files we can use
    }
    for (const entry of entries) {
      const full = path.join(dir, entry.name);
      const rel = path.relative(loaded.dir, full).split(path.sep).join('/');
      if (entry.isDirectory()) {
        if (entry.name === '.git' || entry.name === 'node_modules' || excluded(`${rel}/`) || excluded(`${rel}/x`)) continue;
        visit(full);
      } else if (entry.isFile() && matches(rel)) out.push(full);
    }
  };
  visit(loaded.dir);
  return out.sort();
}

/** A config path (relative to the config's folder) as a path the process can open. */
export function resolveFromConfig(loaded: LoadedConfig, p: string): string {
  return path.resolve(loaded.dir, p);
}

/** The config's `schema` files and folders, as paths the process can open. */
export function configSchemaFiles(loaded: LoadedConfig | undefined): string[] {
  return loaded ? (loaded.config.schema ?? []).map((p) => resolveFromConfig(loaded, p)) : [];
}

export interface ModelInputs {
  config?: LoadedConfig;
  /** --catalog: a snapshot; replaces the config's */
  catalog?: string;
  /** --schema files and folders, after the config's `schema` */
  schemaFiles?: readonly string[];
}

/** The files the base table model is read from (loadBaseModel): the snapshot, if any, and the schema files in order. */
function baseModelFiles(inputs: ModelInputs): { snapshot?: string; schemaFiles: string[] } {
  const { config } = inputs;
  const snapshot = inputs.catalog ?? (config?.config.snapshot ? resolveFromConfig(config, config.config.snapshot) : undefined);
  const schemaFiles = [...configSchemaFiles(config), ...(inputs.schemaFiles ?? [])].flatMap((file) => collectSqlFiles([file]));
  return { snapshot, schemaFiles };
}

/**
 * The base table model: the snapshot (--catalog, else the config's), the config's cluster settings on top,
 * then the DDL of the config's `schema` files and the --schema files, in that order.
 */
export function loadBaseModel(inputs: ModelInputs): SchemaModel {
  let model = new SchemaModel();
  const { config } = inputs;
  const { snapshot, schemaFiles } = baseModelFiles(inputs);
  if (snapshot) {
    let data: unknown;
    try {
      data = JSON.parse(readText(snapshot));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${snapshot} is not valid JSON: ${(e as Error).message}`);
    }
    const loaded = modelFromSnapshot(data, snapshot);
    if (!loaded.ok) throw new UsageError(loaded.error);
    model = loaded.model;
  }
  if (config) applyConfigSettings(model, config.config);
  for (const f of schemaFiles) applyDocumentDdl(model, { source: f, text: readText(f) });
  return model;
}

/**
 * Everything the base table model is made of (the config, the snapshot's and the schema files' names and texts), as
 * one string to hash: two runs with the same digest build the same base model (lint's --cache, ./cache.ts).
 */
export function baseModelInputs(inputs: ModelInputs): string[] {
  const { snapshot, schemaFiles } = baseModelFiles(inputs);
  const out = [JSON.stringify(inputs.config ? { file: inputs.config.file, config: inputs.config.config } : null)];
  for (const f of [...(snapshot ? [snapshot] : []), ...schemaFiles]) out.push(f, readText(f));
  return out;
}

/**
 * Severity overrides: the config's rules, then `--rule id=severity` flags (validated as config entries, so
 * a typo gets the same message and suggestion).
 */
export function ruleSeverities(config: LoadedConfig | undefined, flags: readonly string[]): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = { ...(config?.config.rules ?? {}) };
  for (const flag of flags) {
    const m = /^([^=\s]+)=(.*)$/.exec(flag);
    if (!m) throw new UsageError(`--rule needs ID=SEVERITY, e.g. --rule unknown-table=off (got '${flag}')`);
    const parsed = parseProjectConfig(JSON.stringify({ rules: { [m[1]]: m[2].trim() } }));
    if (!parsed.ok) throw new UsageError(`--rule ${flag}: ${parsed.problems[0].message}`);
    Object.assign(out, parsed.config.rules);
  }
  return out;
}
