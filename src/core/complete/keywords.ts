/**
 * Keywords where the grammar expects them, asked of the grammar itself: a keyword is offered when the statement
 * up to the cursor, followed by the keyword in a short use of it (`WHERE true`, `GROUP BY 1`), parses, or fails
 * only at the end of the input. The use matters: many keywords are also valid identifiers (`SELECT a FROM t set`
 * reads `set` as an alias), and only the keyword's own continuation tells them apart.
 */
import { parseSqlUncached } from '../parse/libpg';

export interface KeywordCandidate {
  /** what is inserted (upper case) */
  label: string;
  /** the text after the keyword that makes it a keyword use */
  use: string;
  /** only starts a statement (many of these words are valid identifiers anywhere else) */
  start?: boolean;
  /** a text the grammar accepts where the words are something else (an expression, an alias): not offered then */
  unless?: string;
}

const k = (label: string, use = ''): KeywordCandidate => ({ label, use });
const s = (label: string, use = ''): KeywordCandidate => ({ label, use, start: true });

/** The keywords and phrases offered, each with a use. Statement starts come first. */
export const KEYWORDS: readonly KeywordCandidate[] = [
  k('SELECT', ' 1'),
  s('INSERT INTO', ' t VALUES (1)'),
  s('UPDATE', ' t SET a = 1'),
  s('DELETE FROM', ' t'),
  k('WITH', ' c AS (SELECT 1) SELECT 1'),
  k('WITH RECURSIVE', ' c AS (SELECT 1) SELECT 1'),
  s('MERGE INTO', ' t USING u ON true WHEN MATCHED THEN DO NOTHING'),
  s('CREATE TABLE', ' t (a int)'),
  s('CREATE VIEW', ' v AS SELECT 1'),
  s('CREATE INDEX', ' ON t (a)'),
  s('CREATE SCHEMA', ' s'),
  s('ALTER TABLE', ' t ADD COLUMN a int'),
  s('DROP TABLE', ' t'),
  s('TRUNCATE', ' t'),
  k('SET', ' a = 1'),
  s('RESET', ' a'),
  s('SHOW', ' a'),
  s('BEGIN', ''),
  s('COMMIT', ''),
  s('ROLLBACK', ''),
  s('EXPLAIN', ' SELECT 1'),
  k('VALUES', ' (1)'),
  k('FROM', ' t'),
  k('WHERE', ' true'),
  k('GROUP BY', ' 1'),
  k('HAVING', ' true'),
  k('ORDER BY', ' 1'),
  k('LIMIT', ' 1'),
  k('OFFSET', ' 1'),
  k('WINDOW', ' w AS ()'),
  k('UNION', ' SELECT 1'),
  k('UNION ALL', ' SELECT 1'),
  k('INTERSECT', ' SELECT 1'),
  k('EXCEPT', ' SELECT 1'),
  k('JOIN', ' t ON true'),
  k('INNER JOIN', ' t ON true'),
  k('LEFT JOIN', ' t ON true'),
  k('RIGHT JOIN', ' t ON true'),
  k('FULL JOIN', ' t ON true'),
  k('CROSS JOIN', ' t'),
  k('LATERAL', ' (SELECT 1) s'),
  k('ON', ' true'),
  k('USING', ' (a)'),
  k('AS', ' x'),
  k('DISTINCT', ' 1'),
  k('DISTINCT ON', ' (1) 1'),
  k('RETURNING', ' 1'),
  k('ON CONFLICT', ' DO NOTHING'),
  k('DO NOTHING', ''),
  k('DO UPDATE SET', ' a = 1'),
  { label: 'DEFAULT VALUES', use: '', unless: 'DEFAULT AS x' },
  k('AND', ' true'),
  k('OR', ' true'),
  k('NOT', ' true'),
  k('IN', ' (1)'),
  k('NOT IN', ' (1)'),
  k('IS NULL', ''),
  k('IS NOT NULL', ''),
  k('IS DISTINCT FROM', ' 1'),
  k('LIKE', " 'a' ESCAPE 'b'"),
  k('ILIKE', " 'a' ESCAPE 'b'"),
  k('BETWEEN', ' 1 AND 2'),
  k('CASE', ' WHEN true THEN 1 END'),
  k('WHEN', ' true THEN 1'),
  k('THEN', ' 1'),
  k('ELSE', ' 1'),
  k('END', ''),
  k('EXISTS', ' (SELECT 1)'),
  k('NULL', ''),
  k('TRUE', ''),
  k('FALSE', ''),
  k('CAST', '(1 AS int)'),
  k('INTERVAL', " '1 day'"),
  k('CURRENT_DATE', ''),
  k('CURRENT_TIMESTAMP', ''),
  k('ASC', ''),
  k('DESC', ''),
  k('NULLS FIRST', ''),
  k('NULLS LAST', ''),
  k('OVER', ' (PARTITION BY 1)'),
  k('PARTITION BY', ' 1'),
  k('FILTER', ' (WHERE true)'),
  k('WITHIN GROUP', ' (ORDER BY 1)'),
  k('MATERIALIZED', ' (SELECT 1) SELECT 1'),
  k('NOT MATERIALIZED', ' (SELECT 1) SELECT 1'),
  k('FOR UPDATE', ''),
  k('INTO', ' t'),
  k('TO', ' 1'),
  k('PRIMARY KEY', ' (a)'),
];

/**
 * The keywords the grammar accepts after `prefix` (the statement's text up to the word being typed), among those
 * whose label starts with `typed` (case-insensitive). Nothing when the prefix itself is broken: the grammar cannot
 * say then, and guessing would offer wrong words.
 */
export function expectedKeywords(prefix: string, typed: string): string[] {
  const t = typed.toLowerCase();
  const atStart = STATEMENT_START.test(prefix);
  const candidates = KEYWORDS.filter((c) => c.label.toLowerCase().startsWith(t) && (!c.start || atStart));
  if (candidates.length === 0 || prefix.length > 20000) return [];
  const base = prefix.replace(/\s+$/, '');
  const sep = base.length ? ' ' : '';
  const out: string[] = [];
  const seen = new Set<string>();
  for (const c of candidates) {
    if (seen.has(c.label)) continue;
    if (accepts(base + sep + c.label + c.use) && !(c.unless && accepts(base + sep + c.unless))) {
      seen.add(c.label);
      out.push(c.label);
    }
  }
  return out;
}

/** Where a statement starts: nothing before, or EXPLAIN [ANALYZE] [VERBOSE]. */
const STATEMENT_START = /^\s*(explain(\s+analyze)?(\s+verbose)?\s*)?$/i;

/** The grammar accepts the text, or fails only because it ends. */
function accepts(text: string): boolean {
  const r = parseSqlUncached(text);
  return r.ok || (r.message.includes('at end of input') && r.offset >= text.length - 1);
}
