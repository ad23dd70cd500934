/**
 * Splits a SQL / psql script into statements without parsing it.
 *
 * One pass over the text that knows PostgreSQL's lexical structure (comments, nested block comments,
 * standard and E'' strings, quoted identifiers, $tag$ quoting, BEGIN ATOMIC bodies) and psql's
 * (backslash meta-commands, COPY ... FROM stdin data blocks, :variables). psql-only text is blanked
 * out or replaced by placeholders of the same length, so every offset in the cleaned text is the
 * offset in the original text: positions stay exact without a map.
 */

export interface ScriptStatement {
  /** character offset of the first token (comments before it are not part of the statement) */
  start: number;
  /** character offset just past the terminating `;` (or the last token when there is none) */
  end: number;
  /** offset where the text between the previous statement and this one begins (leading comments) */
  leadingStart: number;
  /** psql variables (`:v`, `:'v'`, `:"v"`) that were replaced by placeholders inside this statement */
  psqlVariables: PsqlVariable[];
}

export interface PsqlVariable {
  name: string;
  form: 'plain' | 'literal' | 'identifier';
  start: number;
  end: number;
}

export interface ScannedScript {
  /** the text with psql-only parts blanked (same length as the input) */
  cleaned: string;
  statements: ScriptStatement[];
}

export interface ScanOptions {
  /** recognise psql syntax (meta-commands, variables, COPY data). True for files, false for function bodies. */
  psql?: boolean;
}

const isIdentStart = (c: string): boolean => {
  const k = c.charCodeAt(0);
  return (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || k >= 0x80;
};
const isIdentCode = (k: number): boolean =>
  (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || (k >= 48 && k <= 57) || k === 95 || k === 36 || k >= 0x80;
const isIdentChar = (c: string): boolean => isIdentCode(c.charCodeAt(0));

/** the characters of a plain run below 0x80, as a character-class body */
const PLAIN_ASCII = 'A-Za-z0-9_ \\t\\n\\r\\f,.=<>+*!%^&|~#@?[\\]{}';
/**
 * A run of text that starts no token of its own: identifier characters, digits, whitespace and operator characters,
 * but no quote, comment start, parenthesis, `;`, `$`, `:` or backslash. (The E of an E'...' string is given back.)
 */
const PLAIN_RUN = new RegExp(`[${PLAIN_ASCII}\\u0080-\\uffff]+`, 'y');
/** PLAIN_RUN's characters below 0x80, by code */
const PLAIN_ASCII_CHAR = new RegExp(`^[${PLAIN_ASCII}]$`);
const PLAIN_CODE = new Uint8Array(128).map((_, k) => (PLAIN_ASCII_CHAR.test(String.fromCharCode(k)) ? 1 : 0));

/** The `count` characters from `from` are all characters of a plain run (see PLAIN_RUN). */
function isPlainRun(text: string, from: number, count: number): boolean {
  for (let k = from; k < from + count; k++) {
    const c = text.charCodeAt(k);
    if (c < 0x80 && !PLAIN_CODE[c]) return false;
  }
  return true;
}
const isSpaceCode = (k: number): boolean => k === 32 || k === 10 || k === 9 || k === 13 || k === 12;
/** A run of the characters `isSpaceCode` accepts. */
const SPACE_RUN = /[ \n\t\r\f]+/y;

/** psql meta-commands that send the query buffer, i.e. act like a terminating `;`. */
const SENDING_META = /^\\(g|gx|gset|gexec|gdesc|crosstabview|watch)\b/;

export function scanScript(text: string, options: ScanOptions = {}): ScannedScript {
  const psql = options.psql ?? true;
  // psql-only parts are rare: they are recorded as patches (in text order) and applied once at the end
  const patches: { from: number; to: number; text: string }[] = [];
  const statements: ScriptStatement[] = [];
  const n = text.length;

  let i = 0;
  let stmtStart = -1; // first token of the current statement
  let leadingStart = 0;
  let lastTokenEnd = -1;
  let depth = 0; // parentheses
  let atomicDepth = 0; // BEGIN ATOMIC ... END nesting inside CREATE FUNCTION
  let vars: PsqlVariable[] = [];
  let words: string[] = []; // the first words of the current statement, upper-cased (for COPY / BEGIN ATOMIC)
  let prevWord = '';
  let routine = false; // the statement is CREATE [OR REPLACE] FUNCTION / PROCEDURE

  const blank = (from: number, to: number): void => {
    if (to <= from) return;
    patches.push({ from, to, text: text.slice(from, to).replace(/[^\r\n]/g, ' ') });
  };
  const markToken = (from: number, to: number): void => {
    if (stmtStart < 0) stmtStart = from;
    lastTokenEnd = to;
  };
  const endStatement = (end: number): void => {
    if (stmtStart >= 0) {
      statements.push({ start: stmtStart, end, leadingStart, psqlVariables: vars });
      const isCopyFromStdin = psql && words[0] === 'COPY' && /\bFROM\s+STDIN\b/i.test(text.slice(stmtStart, end));
      if (isCopyFromStdin) skipCopyData(end);
    }
    stmtStart = -1;
    leadingStart = i;
    lastTokenEnd = -1;
    depth = 0;
    atomicDepth = 0;
    vars = [];
    words = [];
    prevWord = '';
    routine = false;
  };
  /** Blanks the data lines that follow COPY ... FROM stdin, up to and including the `\.` line. */
  const skipCopyData = (from: number): void => {
    let lineStart = text.indexOf('\n', from);
    if (lineStart < 0) return;
    lineStart += 1;
    while (lineStart < n) {
      let lineEnd = text.indexOf('\n', lineStart);
      if (lineEnd < 0) lineEnd = n;
      blank(lineStart, lineEnd);
      const line = text.slice(lineStart, lineEnd).replace(/\r$/, '');
      lineStart = lineEnd + 1;
      if (line === '\\.') break;
    }
    i = Math.min(lineStart, n);
    leadingStart = i;
  };

  // Words: identifiers and keywords. Only the first few words of a statement and, inside CREATE
  // FUNCTION / PROCEDURE, the keywords of BEGIN ATOMIC bodies matter (upper-casing every word is costly).
  const word = (from: number, to: number): void => {
    markToken(from, to);
    if (words.length < 4) {
      words.push(text.slice(from, to).toUpperCase());
      routine = isRoutineDefinition(words);
    }
    if (routine) {
      const w = text.slice(from, to).toUpperCase();
      if (w === 'ATOMIC' && prevWord === 'BEGIN') atomicDepth++;
      else if (atomicDepth > 0 && w === 'CASE') atomicDepth++;
      else if (atomicDepth > 0 && w === 'END') atomicDepth--;
      prevWord = w;
    }
  };

  while (i < n) {
    // Past a statement's first words, runs of words, numbers, whitespace and operators that start nothing (no
    // quote, comment, parenthesis, `;`, `$`, `:` or backslash) change nothing but the last token's end: one
    // regular expression skips them, which keeps a file's first scan fast before V8 has optimised this loop.
    if (!routine && words.length >= 4 && i + 12 < n && isPlainRun(text, i, 12)) {
      PLAIN_RUN.lastIndex = i;
      if (PLAIN_RUN.test(text)) {
        let next = PLAIN_RUN.lastIndex;
        // E'...' (or e'...') is a string with escapes: its E is the string's, not the run's
        if (next < n && text.charCodeAt(next) === 39 && (text.charCodeAt(next - 1) | 32) === 101) next--;
        let end = next;
        while (end > i && isSpaceCode(text.charCodeAt(end - 1))) end--;
        if (end > i) {
          lastTokenEnd = end;
          prevWord = '';
        }
        i = next;
        if (i >= n) break;
      }
    }
    const code = text.charCodeAt(i);
    // whitespace
    if (code === 32 || code === 10 || code === 9 || code === 13 || code === 12) {
      // a run at once; a long one (the language server's blanked copies are mostly spaces) with the regular
      // expression engine, several times faster than this loop
      if (isSpaceCode(text.charCodeAt(i + 1)) && isSpaceCode(text.charCodeAt(i + 7))) {
        SPACE_RUN.lastIndex = i;
        SPACE_RUN.test(text);
        i = SPACE_RUN.lastIndex;
        continue;
      }
      i++;
      while (i < n && isSpaceCode(text.charCodeAt(i))) i++;
      continue;
    }
    // plain words (identifiers and keywords) are most of the text: the fast path
    if (((code >= 97 && code <= 122) || (code >= 65 && code <= 90) || code === 95 || code >= 0x80) && !((code === 69 || code === 101) && text.charCodeAt(i + 1) === 39)) {
      let k = i + 1;
      while (k < n && isIdentCode(text.charCodeAt(k))) k++;
      word(i, k);
      i = k;
      continue;
    }
    const c = text[i];
    const next = i + 1 < n ? text[i + 1] : '';

    // -- comment
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
      continue;
    }
    // /* nested */ comment
    if (c === '/' && next === '*') {
      let level = 1;
      let k = i + 2;
      while (k < n && level > 0) {
        const ch = text.charCodeAt(k);
        if (ch === 47 && text.charCodeAt(k + 1) === 42) {
          level++;
          k += 2;
        } else if (ch === 42 && text.charCodeAt(k + 1) === 47) {
          level--;
          k += 2;
        } else k++;
      }
      i = k;
      continue;
    }
    // psql meta-command: from the backslash to the end of the line
    if (psql && c === '\\') {
      const eol = text.indexOf('\n', i);
      const end = eol < 0 ? n : eol;
      const command = text.slice(i, end);
      blank(i, end);
      const sends = SENDING_META.test(command);
      const copyStdin = /^\\copy\b[\s\S]*\bfrom\s+(stdin|pstdin)\b/i.test(command);
      i = end;
      if (sends) endStatement(lastTokenEnd >= 0 ? lastTokenEnd : i);
      else if (copyStdin) {
        endStatement(lastTokenEnd >= 0 ? lastTokenEnd : i);
        skipCopyData(end);
      }
      continue;
    }
    // string constants: '...', E'...', B'...', X'...', U&'...'
    if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && !(i > 0 && isIdentChar(text[i - 1])))) {
      const start = i;
      const escapes = c !== "'";
      let k = escapes ? i + 2 : i + 1;
      for (;;) {
        if (k >= n) break;
        const ch = text[k];
        if (escapes && ch === '\\') {
          k += 2;
          continue;
        }
        if (ch === "'") {
          if (text[k + 1] === "'") {
            k += 2;
            continue;
          }
          k++;
          break;
        }
        k++;
      }
      i = Math.min(k, n);
      markToken(start, i);
      prevWord = '';
      continue;
    }
    // quoted identifier
    if (c === '"') {
      const start = i;
      let k = i + 1;
      while (k < n) {
        if (text[k] === '"') {
          if (text[k + 1] === '"') {
            k += 2;
            continue;
          }
          k++;
          break;
        }
        k++;
      }
      i = Math.min(k, n);
      markToken(start, i);
      prevWord = '';
      continue;
    }
    // dollar quoting: $tag$ ... $tag$ (not $1 parameters)
    if (c === '$' && !(i > 0 && isIdentChar(text[i - 1]))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (m) {
        const tag = m[0];
        const close = text.indexOf(tag, i + tag.length);
        const end = close < 0 ? n : close + tag.length;
        markToken(i, end);
        i = end;
        prevWord = '';
        continue;
      }
    }
    // psql variables :name, :'name', :"name" (not :: casts)
    if (psql && c === ':' && next !== ':' && !(i > 0 && (text[i - 1] === ':' || isIdentChar(text[i - 1])))) {
      const m = /^:(?:'([A-Za-z_][A-Za-z0-9_]*)'|"([A-Za-z_][A-Za-z0-9_]*)"|([A-Za-z_][A-Za-z0-9_]*))/.exec(
        text.slice(i, i + 130),
      );
      if (m) {
        const len = m[0].length;
        const name = m[1] ?? m[2] ?? m[3] ?? '';
        const form: PsqlVariable['form'] = m[1] !== undefined ? 'literal' : m[2] !== undefined ? 'identifier' : 'plain';
        const placeholder =
          form === 'literal'
            ? "'" + '_'.repeat(len - 2) + "'"
            : form === 'identifier'
              ? '"' + '_'.repeat(len - 2) + '"'
              : '_' + name;
        patches.push({ from: i, to: i + len, text: placeholder });
        vars.push({ name, form, start: i, end: i + len });
        markToken(i, i + len);
        i += len;
        prevWord = '';
        continue;
      }
    }
    if (c === '(') depth++;
    else if (c === ')') depth = Math.max(0, depth - 1);
    if (c === ';' && depth === 0 && atomicDepth === 0) {
      i++;
      endStatement(i);
      continue;
    }
    if (isIdentStart(c)) {
      let k = i + 1;
      while (k < n && isIdentCode(text.charCodeAt(k))) k++;
      word(i, k);
      i = k;
      continue;
    }
    markToken(i, i + 1);
    prevWord = '';
    i++;
  }
  if (stmtStart >= 0) {
    statements.push({ start: stmtStart, end: lastTokenEnd, leadingStart, psqlVariables: vars });
  }
  return { cleaned: applyPatches(text, patches), statements };
}

function applyPatches(text: string, patches: readonly { from: number; to: number; text: string }[]): string {
  if (patches.length === 0) return text;
  const parts: string[] = [];
  let at = 0;
  for (const p of patches) {
    parts.push(text.slice(at, p.from), p.text);
    at = p.to;
  }
  parts.push(text.slice(at));
  return parts.join('');
}

function isRoutineDefinition(words: string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  let k = 1;
  if (words[k] === 'OR' && words[k + 1] === 'REPLACE') k += 2;
  return words[k] === 'FUNCTION' || words[k] === 'PROCEDURE';
}
