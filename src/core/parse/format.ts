/**
 * PL/pgSQL's `EXECUTE format('<template>', <constant>, ...)`: the statement that `format()` builds when
 * every argument is a constant, with a map from each of its characters back to the expression's text
 * (template characters to themselves, a substituted argument to its `%` specifier), so that findings
 * about the built statement point into the template. Anything else (a variable argument, a width or a
 * flag in a specifier) is not expanded: the statement stays dynamic, as before.
 */
import { findStringLiterals } from './literals';
import { parseSql, type PgNode } from './libpg';

export interface FormattedStatement {
  text: string;
  /** offset in the expression of each character of `text`, and of `text.length` */
  offsets: number[];
}

/** Reserved words that quote_ident() quotes (PostgreSQL's reserved keywords). */
const RESERVED = new Set(
  'all analyse analyze and any array as asc asymmetric both case cast check collate column constraint create current_catalog current_date current_role current_time current_timestamp current_user default deferrable desc distinct do else end except false fetch for foreign from grant group having in initially intersect into lateral leading limit localtime localtimestamp not null offset on only or order placing primary references returning select session_user some symmetric system_user table then to trailing true union unique user using variadic when where window with'.split(
    ' ',
  ),
);

/** quote_identifier: an identifier as SQL must write it (quoted unless lower-case, simple and not a reserved word). */
export function quoteIdent(s: string): string {
  return /^[a-z_][a-z0-9_$]*$/.test(s) && !RESERVED.has(s) ? s : `"${s.replace(/"/g, '""')}"`;
}

function quoteLiteral(s: string): string {
  const body = s.replace(/'/g, "''");
  return s.includes('\\') ? `E'${body.replace(/\\/g, '\\\\')}'` : `'${body}'`;
}

/** A constant argument's text value (NULL: null), or undefined when the argument is not a constant. */
function constantText(node: PgNode | undefined): string | null | undefined {
  let n = node;
  while (n?.TypeCast) n = n.TypeCast.arg;
  const c = n?.A_Const;
  if (!c) return undefined;
  if (c.isnull) return null;
  if (c.sval !== undefined) return c.sval.sval ?? '';
  if (c.ival !== undefined) return String(c.ival.ival ?? 0);
  if (c.fval !== undefined) return String(c.fval.fval ?? '');
  if (c.boolval !== undefined) return c.boolval.boolval ? 'true' : 'false';
  return undefined;
}

export function expandFormatCall(expression: string): FormattedStatement | undefined {
  if (!/^\s*format\s*\(/i.test(expression)) return undefined;
  const parsed = parseSql(`SELECT ${expression}`);
  if (!parsed.ok || parsed.statements.length !== 1) return undefined;
  const target = parsed.statements[0].stmt.SelectStmt?.targetList;
  const call = target?.length === 1 ? target[0].ResTarget?.val?.FuncCall : undefined;
  const name = (call?.funcname ?? []).map((f: PgNode) => f.String?.sval).join('.');
  if (!call || (name !== 'format' && name !== 'pg_catalog.format') || call.func_variadic || !call.args?.length) return undefined;
  const args = (call.args as PgNode[]).map(constantText);
  if (args.some((a) => a === undefined) || typeof args[0] !== 'string') return undefined;
  // the template's characters in the expression: its first string literal
  const literal = findStringLiterals(expression)[0];
  if (!literal || literal.content !== args[0]) return undefined;
  const template = literal.content;
  let text = '';
  const offsets: number[] = [];
  let next = 1;
  for (let i = 0; i < template.length; i++) {
    const ch = template[i];
    if (ch !== '%') {
      text += ch;
      offsets.push(literal.rawOffset(i));
      continue;
    }
    const spec = /^%(?:(\d+)\$)?([sIL%])/.exec(template.slice(i));
    if (!spec) return undefined; // flags, widths: not expanded
    const at = literal.rawOffset(i);
    if (spec[2] === '%') {
      text += '%';
      offsets.push(at);
    } else {
      const index = spec[1] ? Number(spec[1]) : next;
      next = index + 1;
      if (index >= args.length) return undefined;
      const value = args[index] as string | null;
      const piece = spec[2] === 'I' ? (value === null ? undefined : quoteIdent(value)) : spec[2] === 'L' ? (value === null ? 'NULL' : quoteLiteral(value)) : (value ?? '');
      if (piece === undefined) return undefined; // format() raises for a NULL identifier
      text += piece;
      for (let k = 0; k < piece.length; k++) offsets.push(at);
    }
    i += spec[0].length - 1;
  }
  offsets.push(literal.rawOffset(template.length));
  return { text, offsets };
}
