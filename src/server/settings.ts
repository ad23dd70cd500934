/**
 * The server's typed view of the `citusRollups.*` settings, read per resource (workspace folder or
 * document) through `workspace/configuration`, so that folder settings apply to the files in them, merged
 * with the project config (citus-rollups.json) of the folder: a client setting wins where the user set it
 * (a value other than its default); a client without `workspace/configuration` gets the config alone.
 * Invalid values fall back to the defaults; nothing here throws.
 */
import * as path from 'node:path';
import type { ProjectConfig, RuleSetting } from '../core/config';

export type { RuleSetting } from '../core/config';

export interface Settings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  schemaInclude: string[];
  schemaExclude: string[];
  /** relative to the workspace folder, or absolute; '' = none */
  snapshotPath: string;
  /** what the include/exclude globs are relative to, when not the workspace folder (the config's folder) */
  globRoot?: string;
  /** files and folders whose DDL feeds the model though no glob includes them (the config's `schema`), absolute */
  schemaFiles: string[];
  /** the cluster's citus.* settings (the config's `cluster.settings`) */
  clusterSettings: Record<string, string>;
  /** the cluster's PostgreSQL major version (the config's `cluster.postgresVersion`) */
  postgresVersion?: number;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  schemaInclude: ['**/*.sql'],
  schemaExclude: ['**/node_modules/**'],
  snapshotPath: '',
  schemaFiles: [],
  clusterSettings: {},
};

const RULE_SETTINGS = new Set<string>(['error', 'warning', 'information', 'hint', 'off']);

/** Normalises the `citusRollups` section as the client returns it (nested objects). */
export function readSettings(section: unknown): Settings {
  const s = (section && typeof section === 'object' ? section : {}) as Record<string, unknown>;
  const schema = (s['schema'] && typeof s['schema'] === 'object' ? s['schema'] : {}) as Record<string, unknown>;
  return {
    enable: typeof s['enable'] === 'boolean' ? s['enable'] : DEFAULT_SETTINGS.enable,
    rules: readRules(s['rules']),
    schemaInclude: stringList(schema['include']) ?? DEFAULT_SETTINGS.schemaInclude,
    schemaExclude: stringList(schema['exclude']) ?? DEFAULT_SETTINGS.schemaExclude,
    snapshotPath: typeof schema['snapshotPath'] === 'string' ? schema['snapshotPath'].trim() : DEFAULT_SETTINGS.snapshotPath,
    schemaFiles: [],
    clusterSettings: {},
  };
}

/**
 * The client's settings over the project config (in `configDir`): rules merge by id (the client's win); the
 * globs and the snapshot come from the config unless the client's differ from their defaults.
 */
export function withProjectConfig(client: Settings, config: ProjectConfig | undefined, configDir: string | undefined): Settings {
  if (!config || !configDir) return client;
  const isDefault = (a: unknown, b: unknown): boolean => JSON.stringify(a) === JSON.stringify(b);
  const globsFromConfig = isDefault(client.schemaInclude, DEFAULT_SETTINGS.schemaInclude) && isDefault(client.schemaExclude, DEFAULT_SETTINGS.schemaExclude);
  return {
    enable: client.enable,
    rules: { ...config.rules, ...client.rules },
    schemaInclude: globsFromConfig ? (config.include ?? ['**/*.sql', '**/*.psql', '**/*.pgsql']) : client.schemaInclude,
    schemaExclude: globsFromConfig ? (config.exclude ?? DEFAULT_SETTINGS.schemaExclude) : client.schemaExclude,
    globRoot: globsFromConfig ? configDir : undefined,
    snapshotPath: client.snapshotPath || (config.snapshot ? path.resolve(configDir, config.snapshot) : ''),
    schemaFiles: (config.schema ?? []).map((p) => path.resolve(configDir, p)),
    clusterSettings: { ...config.settings },
    postgresVersion: config.postgresVersion,
  };
}

function readRules(value: unknown): Record<string, RuleSetting> {
  const out: Record<string, RuleSetting> = {};
  if (!value || typeof value !== 'object') return out;
  for (const [id, v] of Object.entries(value as Record<string, unknown>)) {
    if (typeof v === 'string' && RULE_SETTINGS.has(v)) out[id] = v as RuleSetting;
  }
  return out;
}

function stringList(value: unknown): string[] | undefined {
  if (!Array.isArray(value)) return undefined;
  return value.filter((x): x is string => typeof x === 'string' && x.trim() !== '');
}

/** A stable key for caching analyses by the settings that change them. */
export function analysisSettingsKey(s: Settings): string {
  return JSON.stringify(Object.entries(s.rules).sort());
}

/** The settings that decide which files and snapshot make up a folder's schema, and the model's settings. */
export function schemaSettingsKey(s: Settings): string {
  return JSON.stringify([s.schemaInclude, s.schemaExclude, s.snapshotPath, s.globRoot ?? '', s.schemaFiles, s.clusterSettings, s.postgresVersion ?? null]);
}
