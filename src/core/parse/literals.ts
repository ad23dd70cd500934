/**
 * Finds the string literals of a SQL text (for function bodies and `EXECUTE '...'` strings) together
 * with a map from each decoded character back to its offset in the text.
 */

export interface StringLiteral {
  /** offset of the opening quote / tag */
  start: number;
  /** offset just past the closing quote / tag */
  end: number;
  /** the literal's value */
  content: string;
  /** offset in the text of the `i`-th character of `content` (and of `content.length`) */
  rawOffset(i: number): number;
}

export function findStringLiterals(text: string): StringLiteral[] {
  const literals: StringLiteral[] = [];
  const n = text.length;
  let i = 0;
  while (i < n) {
    const c = text[i];
    const next = text[i + 1];
    if (c === '-' && next === '-') {
      const eol = text.indexOf('\n', i);
      i = eol < 0 ? n : eol;
    } else if (c === '/' && next === '*') {
      const close = text.indexOf('*/', i + 2);
      i = close < 0 ? n : close + 2;
    } else if (c === '"') {
      let k = i + 1;
      while (k < n && !(text[k] === '"' && text[k + 1] !== '"')) k += text[k] === '"' ? 2 : 1;
      i = k + 1;
    } else if (c === '$' && !(i > 0 && /[A-Za-z0-9_$]/.test(text[i - 1]))) {
      const m = /^\$([A-Za-z_\u0080-\uffff][A-Za-z0-9_\u0080-\uffff]*)?\$/.exec(text.slice(i, i + 64));
      if (!m) {
        i++;
        continue;
      }
      const tag = m[0];
      const contentStart = i + tag.length;
      const close = text.indexOf(tag, contentStart);
      const contentEnd = close < 0 ? n : close;
      const end = close < 0 ? n : close + tag.length;
      literals.push({
        start: i,
        end,
        content: text.slice(contentStart, contentEnd),
        rawOffset: (k) => contentStart + k,
      });
      i = end;
    } else if (c === "'" || ((c === 'E' || c === 'e') && next === "'" && !(i > 0 && /[A-Za-z0-9_]/.test(text[i - 1])))) {
      const escapes = c !== "'";
      const start = i;
      let k = escapes ? i + 2 : i + 1;
      let content = '';
      const offsets: number[] = [];
      while (k < n) {
        const ch = text[k];
        if (ch === "'") {
          if (text[k + 1] === "'") {
            offsets.push(k);
            content += "'";
            k += 2;
            continue;
          }
          break;
        }
        if (escapes && ch === '\\' && k + 1 < n) {
          offsets.push(k);
          const e = text[k + 1];
          content += e === 'n' ? '\n' : e === 't' ? '\t' : e === 'r' ? '\r' : e;
          k += 2;
          continue;
        }
        offsets.push(k);
        content += ch;
        k++;
      }
      offsets.push(k);
      literals.push({ start, end: Math.min(k + 1, n), content, rawOffset: (j) => offsets[Math.min(j, offsets.length - 1)] });
      i = k + 1;
    } else i++;
  }
  return literals;
}
