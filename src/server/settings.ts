/**
 * The server's typed view of the `citusRollups.*` settings, read per resource (workspace folder or
 * document) through `workspace/configuration`, so that folder settings apply to the files in them.
 * Invalid values fall back to the defaults; nothing here throws.
 */
import type { Severity } from '../core/types';

export type RuleSetting = Severity | 'off';

export interface Settings {
  enable: boolean;
  rules: Record<string, RuleSetting>;
  schemaInclude: string[];
  schemaExclude: string[];
  /** relative to the workspace folder, or absolute; '' = none */
  snapshotPath: string;
}

export const DEFAULT_SETTINGS: Settings = {
  enable: true,
  rules: {},
  schemaInclude: ['**/*.sql'],
  schemaExclude: ['**/node_modules/**'],
  snapshotPath: '',
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
