/**
 * A tolerant SQL tokenizer for text being typed: PostgreSQL's lexical rules (comments, nested block comments,
 * '' / E'' strings, "quoted identifiers", $tag$ quoting), where an unterminated string or comment is a token up to
 * the end of the text instead of an error. Completion and signature help read the statement around the cursor
 * with it; the parser itself never sees its tokens.
 */

export type TokenKind = 'ident' | 'qident' | 'string' | 'number' | 'op' | 'punct' | 'param' | 'comment';

export interface Token {
  kind: TokenKind;
  /** character offsets in the text */
  start: number;
  end: number;
  /** identifiers lower-cased (quoted ones as written, without quotes); string contents without quotes */
  value: string;
  /** a string, quoted identifier or comment that runs to the end of the text */
  unterminated?: boolean;
}

const isIdentStart = (k: number): boolean => (k >= 97 && k <= 122) || (k >= 65 && k <= 90) || k === 95 || k >= 0x80;
const isIdentPart = (k: number): boolean => isIdentStart(k) || (k >= 48 && k <= 57) || k === 36;
const OP_CHARS = '+-*/<>=~!@#%^&|`?';

export function tokenize(text: string, from = 0, to = text.length): Token[] {
  const out: Token[] = [];
  let i = from;
  while (i < to) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13 || c === 12) {
      i++;
      continue;
    }
    const start = i;
    const ch = text[i];
    // comments
    if (ch === '-' && text[i + 1] === '-') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 || nl > to ? to : nl;
      out.push({ kind: 'comment', start, end: i, value: '' });
      continue;
    }
    if (ch === '/' && text[i + 1] === '*') {
      let depth = 1;
      i += 2;
      while (i < to && depth > 0) {
        if (text[i] === '/' && text[i + 1] === '*') {
          depth++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          depth--;
          i += 2;
        } else i++;
      }
      out.push({ kind: 'comment', start, end: Math.min(i, to), value: '', ...(depth > 0 ? { unterminated: true } : {}) });
      continue;
    }
    // strings: '...', E'...', B'...', X'...', U&'...', N'...'
    const prefixed = /[eEbBxXnN]/.test(ch) && text[i + 1] === "'" ? 1 : (ch === 'u' || ch === 'U') && text[i + 1] === '&' && text[i + 2] === "'" ? 2 : 0;
    if (ch === "'" || prefixed) {
      const escapes = prefixed === 1 && (ch === 'e' || ch === 'E');
      i += prefixed + 1;
      let value = '';
      let closed = false;
      while (i < to) {
        const x = text[i];
        if (escapes && x === '\\' && i + 1 < to) {
          value += text[i + 1];
          i += 2;
          continue;
        }
        if (x === "'") {
          if (text[i + 1] === "'") {
            value += "'";
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        value += x;
        i++;
      }
      out.push({ kind: 'string', start, end: i, value, ...(closed ? {} : { unterminated: true }) });
      continue;
    }
    if (ch === '"') {
      i++;
      let value = '';
      let closed = false;
      while (i < to) {
        if (text[i] === '"') {
          if (text[i + 1] === '"') {
            value += '"';
            i += 2;
            continue;
          }
          i++;
          closed = true;
          break;
        }
        value += text[i++];
      }
      out.push({ kind: 'qident', start, end: i, value, ...(closed ? {} : { unterminated: true }) });
      continue;
    }
    if (ch === '$') {
      const tag = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, Math.min(to, i + 64)));
      if (tag) {
        const close = text.indexOf(tag[0], i + tag[0].length);
        const end = close < 0 || close + tag[0].length > to ? to : close + tag[0].length;
        out.push({ kind: 'string', start, end, value: text.slice(i + tag[0].length, close < 0 ? to : close), ...(close < 0 || close >= to ? { unterminated: true } : {}) });
        i = end;
        continue;
      }
      if (/[0-9]/.test(text[i + 1] ?? '')) {
        i++;
        while (i < to && /[0-9]/.test(text[i])) i++;
        out.push({ kind: 'param', start, end: i, value: text.slice(start, i) });
        continue;
      }
    }
    if (isIdentStart(c)) {
      i++;
      while (i < to && isIdentPart(text.charCodeAt(i))) i++;
      out.push({ kind: 'ident', start, end: i, value: text.slice(start, i).toLowerCase() });
      continue;
    }
    if ((c >= 48 && c <= 57) || (ch === '.' && /[0-9]/.test(text[i + 1] ?? ''))) {
      i++;
      while (i < to && /[0-9._eE]/.test(text[i])) {
        if ((text[i] === 'e' || text[i] === 'E') && /[+-]/.test(text[i + 1] ?? '')) i++;
        i++;
      }
      out.push({ kind: 'number', start, end: i, value: text.slice(start, i) });
      continue;
    }
    if (ch === ':' && text[i + 1] === ':') {
      i += 2;
      out.push({ kind: 'op', start, end: i, value: '::' });
      continue;
    }
    if (ch === ':' && text[i + 1] === '=') {
      i += 2;
      out.push({ kind: 'op', start, end: i, value: ':=' });
      continue;
    }
    if (OP_CHARS.includes(ch)) {
      i++;
      while (i < to && OP_CHARS.includes(text[i]) && !(text[i] === '-' && text[i + 1] === '-') && !(text[i] === '/' && text[i + 1] === '*')) i++;
      out.push({ kind: 'op', start, end: i, value: text.slice(start, i) });
      continue;
    }
    i++;
    out.push({ kind: 'punct', start, end: i, value: ch });
  }
  return out;
}

/** Tokens without comments. */
export function significant(tokens: readonly Token[]): Token[] {
  return tokens.filter((t) => t.kind !== 'comment');
}

/** An identifier token's name (quoted ones as written, others lower-cased). */
export function isName(t: Token | undefined): t is Token {
  return !!t && (t.kind === 'ident' || t.kind === 'qident');
}

/**
 * The `(` tokens (indexes into `tokens`) still open before `offset`, outermost first, and the index of the first
 * token at or after `offset`.
 */
export function openParentheses(tokens: readonly Token[], offset: number): { open: number[]; end: number } {
  const open: number[] = [];
  let k = 0;
  for (; k < tokens.length && tokens[k].start < offset; k++) {
    const t = tokens[k];
    if (t.kind !== 'punct') continue;
    if (t.value === '(') open.push(k);
    else if (t.value === ')') open.pop();
    else if (t.value === ';') open.length = 0;
  }
  return { open, end: k };
}
