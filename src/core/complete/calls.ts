/**
 * The function call around the cursor, from the tokens of the text being typed (the statement need not parse):
 * the function's name, which argument the cursor is in (by position, or by name after `name =>`), and the
 * arguments written so far. Signature help and the completion of Citus function arguments read it.
 */
import { isName, openParentheses, type Token } from './lexer';

export interface CallArgumentText {
  /** `name => value` / `name := value` */
  name?: string;
  /** the argument's tokens (after `name =>`) */
  tokens: Token[];
}

export interface CallAt {
  /** the function name, lower-cased, without schema */
  name: string;
  schema?: string;
  /** the `(` token */
  open: Token;
  /** the arguments up to the cursor; the last one holds the cursor */
  args: CallArgumentText[];
  /** index of the argument holding the cursor */
  index: number;
}

/** Words that are followed by `(` without being function calls. */
const NOT_CALLS = new Set([
  'in', 'exists', 'values', 'any', 'all', 'some', 'as', 'from', 'join', 'using', 'on', 'and', 'or', 'not', 'where', 'over', 'filter',
  'within', 'select', 'into', 'table', 'conflict', 'key', 'unique', 'check', 'references', 'partition', 'by', 'lateral', 'cast', 'row',
  'array', 'when', 'then', 'else', 'case', 'materialized', 'with', 'default', 'is', 'like', 'between', 'set', 'returning', 'do',
]);

/** The innermost function call whose `(` is before `offset` and not closed before it. `tokens`: significant tokens. */
export function callAt(tokens: readonly Token[], offset: number): CallAt | undefined {
  const { open: stack, end } = openParentheses(tokens, offset);
  for (let s = stack.length - 1; s >= 0; s--) {
    const open = stack[s];
    const nameTok = tokens[open - 1];
    if (!isName(nameTok) || (nameTok.kind === 'ident' && NOT_CALLS.has(nameTok.value))) {
      // a parenthesized expression or a subquery: a call further out may still hold the cursor, but not
      // across a subquery (its own statement)
      if (tokens[open + 1]?.kind === 'ident' && tokens[open + 1].value === 'select') return undefined;
      continue;
    }
    const schemaTok = tokens[open - 2]?.value === '.' ? tokens[open - 3] : undefined;
    const args: CallArgumentText[] = [{ tokens: [] }];
    let depth = 0;
    for (let j = open + 1; j < end; j++) {
      const t = tokens[j];
      if (t.kind === 'punct' && (t.value === '(' || t.value === '[')) depth++;
      else if (t.kind === 'punct' && (t.value === ')' || t.value === ']')) depth--;
      if (depth === 0 && t.kind === 'punct' && t.value === ',') {
        args.push({ tokens: [] });
        continue;
      }
      const cur = args[args.length - 1];
      if (depth === 0 && cur.tokens.length === 1 && isName(cur.tokens[0]) && t.kind === 'op' && (t.value === '=>' || t.value === ':=') && !cur.name) {
        cur.name = cur.tokens[0].value;
        cur.tokens = [];
        continue;
      }
      cur.tokens.push(t);
    }
    return { name: nameTok.value, schema: isName(schemaTok) ? schemaTok.value : undefined, open: tokens[open], args, index: args.length - 1 };
  }
  return undefined;
}
