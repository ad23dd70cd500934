/**
 * Running a generated rollup script the ways users run one: statement by statement (psql -f, autocommit),
 * as one transaction (psql -1 -f: BEGIN, the statements, COMMIT), and as one multi-statement query (what GUI
 * tools and migration runners send). Plain PostgreSQL lacks Citus: `withoutCitusCalls` leaves out the
 * create_distributed_table and cron.schedule statements (used by the tests and by `npm run bench -- rollup`).
 */
import * as assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import type { Client } from 'pg';
import { functionName, walk } from '../../src/core/parse/ast';
import { parseDocument } from '../../src/core/parse/document';

export type RunMode = 'autocommit' | 'transaction' | 'one-query';

export const RUN_MODES: RunMode[] = ['autocommit', 'transaction', 'one-query'];

/** The top-level statements of a script, as written (function bodies stay inside their CREATE FUNCTION / DO). */
export function topLevelStatements(script: string): string[] {
  const doc = parseDocument(script);
  const out: string[] = [];
  for (const s of doc.statements) {
    if (s.parentIndex !== undefined) continue;
    assert.equal(s.error, undefined, `generated statement parses: ${s.text}`);
    out.push(script.slice(s.start, s.end).replace(/;\s*$/, ''));
  }
  return out;
}

/** The script without the statements plain PostgreSQL lacks (Citus and pg_cron calls). */
export function withoutCitusCalls(script: string): { sql: string; dropped: string[] } {
  const kept: string[] = [];
  const dropped: string[] = [];
  for (const text of topLevelStatements(script)) {
    let citus = false;
    walk(parseDocument(text).statements[0].ast, (type, fields) => {
      if (type === 'FuncCall' && ['create_distributed_table', 'schedule'].includes(functionName(fields))) citus = true;
    });
    (citus ? dropped : kept).push(text);
  }
  return { sql: kept.map((t) => `${t};`).join('\n'), dropped };
}

/** Runs a script on a connection the way `mode` says; a failing statement rejects (and, in a transaction, rolls back). */
export async function runScript(c: Client, script: string, mode: RunMode): Promise<void> {
  if (mode === 'one-query') {
    await c.query(script);
    return;
  }
  const statements = topLevelStatements(script);
  if (mode === 'autocommit') {
    for (const s of statements) await c.query(s);
    return;
  }
  await c.query('BEGIN');
  try {
    for (const s of statements) await c.query(s);
    await c.query('COMMIT');
  } catch (e) {
    await c.query('ROLLBACK');
    throw e;
  }
}

/** Whether the real psql client is on PATH. */
export function hasPsql(): boolean {
  return spawnSync('psql', ['--version'], { encoding: 'utf8' }).status === 0;
}

/**
 * Runs a script with the real psql, as a user would: `psql -v ON_ERROR_STOP=1 -f file` (autocommit) or with
 * `-1` (one transaction). Throws with psql's stderr when it fails.
 */
export function runWithPsql(url: string, script: string, oneTransaction: boolean): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'rollup-script-'));
  const file = path.join(dir, 'rollup.sql');
  try {
    fs.writeFileSync(file, script);
    const args = ['-X', '-q', '-v', 'ON_ERROR_STOP=1', ...(oneTransaction ? ['-1'] : []), '-f', file, url];
    const r = spawnSync('psql', args, { encoding: 'utf8', env: { ...process.env, PGOPTIONS: '' } });
    if (r.status !== 0) throw new Error(`psql ${oneTransaction ? '-1 ' : ''}-f failed (exit ${r.status}): ${r.stderr}`);
    return r.stderr;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Every object with a "Node Type" in an EXPLAIN (FORMAT JSON) document, Citus' remote task plans included. */
export function planNodes(json: unknown): Array<Record<string, unknown>> {
  const out: Array<Record<string, unknown>> = [];
  const visit = (v: unknown): void => {
    if (Array.isArray(v)) v.forEach(visit);
    else if (v && typeof v === 'object') {
      const o = v as Record<string, unknown>;
      if (typeof o['Node Type'] === 'string') out.push(o);
      Object.values(o).forEach(visit);
    }
  };
  visit(json);
  return out;
}
