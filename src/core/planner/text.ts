import type { PgNode } from '../parse/ast';
import type { ParsedStatement } from '../parse/document';
import type { Range } from '../types';
import { firstLoc } from './query';

/**
 * Finding the text of a construct in a statement. libpg-query gives start locations only (UTF-8
 * bytes); these helpers find keyword positions and expression ends with a small lexer that skips
 * strings, quoted identifiers and comments. All offsets here are character offsets into `text`.
 */

const CLAUSE_KEYWORD = /^(FROM|WHERE|GROUP|HAVING|ORDER|LIMIT|OFFSET|FETCH|UNION|INTERSECT|EXCEPT|WINDOW|ON|RETURNING|AS|INTO|USING|JOIN|LEFT|RIGHT|INNER|FULL|CROSS|THEN|ELSE|END|WHEN)\b/i;
const isWordCode = (k: number): boolean => (k >= 65 && k <= 90) || (k >= 97 && k <= 122) || (k >= 48 && k <= 57) || k === 95 || k === 36;

/** End (exclusive) of the expression that starts at `start`: the first top-level `,` `)` `;` or clause keyword. */
export function expressionEnd(text: string, start: number): number {
  let depth = 0;
  let i = start;
  let last = start;
  while (i < text.length) {
    const c = text[i];
    if (c === "'" || c === '"') {
      const close = skipQuoted(text, i);
      last = close;
      i = close;
      continue;
    }
    if (c === '-' && text[i + 1] === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? text.length : eol;
      continue;
    }
    if (c === '(' || c === '[') depth++;
    else if (c === ')' || c === ']') {
      if (depth === 0) break;
      depth--;
      last = i + 1;
      i++;
      continue;
    } else if (depth === 0 && (c === ',' || c === ';')) break;
    const code = text.charCodeAt(i);
    const letter = (code >= 65 && code <= 90) || (code >= 97 && code <= 122);
    if (depth === 0 && letter && i > start && !isWordCode(text.charCodeAt(i - 1))) {
      const m = CLAUSE_KEYWORD.exec(text.slice(i, i + 12));
      if (m) break;
    }
    if (!(code === 32 || code === 10 || code === 9 || code === 13 || code === 12)) last = i + 1;
    i++;
  }
  return Math.max(last, start + 1);
}

function skipQuoted(text: string, i: number): number {
  const q = text[i];
  let k = i + 1;
  while (k < text.length) {
    if (text[k] === q) {
      if (text[k + 1] === q) {
        k += 2;
        continue;
      }
      return k + 1;
    }
    k++;
  }
  return text.length;
}

/** The last occurrence of a keyword (whole word, case-insensitive) that starts before `before` and after `after`. */
export function keywordBefore(text: string, before: number, keyword: string, after = 0): number | undefined {
  const re = keywordPattern(keyword);
  let found: number | undefined;
  const slice = text.slice(after, before);
  re.lastIndex = 0;
  for (let m = re.exec(slice); m; m = re.exec(slice)) found = after + m.index;
  return found;
}

/** `\bKEYWORD\b`, global and case-insensitive, one per keyword (the callers ask for a handful of keywords). */
const keywordPatterns = new Map<string, RegExp>();
function keywordPattern(keyword: string): RegExp {
  let re = keywordPatterns.get(keyword);
  if (!re) keywordPatterns.set(keyword, (re = new RegExp(`\\b${keyword}\\b`, 'gi')));
  return re;
}

/** The first occurrence of a keyword at or after `from`. */
export function keywordAfter(text: string, from: number, keyword: string): number | undefined {
  const re = keywordPattern(keyword);
  re.lastIndex = 0;
  const m = re.exec(text.slice(from));
  return m ? from + (m.index ?? 0) : undefined;
}

/** Length of an identifier (possibly quoted or qualified) starting at `start`. */
export function nameLength(text: string, start: number): number {
  const m = /^("(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*)(\s*\.\s*("(?:[^"]|"")*"|[A-Za-z_\u0080-\uffff][\w$\u0080-\uffff]*))*/.exec(text.slice(start));
  return m ? m[0].length : 1;
}

/** Document ranges of the constructs of one parsed statement (node locations are UTF-8 bytes into it). */
export class StatementPositions {
  private readonly text: string;
  constructor(private readonly stmt: ParsedStatement) {
    this.text = stmt.text;
  }

  /** document offset of a node location */
  doc(location: number): number {
    return this.stmt.toDocumentOffset(location);
  }

  /** offset within the statement text of a document offset */
  local(docOffset: number): number {
    return docOffset - this.stmt.start;
  }

  /** from the node's first location to the end of its expression */
  nodeRange(node: PgNode | undefined, fallback?: number): Range {
    const loc = node ? firstLoc(node) : (fallback ?? 0);
    const start = this.doc(loc);
    const end = this.stmt.start + expressionEnd(this.text, this.local(start));
    return { start, end: Math.min(end, this.stmt.end) };
  }

  /** a (qualified, possibly quoted) name at a location */
  nameRange(location: number): Range {
    const start = this.doc(location);
    return { start, end: start + nameLength(this.text, this.local(start)) };
  }

  /** the last `keyword` before a node (or a byte location), after `after` (statement offset) */
  keywordRange(keyword: string, beforeNode: PgNode | number | undefined, after = 0): Range | undefined {
    const loc = typeof beforeNode === 'number' ? beforeNode : beforeNode ? firstLoc(beforeNode) : undefined;
    if (loc === undefined) return undefined;
    const at = keywordBefore(this.text, this.local(this.doc(loc)), keyword, after);
    if (at === undefined) return undefined;
    const m = new RegExp(`^${keyword}`, 'i').exec(this.text.slice(at));
    return { start: this.stmt.start + at, end: this.stmt.start + at + (m ? m[0].length : keyword.length) };
  }

  /** the first match of a pattern in the statement text */
  textRange(re: RegExp): Range | undefined {
    const m = re.exec(this.text);
    return m ? { start: this.stmt.start + m.index, end: this.stmt.start + m.index + m[0].length } : undefined;
  }

  statementRange(): Range {
    return { start: this.stmt.start, end: this.stmt.end };
  }
}
