/**
 * `npm run catalog:citus`: reads what a real Citus cluster says about its user-facing functions and its
 * `citus.*` settings, and writes src/core/complete/citus-catalog.data.ts, which completion and signature help
 * read offline: each function's arguments (names, types, defaults as PostgreSQL prints them), result and
 * description; each setting's type, allowed values, default, unit and description; the values of Citus' enum
 * types (distribution_type, shard_transfer_mode).
 *
 *     CITUS_TEST_URL=postgres://user@coordinator:port/db npm run catalog:citus
 *
 * Settings Citus hides from pg_settings (GUC_NO_SHOW_ALL) are asked the way a user would meet them: `SET` to a
 * value no setting accepts, inside a transaction that is rolled back, and PostgreSQL's message says the type
 * (`requires a Boolean value`) or lists the allowed values (`Available values: ...`). Nothing on the cluster
 * changes.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { KNOWN_SETTING_NAMES } from '../src/core/planner/dml-settings';

const OUT = path.join(__dirname, '..', 'src', 'core', 'complete', 'citus-catalog.data.ts');

/** Functions of the extension that are not for users: deprecated `master_*` aliases, support and test functions. */
const LEFT_OUT = /^(master_|cluster_clock_|citus_isolation_|citus_jsonb?_concatenate|citus_text_send_as_jsonb|fix_pre_citus10_|citus_finalize_upgrade|citus_prepare_pg_upgrade|citus_finish_pg_upgrade|citus_finish_citus_upgrade|citus_stat_tenants_local_internal|citus_shard_allowed_on_node_true|citus_shard_cost_1|citus_node_capacity_1|any_value_agg|notify_constraint_dropped|assign_distributed_transaction_id|lock_shard_|lock_relation_if_exists|relation_is_a_known_shard|role_exists|alter_role_if_exists|authinfo_valid|poolinfo_valid|pg_cancel_backend|pg_terminate_backend)/;

interface FunctionRow {
  name: string;
  args: string;
  result: string;
  kind: string;
  description: string | null;
}

async function main(): Promise<void> {
  const url = process.env.CITUS_TEST_URL;
  if (!url) throw new Error('CITUS_TEST_URL is not set: point it at a Citus coordinator');
  const client = new Client({ connectionString: url });
  await client.connect();
  try {
    const version = (await client.query<{ v: string }>(`SELECT extversion AS v FROM pg_extension WHERE extname = 'citus'`)).rows[0]?.v;
    if (!version) throw new Error('the citus extension is not installed in this database');
    const citusVersion = (await client.query<{ v: string }>(`SELECT current_setting('citus.version') AS v`)).rows[0].v;
    const functions = (
      await client.query<FunctionRow>(
        `SELECT p.proname AS name, pg_get_function_arguments(p.oid) AS args, pg_get_function_result(p.oid) AS result,
                p.prokind::text AS kind, obj_description(p.oid, 'pg_proc') AS description
           FROM pg_proc p
           JOIN pg_depend d ON d.classid = 'pg_proc'::regclass AND d.objid = p.oid AND d.deptype = 'e'
           JOIN pg_extension e ON e.oid = d.refobjid AND e.extname = 'citus'
          WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind IN ('f', 'p')
            AND p.proname NOT LIKE 'worker\\_%' AND p.proname NOT LIKE 'citus\\_internal%'
            AND p.prorettype NOT IN ('internal'::regtype, 'trigger'::regtype, 'event_trigger'::regtype)
            AND NOT ('internal'::regtype = ANY (p.proargtypes))
          ORDER BY p.proname, p.oid`,
      )
    ).rows.filter((f) => !LEFT_OUT.test(f.name));
    const enums = (
      await client.query<{ name: string; labels: string[] }>(
        `SELECT t.typname AS name, array_agg(e.enumlabel ORDER BY e.enumsortorder)::text[] AS labels
           FROM pg_type t JOIN pg_enum e ON e.enumtypid = t.oid
          WHERE t.typnamespace = 'citus'::regnamespace GROUP BY t.typname ORDER BY t.typname`,
      )
    ).rows;
    const visible = (
      await client.query<{ name: string; vartype: string; enumvals: string[] | null; boot_val: string; unit: string | null; min_val: string | null; max_val: string | null; context: string; short_desc: string }>(
        `SELECT name, vartype, enumvals, boot_val, unit, min_val, max_val, context, short_desc FROM pg_settings WHERE name LIKE 'citus.%' ORDER BY name`,
      )
    ).rows;
    const settings: unknown[] = [];
    const seen = new Set<string>();
    for (const s of visible) {
      seen.add(s.name);
      settings.push([s.name.slice(6), s.vartype, s.enumvals ?? 0, s.boot_val ?? '', s.unit ?? '', s.context, s.short_desc ?? '', s.min_val ?? '', s.max_val ?? '']);
    }
    // settings pg_settings does not show: their type from PostgreSQL's answer to a value no setting takes
    for (const name of KNOWN_SETTING_NAMES) {
      const full = `citus.${name}`;
      if (seen.has(full)) continue;
      seen.add(full);
      const value = (await client.query<{ v: string | null }>(`SELECT current_setting($1, true) AS v`, [full])).rows[0].v;
      if (value === null) continue; // not in this Citus version
      const probe = await probeType(client, full);
      if (!probe) continue; // a context in which SET cannot say (it is not for sessions either)
      settings.push([name, probe.type, probe.values ?? 0, value, '', '', '', '', '']);
    }
    settings.sort((a, b) => String((a as string[])[0]).localeCompare(String((b as string[])[0])));
    const data = {
      citus: citusVersion,
      extension: version,
      functions: functions.map((f) => [f.name, f.args, f.result, f.kind, f.description ?? '']),
      enums: Object.fromEntries(enums.map((e) => [e.name, e.labels])),
      settings,
    };
    const header = [
      `// Generated by \`npm run catalog:citus\` (scripts/catalog-citus.ts) from a real Citus ${citusVersion} cluster: its functions (pg_proc,`,
      '// pg_get_function_arguments), enum types and citus.* settings (pg_settings, and SET for the hidden ones). Do not edit.',
    ];
    fs.writeFileSync(OUT, `${header.join('\n')}\nexport const CITUS_CATALOG_JSON: string = String.raw\`${JSON.stringify(data)}\`;\n`);
    process.stdout.write(`${OUT}: ${functions.length} functions, ${enums.length} enum types, ${settings.length} settings (Citus ${citusVersion})\n`);
  } finally {
    await client.end();
  }
}

/** SET to a value no setting accepts, in a rolled-back transaction: PostgreSQL's error names the type. */
async function probeType(client: Client, name: string): Promise<{ type: string; values?: string[] } | undefined> {
  await client.query('BEGIN');
  try {
    await client.query(`SET LOCAL ${name} = 'citus-rollups-probe'`);
    return { type: 'string' };
  } catch (e) {
    const err = e as { message: string; hint?: string };
    if (/requires a Boolean value/.test(err.message)) return { type: 'bool' };
    const available = /^Available values: (.*)\.$/.exec(err.hint ?? '');
    if (available) return { type: 'enum', values: available[1].split(', ') };
    if (/invalid value for parameter/.test(err.message)) return { type: /real|float/.test(err.hint ?? '') ? 'real' : 'integer' };
    return undefined;
  } finally {
    await client.query('ROLLBACK');
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).message}\n`);
  process.exitCode = 1;
});
