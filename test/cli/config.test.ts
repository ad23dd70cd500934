/**
 * The project config (src/core/config.ts): what validates and what does not, with the message and position
 * users see; the JSON schema shipped for editors agrees with the validator (checked with Ajv, a real JSON
 * Schema validator) and is the one `npm run schema` writes; VS Code is told about it.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import Ajv from 'ajv';
import { parse as parseJsonc } from 'jsonc-parser';
import { CONFIG_FILE_NAME, configJsonSchema, describeConfigProblems, parseProjectConfig } from '../../src/core/config';
import { ALL_RULE_METAS } from '../../src/core/rules/registry';
import { SCHEMA_FILE, schemaText } from '../../scripts/schema';

const ROOT = path.join(__dirname, '..', '..');

const VALID: Array<{ name: string; text: string; expect: Record<string, unknown> }> = [
  { name: 'empty object', text: '{}', expect: { rules: {}, settings: {} } },
  { name: 'a PostgreSQL version string', text: '{ "cluster": { "postgresVersion": "15.8" } }', expect: { rules: {}, settings: {}, postgresVersion: 15 } },
  {
    name: 'every key, with comments and trailing commas',
    text: `{
      "$schema": "./node_modules/citus-rollups/schemas/citus-rollups.schema.json",
      // severities
      "rules": { "unknown-table": "off", "limit-offset-blocks-pushdown": "error", },
      "include": ["sql/**/*.sql"],
      "exclude": ["sql/legacy/**"],
      "schema": ["db/schema.sql", "db/ddl"],
      "snapshot": "citus-catalog.json",
      /* the cluster */
      "cluster": { "citusVersion": "13.2.2", "postgresVersion": 16, "settings": {
        "citus.shard_count": 64, "citus.shard_replication_factor": 2, "citus.enable_repartition_joins": true,
        "citus.enable_repartitioned_insert_select": "off", "citus.multi_shard_modify_mode": "Sequential" } },
    }`,
    expect: {
      rules: { 'unknown-table': 'off', 'limit-offset-blocks-pushdown': 'error' },
      include: ['sql/**/*.sql'],
      exclude: ['sql/legacy/**'],
      schema: ['db/schema.sql', 'db/ddl'],
      snapshot: 'citus-catalog.json',
      citusVersion: '13.2.2',
      postgresVersion: 16,
      settings: {
        'citus.shard_count': '64',
        'citus.shard_replication_factor': '2',
        'citus.enable_repartition_joins': 'on',
        'citus.enable_repartitioned_insert_select': 'off',
        'citus.multi_shard_modify_mode': 'sequential',
      },
    },
  },
];

const INVALID: Array<{ name: string; text: string; problems: Array<[line: number, column: number, message: RegExp]>; schemaAccepts?: boolean }> = [
  { name: 'not JSON', text: '{\n  "rules": {\n}', problems: [[3, 2, /invalid JSON: a closing } is expected/]] },
  { name: 'an array', text: '[]', problems: [[1, 1, /must be a JSON object/]] },
  { name: 'unknown top-level key', text: '{ "rule": {} }', problems: [[1, 3, /unknown key "rule" \(did you mean "rules"\?\)/]] },
  { name: 'unknown rule id', text: '{ "rules": { "limit-blocks-pushdown": "off" } }', problems: [[1, 14, /unknown rule id "limit-blocks-pushdown" \(did you mean "limit-offset-blocks-pushdown"\?\)/]] },
  { name: 'bad severity', text: '{ "rules": { "unknown-table": "warn" } }', problems: [[1, 31, /severity must be one of error, warning, information, hint, off \(got "warn"\)/]] },
  { name: 'include not a list', text: '{ "include": "sql/*.sql" }', problems: [[1, 14, /"include" must be an array of non-empty strings/]] },
  { name: 'empty snapshot', text: '{ "snapshot": "" }', problems: [[1, 15, /"snapshot" must be the path of a snapshot file/]] },
  { name: 'bad version', text: '{ "cluster": { "citusVersion": "thirteen" } }', problems: [[1, 32, /must be a version string such as "13.2"/]] },
  { name: 'PostgreSQL 14', text: '{ "cluster": { "postgresVersion": 14 } }', problems: [[1, 35, /"cluster.postgresVersion" must be .* one of 15, 16, 17/]] },
  { name: 'PostgreSQL version as a word', text: '{ "cluster": { "postgresVersion": "sixteen" } }', problems: [[1, 35, /"cluster.postgresVersion" must be/]] },
  { name: 'PostgreSQL 18 as a string', text: '{ "cluster": { "postgresVersion": "18.1" } }', problems: [[1, 35, /one of 15, 16, 17/]] },
  { name: 'unknown cluster key', text: '{ "cluster": { "shard_count": 4 } }', problems: [[1, 16, /unknown key "cluster.shard_count"/]] },
  { name: 'not a Citus setting', text: '{ "cluster": { "settings": { "work_mem": "4MB" } } }', problems: [[1, 30, /"work_mem": only Citus settings/]] },
  { name: 'misspelt setting', text: '{ "cluster": { "settings": { "citus.shard_cont": 4 } } }', problems: [[1, 30, /not a Citus 13 setting \(did you mean "citus.shard_count"\?\)/]] },
  { name: 'removed setting', text: '{ "cluster": { "settings": { "citus.multi_shard_commit_protocol": "2pc" } } }', problems: [[1, 30, /removed in Citus 11.0/]] },
  { name: 'shard count out of range', text: '{ "cluster": { "settings": { "citus.shard_count": 0 } } }', problems: [[1, 51, /whole number from 1 to 64000/]] },
  { name: 'shard count as text', text: '{ "cluster": { "settings": { "citus.shard_count": "64" } } }', problems: [[1, 51, /whole number/]] },
  { name: 'boolean setting as number', text: '{ "cluster": { "settings": { "citus.enable_repartition_joins": 1 } } }', problems: [[1, 64, /must be true or false/]] },
  {
    name: 'several problems at once',
    text: '{\n  "rules": { "unknown-table": "of" },\n  "exclude": [1]\n}',
    problems: [
      [2, 31, /got "of"/],
      [3, 14, /"exclude" must be an array/],
    ],
  },
  // the validator is stricter than a JSON schema can say: blank strings
  { name: 'blank glob', text: '{ "include": ["  "] }', problems: [[1, 14, /non-empty strings/]], schemaAccepts: true },
];

describe('project config (citus-rollups.json)', () => {
  const ajv = new Ajv({ allErrors: true, strict: true, allowUnionTypes: true });
  const validate = ajv.compile(JSON.parse(fs.readFileSync(SCHEMA_FILE, 'utf8')));

  for (const row of VALID) {
    it(`accepts ${row.name}`, () => {
      const r = parseProjectConfig(row.text);
      assert.ok(r.ok, r.ok ? '' : describeConfigProblems('c.json', row.text, r.problems));
      assert.deepEqual(r.config, row.expect);
    });
  }

  for (const row of INVALID) {
    it(`refuses ${row.name}, saying where and why`, () => {
      const r = parseProjectConfig(row.text);
      assert.equal(r.ok, false);
      if (r.ok) return;
      const lines = describeConfigProblems(CONFIG_FILE_NAME, row.text, r.problems).split('\n');
      assert.equal(lines.length, row.problems.length, lines.join('\n'));
      row.problems.forEach(([line, column, message], i) => {
        assert.ok(lines[i].startsWith(`${CONFIG_FILE_NAME}:${line}:${column}: `), `${lines[i]} at ${line}:${column}`);
        assert.match(lines[i], message);
      });
    });
  }

  it('ships the JSON schema that `npm run schema` writes (run it after adding a rule or a setting)', () => {
    assert.equal(fs.readFileSync(SCHEMA_FILE, 'utf8'), schemaText());
    const rules = (configJsonSchema().properties as Record<string, { properties: Record<string, unknown> }>).rules.properties;
    assert.deepEqual(Object.keys(rules), ALL_RULE_METAS.map((m) => m.id), 'every rule id completes in the editor');
  });

  it('agrees with the schema: what the validator accepts the schema accepts, and the reverse', () => {
    for (const row of VALID) {
      const data: unknown = parseJsonc(row.text, [], { allowTrailingComma: true });
      assert.ok(validate(data), `${row.name}: ${ajv.errorsText(validate.errors)}`);
    }
    for (const row of INVALID) {
      let data: unknown;
      try {
        data = JSON.parse(row.text);
      } catch {
        continue; // not JSON: nothing for a schema to say
      }
      assert.equal(validate(data), row.schemaAccepts === true, `${row.name}: the schema ${row.schemaAccepts ? 'accepts' : 'refuses'} it too`);
    }
  });

  it('is registered for VS Code: jsonValidation for the file name, read as JSON with comments, shipped in the VSIX', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
    const v = pkg.contributes.jsonValidation as Array<{ fileMatch: string; url: string }>;
    assert.deepEqual(v, [{ fileMatch: CONFIG_FILE_NAME, url: './schemas/citus-rollups.schema.json' }]);
    assert.ok(fs.existsSync(path.join(ROOT, v[0].url)));
    assert.ok((pkg.contributes.languages as Array<{ id: string; filenames?: string[] }>).some((l) => l.id === 'jsonc' && l.filenames?.includes(CONFIG_FILE_NAME)));
    assert.match(fs.readFileSync(path.join(ROOT, '.vscodeignore'), 'utf8'), /^!schemas\/\*\.schema\.json$/m);
  });

  it('says in each editor setting it shares with the config that the setting overrides it', () => {
    const props = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')).contributes.configuration.properties;
    for (const key of ['citusRollups.rules', 'citusRollups.schema.include', 'citusRollups.schema.exclude', 'citusRollups.schema.snapshotPath']) {
      assert.match(props[key].markdownDescription, /citus-rollups\.json/, key);
    }
  });
});
