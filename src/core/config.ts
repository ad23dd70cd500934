/**
 * The project config file, `citus-rollups.json`: what the CLI and the language server both read (rules,
 * the project's files, schema files, snapshot, the cluster's settings for offline prediction). This module
 * is pure: it takes the file's text and returns the config or every problem with its offset, and never throws.
 * The text is JSON with comments and trailing commas (as tsconfig.json), read with jsonc-parser.
 *
 * The JSON schema shipped beside it (schemas/citus-rollups.schema.json, for editor completion) is generated
 * from the same lists by {@link configJsonSchema}; a test keeps the file and the validator in step.
 */
import * as path from 'node:path';
import { parseTree, printParseErrorCode, type Node, type ParseError } from 'jsonc-parser';
import { closestName } from './editDistance';
import { LineIndex } from './parse/offsets';
import { KNOWN_SETTING_NAMES, settingStatus } from './planner/dml-settings';
import { ALL_RULE_METAS } from './rules/registry';
import type { SchemaModel } from './schema/model';
import type { Severity } from './types';

export const CONFIG_FILE_NAME = 'citus-rollups.json';
/** The Citus major version whose planner the predictions follow. */
export const PREDICTED_CITUS_MAJOR = 13;

export type RuleSetting = Severity | 'off';
export const RULE_SETTINGS: readonly RuleSetting[] = ['error', 'warning', 'information', 'hint', 'off'];

export interface ProjectConfig {
  /** severity per rule id ('off' hides it) */
  rules: Record<string, RuleSetting>;
  /** globs of the project's SQL files, relative to the config file's folder; undefined = not set */
  include?: string[];
  exclude?: string[];
  /** files or folders whose DDL only feeds the table model (not reported), relative to the config's folder */
  schema?: string[];
  /** a metadata snapshot (`citus-rollups catalog dump`), relative to the config's folder */
  snapshot?: string;
  /** the cluster's Citus version, e.g. "13.2" */
  citusVersion?: string;
  /** the cluster's PostgreSQL major version (15, 16 or 17) */
  postgresVersion?: number;
  /** the cluster's `citus.*` settings, normalised as `SET` would store them (lower case, booleans on/off) */
  settings: Record<string, string>;
}

export interface ConfigProblem {
  message: string;
  /** character offset of the offending value or key in the file */
  offset: number;
}

export type ConfigResult = { ok: true; config: ProjectConfig } | { ok: false; problems: ConfigProblem[] };

/**
 * Settings the analysis reads, with their JSON type and what they change; any other current Citus setting is
 * accepted as a string, number or boolean and kept in the model.
 */
export const PREDICTION_SETTINGS: Readonly<Record<string, { type: 'integer' | 'boolean'; minimum?: number; maximum?: number; description: string }>> = {
  'citus.shard_count': { type: 'integer', minimum: 1, maximum: 64000, description: 'Shard count of tables distributed without an explicit shard_count (Citus default 32): the shard counts of DML outcomes.' },
  'citus.shard_replication_factor': { type: 'integer', minimum: 1, maximum: 100, description: 'Replicas per shard (Citus default 1). Kept with the model; the predictions do not depend on it.' },
  'citus.enable_repartition_joins': { type: 'boolean', description: 'Whether joins off the distribution column are repartitioned (true) or refused (false, Citus default).' },
  'citus.enable_repartitioned_insert_select': { type: 'boolean', description: 'Whether INSERT..SELECT may repartition its rows between workers (Citus default true).' },
  'citus.enable_schema_based_sharding': { type: 'boolean', description: 'Whether CREATE SCHEMA makes a distributed schema (Citus default false).' },
  'citus.allow_unsafe_constraints': { type: 'boolean', description: 'Whether unique keys without the distribution column are allowed (Citus default false).' },
};

const TOP_LEVEL = ['$schema', 'rules', 'include', 'exclude', 'schema', 'snapshot', 'cluster'] as const;
const CLUSTER_KEYS = ['citusVersion', 'postgresVersion', 'settings'] as const;
/** The PostgreSQL versions Citus 13 runs on. */
export const POSTGRES_VERSIONS: readonly number[] = [15, 16, 17];
const VERSION = /^\d+(\.\d+){0,2}$/;
const BOOLEAN_WORDS = ['on', 'off', 'true', 'false'];

/** Where the config of files in `dir` may be, nearest first: `dir`/citus-rollups.json, then each parent's. */
export function configSearchPath(dir: string): string[] {
  const out: string[] = [];
  let d = path.resolve(dir);
  for (;;) {
    out.push(path.join(d, CONFIG_FILE_NAME));
    const parent = path.dirname(d);
    if (parent === d) return out;
    d = parent;
  }
}

/** Parses and validates the text of a config file. */
export function parseProjectConfig(text: string): ConfigResult {
  const syntax: ParseError[] = [];
  const root = parseTree(text, syntax, { allowTrailingComma: true, disallowComments: false });
  if (syntax.length) return { ok: false, problems: syntax.map((e) => ({ message: `invalid JSON: ${describeSyntaxError(printParseErrorCode(e.error))}`, offset: e.offset })) };
  const problems: ConfigProblem[] = [];
  const config: ProjectConfig = { rules: {}, settings: {} };
  if (!root || root.type !== 'object') {
    return { ok: false, problems: [{ message: 'the config must be a JSON object, e.g. { "rules": { "unknown-table": "off" } }', offset: root?.offset ?? 0 }] };
  }
  for (const [key, keyNode, value] of members(root)) {
    switch (key) {
      case '$schema':
        if (value.type !== 'string') problems.push(at(value, '"$schema" must be a string'));
        break;
      case 'rules':
        readRules(value, config, problems);
        break;
      case 'include':
      case 'exclude':
      case 'schema': {
        const list = stringList(value, key, problems);
        if (list) config[key] = list;
        break;
      }
      case 'snapshot':
        if (value.type === 'string' && (value.value as string).trim() !== '') config.snapshot = (value.value as string).trim();
        else problems.push(at(value, '"snapshot" must be the path of a snapshot file (from `citus-rollups catalog dump`)'));
        break;
      case 'cluster':
        readCluster(value, config, problems);
        break;
      default:
        problems.push(at(keyNode, `unknown key "${key}"${suggest(key, TOP_LEVEL)} (allowed: ${TOP_LEVEL.join(', ')})`));
    }
  }
  return problems.length ? { ok: false, problems } : { ok: true, config };
}

function readRules(node: Node, config: ProjectConfig, problems: ConfigProblem[]): void {
  if (node.type !== 'object') {
    problems.push(at(node, '"rules" must be an object of rule id to severity, e.g. { "unknown-table": "off" }'));
    return;
  }
  const ids = ALL_RULE_METAS.map((m) => m.id);
  for (const [id, keyNode, value] of members(node)) {
    if (!ids.includes(id)) {
      problems.push(at(keyNode, `unknown rule id "${id}"${suggest(id, ids)}; the rule ids are listed in docs/rules/README.md`));
      continue;
    }
    if (value.type !== 'string' || !RULE_SETTINGS.includes(value.value as RuleSetting)) {
      problems.push(at(value, `rule "${id}": the severity must be one of ${RULE_SETTINGS.join(', ')} (got ${JSON.stringify(value.value ?? value.type)})`));
      continue;
    }
    config.rules[id] = value.value as RuleSetting;
  }
}

function readCluster(node: Node, config: ProjectConfig, problems: ConfigProblem[]): void {
  if (node.type !== 'object') {
    problems.push(at(node, '"cluster" must be an object: { "citusVersion": "13.2", "settings": { "citus.shard_count": 32 } }'));
    return;
  }
  for (const [key, keyNode, value] of members(node)) {
    if (key === 'citusVersion') {
      if (value.type === 'string' && VERSION.test(value.value as string)) config.citusVersion = value.value as string;
      else problems.push(at(value, '"cluster.citusVersion" must be a version string such as "13.2"'));
    } else if (key === 'postgresVersion') {
      // 15, "15" or "15.8": the major version decides the grammar
      const major = typeof value.value === 'number' ? value.value : typeof value.value === 'string' && VERSION.test(value.value) ? Number(value.value.split('.')[0]) : undefined;
      if (major !== undefined && POSTGRES_VERSIONS.includes(major)) config.postgresVersion = major;
      else problems.push(at(value, `"cluster.postgresVersion" must be the cluster's PostgreSQL version, one of ${POSTGRES_VERSIONS.join(', ')} (the versions Citus ${PREDICTED_CITUS_MAJOR} runs on), e.g. 16 or "16.4"`));
    } else if (key === 'settings') {
      readSettings(value, config, problems);
    } else problems.push(at(keyNode, `unknown key "cluster.${key}"${suggest(key, CLUSTER_KEYS)} (allowed: ${CLUSTER_KEYS.join(', ')})`));
  }
}

function readSettings(node: Node, config: ProjectConfig, problems: ConfigProblem[]): void {
  if (node.type !== 'object') {
    problems.push(at(node, '"cluster.settings" must be an object of Citus setting to value, e.g. { "citus.shard_count": 64 }'));
    return;
  }
  for (const [name, keyNode, value] of members(node)) {
    if (!/^citus\.[a-z0-9_]+$/.test(name)) {
      problems.push(at(keyNode, `"${name}": only Citus settings change the predictions; write them in lower case, e.g. "citus.shard_count"`));
      continue;
    }
    const status = settingStatus(name.slice('citus.'.length));
    if (status.kind === 'unknown') {
      problems.push(at(keyNode, `"${name}" is not a Citus ${PREDICTED_CITUS_MAJOR} setting${suggest(name, KNOWN_SETTING_NAMES.map((n) => `citus.${n}`))}`));
      continue;
    }
    if (status.kind === 'removed') {
      problems.push(at(keyNode, `"${name}": ${status.info.replacement}`));
      continue;
    }
    const known = PREDICTION_SETTINGS[name];
    const v = value.value as unknown;
    if (known?.type === 'boolean') {
      if (typeof v === 'boolean') config.settings[name] = v ? 'on' : 'off';
      else if (typeof v === 'string' && BOOLEAN_WORDS.includes(v)) config.settings[name] = v === 'on' || v === 'true' ? 'on' : 'off';
      else problems.push(at(value, `"${name}" must be true or false`));
    } else if (known?.type === 'integer') {
      if (typeof v === 'number' && Number.isInteger(v) && v >= (known.minimum ?? -Infinity) && v <= (known.maximum ?? Infinity)) config.settings[name] = String(v);
      else problems.push(at(value, `"${name}" must be a whole number from ${known.minimum} to ${known.maximum}`));
    } else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') {
      config.settings[name] = typeof v === 'boolean' ? (v ? 'on' : 'off') : String(v).toLowerCase();
    } else problems.push(at(value, `"${name}" must be a string, number or boolean`));
  }
}

function stringList(node: Node, key: string, problems: ConfigProblem[]): string[] | undefined {
  if (node.type !== 'array' || !(node.children ?? []).every((c) => c.type === 'string' && (c.value as string).trim() !== '')) {
    problems.push(at(node, `"${key}" must be an array of non-empty strings (${key === 'schema' ? 'files or folders' : 'globs such as "sql/**/*.sql"'})`));
    return undefined;
  }
  return (node.children ?? []).map((c) => (c.value as string).trim());
}

/** The object's members as [key, key node, value node]; a later duplicate key wins, as in JSON.parse. */
function members(node: Node): Array<[string, Node, Node]> {
  const out: Array<[string, Node, Node]> = [];
  for (const prop of node.children ?? []) {
    const [k, v] = prop.children ?? [];
    if (k && v) out.push([k.value as string, k, v]);
  }
  return out;
}

function at(node: Node, message: string): ConfigProblem {
  return { message, offset: node.offset };
}

/** ` (did you mean "x"?)` for a close name (edit distance at most a third of its length, at least 2). */
function suggest(name: string, known: readonly string[]): string {
  const exact = known.find((k) => k.toLowerCase() === name.toLowerCase());
  const best = exact ?? closestName(name, known, Math.max(2, Math.floor(name.length / 3)));
  return best !== undefined ? ` (did you mean "${best}"?)` : '';
}

function describeSyntaxError(code: string): string {
  const words: Record<string, string> = {
    InvalidSymbol: 'unexpected character',
    InvalidNumberFormat: 'invalid number',
    PropertyNameExpected: 'a property name in double quotes is expected',
    ValueExpected: 'a value is expected',
    ColonExpected: 'a colon is expected',
    CommaExpected: 'a comma is expected',
    CloseBraceExpected: 'a closing } is expected',
    CloseBracketExpected: 'a closing ] is expected',
    EndOfFileExpected: 'nothing may follow the top-level object',
    InvalidCommentToken: 'invalid comment',
    UnexpectedEndOfComment: 'unterminated comment',
    UnexpectedEndOfString: 'unterminated string',
    UnexpectedEndOfNumber: 'unterminated number',
    InvalidUnicode: 'invalid unicode escape',
    InvalidEscapeCharacter: 'invalid escape character',
    InvalidCharacter: 'invalid character in a string',
  };
  return words[code] ?? code;
}

/** `file:line:col: message` lines, one per problem, for the CLI and the server's log. */
export function describeConfigProblems(file: string, text: string, problems: readonly ConfigProblem[]): string {
  const lines = new LineIndex(text);
  return problems
    .map((p) => {
      const pos = lines.position(p.offset);
      return `${file}:${pos.line + 1}:${pos.character + 1}: ${p.message}`;
    })
    .join('\n');
}

/** The config's cluster settings (and PostgreSQL version) on top of the model's (a snapshot's, or the defaults). */
export function applyConfigSettings(model: SchemaModel, config: ProjectConfig): void {
  for (const [name, value] of Object.entries(config.settings)) model.setClusterSetting(name, value);
  if (config.postgresVersion !== undefined) model.postgresMajor = config.postgresVersion;
}

/** A note when the config names a Citus version whose planner may decide differently from the one we follow. */
export function citusVersionNote(config: ProjectConfig): string | undefined {
  if (!config.citusVersion) return undefined;
  const major = Number(config.citusVersion.split('.')[0]);
  return major === PREDICTED_CITUS_MAJOR
    ? undefined
    : `the config says Citus ${config.citusVersion}; the predictions follow Citus ${PREDICTED_CITUS_MAJOR}'s planner, and Citus ${major} may decide some statements differently`;
}

/** The JSON schema of the config file (written to schemas/citus-rollups.schema.json by `npm run schema`). */
export function configJsonSchema(): Record<string, unknown> {
  const severity = { type: 'string', enum: [...RULE_SETTINGS] };
  const settings: Record<string, unknown> = {};
  for (const name of KNOWN_SETTING_NAMES) settings[`citus.${name}`] = { type: ['string', 'number', 'boolean'] };
  for (const [name, s] of Object.entries(PREDICTION_SETTINGS)) {
    settings[name] =
      s.type === 'boolean'
        ? { description: s.description, anyOf: [{ type: 'boolean' }, { type: 'string', enum: BOOLEAN_WORDS }] }
        : { description: s.description, type: 'integer', minimum: s.minimum, maximum: s.maximum };
  }
  return {
    $schema: 'http://json-schema.org/draft-07/schema#',
    $id: 'https://github.com/citus-rollups/citus-rollups/blob/main/schemas/citus-rollups.schema.json',
    title: 'Citus Rollups project config (citus-rollups.json)',
    description: 'Read by the citus-rollups CLI and the Citus Rollups language server. Paths and globs are relative to this file. See docs/config.md.',
    type: 'object',
    additionalProperties: false,
    properties: {
      $schema: { type: 'string' },
      rules: {
        description: 'Severity per rule id; "off" hides the rule. Overrides the defaults; the CLI\'s --rule and the editor\'s citusRollups.rules override it.',
        type: 'object',
        additionalProperties: false,
        properties: Object.fromEntries(ALL_RULE_METAS.map((m) => [m.id, { ...severity, description: `${m.summary} (default: ${m.defaultSeverity})` }])),
      },
      include: { description: 'Globs of the project\'s SQL files (default: **/*.sql, **/*.psql, **/*.pgsql). Their DDL makes up the schema; the CLI lints them when given a folder.', type: 'array', items: { type: 'string', minLength: 1 } },
      exclude: { description: 'Globs left out of the project (default: **/node_modules/**). Applies to files named on the command line too.', type: 'array', items: { type: 'string', minLength: 1 } },
      schema: { description: 'Files or folders whose DDL only feeds the table model and is not reported (as --schema).', type: 'array', items: { type: 'string', minLength: 1 } },
      snapshot: { description: 'A metadata snapshot written by `citus-rollups catalog dump`: the tables the DDL is applied on.', type: 'string', minLength: 1 },
      cluster: {
        description: 'The cluster the SQL runs on, for offline prediction.',
        type: 'object',
        additionalProperties: false,
        properties: {
          citusVersion: { description: `The cluster's Citus version, e.g. "13.2" (the predictions follow Citus ${PREDICTED_CITUS_MAJOR}).`, type: 'string', pattern: VERSION.source },
          postgresVersion: {
            description: `The cluster's PostgreSQL version (${POSTGRES_VERSIONS.join(', ')}), e.g. 16 or "16.4". Syntax newer than it is reported as the syntax error that version gives (rule newer-postgres-syntax). Over the snapshot's server version.`,
            anyOf: [
              { type: 'integer', enum: [...POSTGRES_VERSIONS] },
              { type: 'string', pattern: `^(${POSTGRES_VERSIONS.join('|')})(\\.\\d+){0,2}$` },
            ],
          },
          settings: {
            description: 'The cluster\'s citus.* settings (postgresql.conf or ALTER DATABASE/ROLE SET). They override the snapshot\'s; SET in a file overrides them for that file.',
            type: 'object',
            properties: settings,
            additionalProperties: false,
          },
        },
      },
    },
  };
}
