/**
 * `npm run pg-regress -- <postgresql checkout>/src/test/regress`: lints every file of PostgreSQL's own regression
 * suite (sql/*.sql), each on its own with an empty model, and checks every PostgreSQL error we report (error severity,
 * a semantic rule, an error the schema model finds, or a row PostgreSQL refuses whatever the data) against the suite's expected output (expected/*.out, the
 * statement's echo and the ERROR line after it):
 * - confirmed: PostgreSQL printed our message;
 * - other-error: PostgreSQL failed with another message (often a check the model does not make, first);
 * - NO-ERROR: PostgreSQL ran the statement: a false error of ours.
 * The suite's files depend on each other's tables (the model knows only a file's own DDL and is silent on the rest),
 * and create tables that fail on purpose: what this measures is the errors we claim, not the ones we miss.
 * `--schema FILE` (repeatable) feeds DDL to every file's model first: the suite's `sql/test_setup.sql` holds the tables
 * most files read (onek, tenk1, int4_tbl, ...). `--verbose` lists every statement that is not confirmed. `--missed`
 * also tallies the other side: the errors the expected output shows for statements we report no error for, by message
 * (names and numbers blanked), most frequent first, with an example: where to look for checks worth adding (most are
 * data-dependent: constraint violations, rows a table holds).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { analyzeDocument } from '../src/core/analyze';
import { loadParser } from '../src/core/parse/libpg';
import { SchemaModel } from '../src/core/schema/model';
import { SEMANTIC_RULES } from '../src/core/semantic';
import { applyDocumentDdl } from '../src/core/workspace';

/** PostgreSQL's errors the schema model finds while it applies DDL, and the Citus-independent ones of the planners (rows refused whatever the data). */
const ALSO = ['truncate-referenced-table', 'dependent-objects', 'constraint-already-exists', 'ddl-column-error', 'foreign-key-type-mismatch', 'transaction-block-refused', 'relation-already-exists', 'insert-null-dist-column', 'on-conflict-without-matching-key', 'partitioned-key-without-partition-column', 'partition-bound-refused', 'modify-view', 'multiple-primary-keys', 'undefined-constraint', 'foreign-key-without-unique-key', 'key-drop-refused'];
const norm = (s: string): string => s.replace(/\s+/g, ' ').trim();

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const schemas = args.flatMap((a, i) => (args[i - 1] === '--schema' ? [a] : []));
  const dir = args.find((a, i) => !a.startsWith('--') && args[i - 1] !== '--schema');
  if (!dir || !fs.existsSync(path.join(dir, 'sql')) || !fs.existsSync(path.join(dir, 'expected'))) {
    process.stderr.write('usage: npm run pg-regress -- <postgresql checkout>/src/test/regress [--schema FILE]... [--verbose]\n');
    process.exitCode = 2;
    return;
  }
  await loadParser();
  const base = new SchemaModel();
  for (const f of schemas) applyDocumentDdl(base, { source: f, text: fs.readFileSync(f, 'utf8') });
  const rules = new Set<string>([...SEMANTIC_RULES, ...ALSO]);
  const expected = fs.readdirSync(path.join(dir, 'expected'));
  const counts: Record<string, number> = { confirmed: 0, 'other-error': 0, 'NO-ERROR': 0, 'not found': 0 };
  const lines: string[] = [];
  let internal = 0;
  const missed = new Map<string, { count: number; example: string }>();
  const files = fs.readdirSync(path.join(dir, 'sql')).filter((f) => f.endsWith('.sql')).sort();
  for (const f of files) {
    const text = fs.readFileSync(path.join(dir, 'sql', f), 'utf8');
    const name = f.replace(/\.sql$/, '');
    // the expected output and its alternatives (name_1.out, ...)
    const outs = expected.filter((o) => o === `${name}.out` || new RegExp(`^${name}_\\d+\\.out$`).test(o)).map((o) => norm(fs.readFileSync(path.join(dir, 'expected', o), 'utf8')));
    const analysis = analyzeDocument(text, base, { source: f });
    // a file repeats statements (the same SELECT before and after a CREATE OPERATOR): a statement is the n-th copy of its
    // text in the output when it is the n-th in the file, and only that copy's ERROR confirms it
    const copies = new Map<string, number>();
    const copyOf = new Map<number, number>();
    // (the text of the statement after each: where a statement's output ends)
    const nextOf = new Map<number, string>();
    let previous: number | undefined;
    for (const st of analysis.statements) {
      if (st.parentIndex !== undefined) continue;
      if (previous !== undefined) nextOf.set(previous, norm(text.slice(st.range.start, st.range.end)).slice(0, 60));
      previous = st.index;
      const key = norm(text.slice(st.range.start, st.range.end)).slice(0, 200);
      const n = copies.get(key) ?? 0;
      copies.set(key, n + 1);
      copyOf.set(st.index, n);
    }
    if (args.includes('--missed') && outs.length) tallyMissed(text, outs[0], analysis, f, missed);
    for (const finding of analysis.findings) {
      if (finding.rule === 'internal-error') internal++;
      if (!rules.has(finding.rule) || finding.severity !== 'error') continue;
      const stmt = analysis.statements.find((s) => s.index === finding.statementIndex);
      if (!stmt) continue;
      const sql = norm(text.slice(stmt.range.start, stmt.range.end));
      const message = finding.citus?.message ?? finding.message;
      let verdict = 'not found';
      for (const out of outs) {
        let at = -1;
        for (let n = 0; n <= (copyOf.get(stmt.index) ?? 0); n++) {
          at = out.indexOf(sql.slice(0, 200), at + 1);
          // (an error's context quotes the statement: `LINE 1: SELECT ..`, not a copy of it)
          while (at >= 0 && /LINE \d+: ?$/.test(out.slice(Math.max(0, at - 12), at))) at = out.indexOf(sql.slice(0, 200), at + 1);
          if (at < 0) break;
        }
        if (at < 0) continue;
        // psql prints the statement, then its ERROR (or its result) before the next statement; Citus' files print DEBUG,
        // NOTICE and CONTEXT lines before it, and a comment after the statement is echoed with it
        const after = out.slice(at + sql.length, at + sql.length + 300);
        const own = out.slice(at + sql.length, untilNext(out, at + sql.length, nextOf.get(stmt.index)));
        if (after.includes(`ERROR: ${norm(message)}`) || own.includes(`ERROR: ${norm(message)}`)) {
          verdict = 'confirmed';
          break;
        }
        verdict = /^\s*(?:psql:\S+ )?ERROR: /.test(after) || own.includes('ERROR: ') ? 'other-error' : 'NO-ERROR';
      }
      counts[verdict]++;
      lines.push(`${verdict} ${f} [${finding.rule}] ${message} :: ${sql.slice(0, 200)}`);
    }
  }
  process.stdout.write(`PostgreSQL regression files: ${files.length}; errors we report: ${lines.length}\n`);
  for (const [k, v] of Object.entries(counts)) process.stdout.write(`  ${k.padEnd(12)} ${v}\n`);
  process.stdout.write(`  internal errors: ${internal}\n`);
  if (process.argv.includes('--verbose')) for (const l of lines) if (!l.startsWith('confirmed')) process.stdout.write(`${l}\n`);
  if (args.includes('--missed')) {
    const all = [...missed].sort((a, b) => b[1].count - a[1].count);
    process.stdout.write(`errors PostgreSQL raises where we report none: ${all.reduce((n, [, v]) => n + v.count, 0)}\n`);
    for (const [message, v] of all.slice(0, 80)) process.stdout.write(`${String(v.count).padStart(5)} ${message} || ${v.example}\n`);
  }
}

/** Where a statement's output ends: the next statement's echo, within 3,000 characters. */
function untilNext(out: string, from: number, next: string | undefined): number {
  const at = next ? out.indexOf(next, from) : -1;
  return at >= 0 && at - from < 3000 ? at : from + 3000;
}

/** The expected output's ERROR after each top-level statement we report no error for, by message (see --missed). */
function tallyMissed(text: string, out: string, analysis: ReturnType<typeof analyzeDocument>, file: string, into: Map<string, { count: number; example: string }>): void {
  const errored = new Set(analysis.findings.filter((x) => x.severity === 'error').map((x) => x.statementIndex));
  let from = 0;
  for (const st of analysis.statements) {
    if (st.parentIndex !== undefined) continue;
    const sql = norm(text.slice(st.range.start, st.range.end));
    const at = out.indexOf(sql.slice(0, 200), from);
    if (at < 0) continue;
    from = at + 1;
    const error = /^\s*(?:psql:\S+ )?ERROR: (.*?)(?: LINE \d|DETAIL:|HINT:|CONTEXT:|$)/.exec(out.slice(at + sql.length, at + sql.length + 300));
    if (!error || errored.has(st.index)) continue;
    const key = error[1].replace(/"[^"]*"/g, '"X"').replace(/\b\d+\b/g, 'N').slice(0, 100);
    if (process.env.MISSED && new RegExp(process.env.MISSED).test(key)) process.stdout.write(`MISSED ${file}: ${sql.slice(0, 300)}\n`);
    const entry = into.get(key) ?? { count: 0, example: `${file}: ${sql.slice(0, 140)}` };
    entry.count++;
    into.set(key, entry);
  }
}

main().catch((e: unknown) => {
  process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
  process.exitCode = 1;
});
