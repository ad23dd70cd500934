/**
 * Signature help: the call around the cursor (./calls.ts, on text that need not parse), with the signatures of
 * Citus' functions (as a real cluster prints their arguments) or of PostgreSQL's built-in functions (argument
 * names from the catalog's proargnames), and the argument the cursor is in, by position or by name.
 */
import { builtins, type FunctionInfo } from '../semantic/catalog';
import { callAt, type CallAt } from './calls';
import { citusCatalog, type CitusFunction } from './citus-catalog';
import { significant, tokenize } from './lexer';
import { statementRegionAt } from './region';

export interface ParameterInfo {
  /** [start, end) of the parameter in the signature's label */
  label: [number, number];
  name: string;
  documentation?: string;
}

export interface SignatureInfo {
  label: string;
  documentation?: string;
  parameters: ParameterInfo[];
}

export interface SignatureHelpResult {
  signatures: SignatureInfo[];
  activeSignature: number;
  /** -1 when the cursor is in no parameter the signature has (an unknown name, one too many) */
  activeParameter: number;
}

/** At most this many overloads of a built-in function are listed. */
const MAX_OVERLOADS = 12;

export function signatureAt(text: string, offset: number): SignatureHelpResult | undefined {
  const region = statementRegionAt(text, offset);
  if (!region) return undefined;
  const tokens = significant(tokenize(text, region.start, Math.max(region.end, offset)));
  const call = callAt(tokens, offset);
  if (!call || (call.schema && call.schema !== 'pg_catalog')) return undefined;
  const citus = citusCatalog().functions.get(call.name);
  const params: { name: string; variadic?: boolean }[][] = [];
  const signatures: SignatureInfo[] = [];
  if (citus) {
    for (const fn of citus) {
      signatures.push(citusSignature(fn));
      params.push(fn.args);
    }
  } else {
    const cat = builtins();
    const overloads = cat.functionsNamed(call.name).slice(0, MAX_OVERLOADS);
    if (overloads.length === 0) return undefined;
    for (const fn of overloads) {
      const names = fn.args.map((_, i) => fn.argNames?.[i] ?? '');
      signatures.push(builtinSignature(call.name, fn, names));
      params.push(names.map((name, i) => ({ name, variadic: fn.variadic && i === fn.args.length - 1 })));
    }
  }
  const { signature, parameter } = active(call, params);
  return { signatures, activeSignature: signature, activeParameter: parameter };
}

/** The signature that fits the arguments written so far, and the parameter the cursor is in. */
function active(call: CallAt, params: { name: string; variadic?: boolean }[][]): { signature: number; parameter: number } {
  const named = call.args[call.index].name;
  const count = call.args.length;
  const paramOf = (list: { name: string; variadic?: boolean }[]): number => {
    if (named) return list.findIndex((p) => p.name === named);
    if (call.index < list.length) return call.index;
    return list.length && list[list.length - 1].variadic ? list.length - 1 : -1;
  };
  let best = 0;
  for (let s = 0; s < params.length; s++) {
    const list = params[s];
    const fits = named ? list.some((p) => p.name === named) : count <= list.length || !!list[list.length - 1]?.variadic;
    if (fits) {
      best = s;
      break;
    }
  }
  return { signature: best, parameter: paramOf(params[best] ?? []) };
}

function citusSignature(fn: CitusFunction): SignatureInfo {
  let label = `${fn.name}(`;
  const parameters: ParameterInfo[] = [];
  fn.args.forEach((a, i) => {
    if (i > 0) label += ', ';
    const text = `${a.variadic ? 'VARIADIC ' : ''}${a.name ? `${a.name} ` : ''}${a.type}${a.default !== undefined ? ` DEFAULT ${a.default.replace(/::[\w. ]+$/, '')}` : ''}`;
    parameters.push({ label: [label.length, label.length + text.length], name: a.name, documentation: a.default !== undefined ? `optional: default ${a.default}` : 'required' });
    label += text;
  });
  label += `) → ${fn.result}`;
  return { label, documentation: fn.description ? `${fn.description} (Citus ${citusCatalog().version})` : `Citus ${citusCatalog().version}`, parameters };
}

function builtinSignature(name: string, fn: FunctionInfo, names: string[]): SignatureInfo {
  const cat = builtins();
  let label = `${name}(`;
  const parameters: ParameterInfo[] = [];
  const required = fn.args.length - fn.defaults;
  fn.args.forEach((t, i) => {
    if (i > 0) label += ', ';
    const variadic = fn.variadic && i === fn.args.length - 1;
    const text = `${variadic ? 'VARIADIC ' : ''}${names[i] ? `${names[i]} ` : ''}${cat.display(t)}${i >= required ? ' DEFAULT …' : ''}`;
    parameters.push({ label: [label.length, label.length + text.length], name: names[i] });
    label += text;
  });
  label += `) → ${fn.returnsSet ? 'SETOF ' : ''}${cat.display(fn.result)}`;
  const kind = fn.kind === 'a' ? 'aggregate' : fn.kind === 'w' ? 'window function' : 'function';
  return { label, documentation: `PostgreSQL ${cat.version} built-in ${kind}`, parameters };
}
