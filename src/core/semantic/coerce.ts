/**
 * PostgreSQL's type coercion and overload resolution, ported from parse_coerce.c, parse_func.c and
 * parse_oper.c (PostgreSQL 15): which casts apply in which context, the common type of CASE / UNION / VALUES,
 * and how a function or operator call picks its candidate. Every function here answers "don't know"
 * (NO_TYPE, or `unknown: true`) when a type the model does not know takes part.
 */
import { NO_TYPE, T, builtins, type FunctionInfo, type OperatorInfo, type TypeId } from './catalog';

/** CoercionContext, in PostgreSQL's order: a cast allowed in a context is allowed in every later one. */
export type CoercionContext = 'i' | 'a' | 'e';
const CONTEXT_RANK: Record<string, number> = { i: 0, a: 1, e: 2 };

const POLYMORPHIC = new Set<number>([T.ANYELEMENT, T.ANYARRAY, T.ANYNONARRAY, T.ANYENUM, T.ANYRANGE, T.ANYMULTIRANGE, T.ANYCOMPATIBLE, T.ANYCOMPATIBLEARRAY, T.ANYCOMPATIBLENONARRAY, T.ANYCOMPATIBLERANGE, T.ANYCOMPATIBLEMULTIRANGE]);

export function isPolymorphic(t: TypeId): boolean {
  return POLYMORPHIC.has(t);
}

/** getBaseType(): a domain's base type (built-in domains only; user domains are not modelled). */
function baseType(t: TypeId): TypeId {
  const info = builtins().type(t);
  return info?.typtype === 'd' && info.base ? info.base : t;
}

function elementType(t: TypeId): TypeId {
  return builtins().type(baseType(t))?.elem ?? NO_TYPE;
}

export function arrayTypeOf(elem: TypeId): TypeId {
  return builtins().type(elem)?.array ?? NO_TYPE;
}

function isComplex(t: TypeId): boolean {
  return t === T.RECORD || builtins().type(t)?.typtype === 'c';
}

/** find_coercion_pathway(): whether `source` converts to `target` in `context` (pg_cast, arrays, I/O casts). */
export function findCoercionPathway(target: TypeId, source: TypeId, context: CoercionContext): boolean {
  const cat = builtins();
  const s = baseType(source);
  const t = baseType(target);
  if (s === t) return true;
  const cast = cat.cast(s, t);
  if (cast) return CONTEXT_RANK[context] >= CONTEXT_RANK[cast[0]];
  if (t !== T.OIDVECTOR && t !== T.INT2VECTOR) {
    const te = cat.type(t)?.elem;
    const se = cat.type(s)?.elem;
    if (te && se && findCoercionPathway(te, se, context)) return true;
  }
  if (CONTEXT_RANK[context] >= CONTEXT_RANK.a && cat.category(t) === 'S') return true;
  if (context === 'e' && cat.category(s) === 'S') return true;
  return false;
}

/**
 * The volatility of converting `source` to `target` (contain_mutable_functions on the coercion): the cast function's,
 * none for a binary-coercible cast, the output and input functions' for an I/O conversion (to or from a string
 * type, or a pg_cast entry by I/O), the element conversion's for arrays. Undefined when the model does not know.
 */
export function castVolatility(source: TypeId, target: TypeId): 'i' | 's' | 'v' | undefined {
  const cat = builtins();
  const s = baseType(source);
  const t = baseType(target);
  if (s === t) return 'i';
  const st = cat.type(s);
  const tt = cat.type(t);
  if (!st || !tt) return undefined;
  const io = (): 'i' | 's' | 'v' => maxVolatility(st.io[0], tt.io[1]);
  const cast = cat.cast(s, t);
  if (cast) return cast[1] === 'b' ? 'i' : cast[1] === 'i' ? io() : (cast[2] as 'i' | 's' | 'v' | undefined);
  if (st.elem && tt.elem) return castVolatility(st.elem, tt.elem);
  if (tt.category === 'S' || st.category === 'S') return io();
  return undefined;
}

/** The more volatile of two volatilities (`v` over `s` over `i`; a missing one counts as `i`). */
export function maxVolatility(a: string | undefined, b: string | undefined): 'i' | 's' | 'v' {
  if (a === 'v' || b === 'v') return 'v';
  if (a === 's' || b === 's') return 's';
  return 'i';
}

/** can_coerce_type() for one argument list; undefined when a type the model does not know takes part. */
export function canCoerceTypes(inputs: readonly TypeId[], targets: readonly TypeId[], context: CoercionContext): boolean | undefined {
  let generics = false;
  for (let i = 0; i < inputs.length; i++) {
    const input = inputs[i];
    const target = targets[i];
    if (input === target) continue;
    if (input === NO_TYPE || target === NO_TYPE) return undefined;
    if (target === T.ANY) continue;
    if (POLYMORPHIC.has(target)) {
      generics = true;
      continue;
    }
    if (input === T.UNKNOWN) continue;
    if (findCoercionPathway(target, input, context)) continue;
    if (input === T.RECORD && isComplex(target)) continue;
    if (target === T.RECORD && isComplex(input)) continue;
    if (target === T.RECORD_ARRAY && isComplex(elementType(input))) continue;
    return false;
  }
  return generics ? genericArgumentsConsistent(inputs, targets) : true;
}

const coercionCache = new Map<number, boolean | undefined>();

/** can_coerce_type() for one value (memoized: the catalog is fixed; built-in OIDs are below 16384). */
export function canCoerce(input: TypeId, target: TypeId, context: CoercionContext): boolean | undefined {
  if (input === target) return true;
  if (input >= 16384 || target >= 16384) return canCoerceTypes([input], [target], context);
  const key = (input * 16384 + target) * 3 + CONTEXT_RANK[context];
  let r = coercionCache.get(key);
  if (r === undefined && !coercionCache.has(key)) {
    r = canCoerceTypes([input], [target], context);
    coercionCache.set(key, r);
  }
  return r;
}

/** check_generic_type_consistency(), for the polymorphic families PostgreSQL 15 has. */
function genericArgumentsConsistent(inputs: readonly TypeId[], targets: readonly TypeId[]): boolean | undefined {
  const cat = builtins();
  let elem = NO_TYPE;
  let array = NO_TYPE;
  let range = NO_TYPE;
  let multirange = NO_TYPE;
  let nonArray = false;
  let anyEnum = false;
  const compatible: TypeId[] = [];
  let compatibleNonArray = false;
  let compatibleRange = NO_TYPE;
  for (let i = 0; i < inputs.length; i++) {
    const decl = targets[i];
    const actual = inputs[i];
    if (!POLYMORPHIC.has(decl) || actual === T.UNKNOWN) {
      if (decl === T.ANYNONARRAY) nonArray = true;
      if (decl === T.ANYENUM) anyEnum = true;
      if (decl === T.ANYCOMPATIBLENONARRAY) compatibleNonArray = true;
      continue;
    }
    switch (decl) {
      case T.ANYELEMENT:
      case T.ANYNONARRAY:
      case T.ANYENUM:
        if (decl === T.ANYNONARRAY) nonArray = true;
        if (decl === T.ANYENUM) anyEnum = true;
        if (elem && actual !== elem) return false;
        elem = actual;
        break;
      case T.ANYARRAY: {
        const a = baseType(actual);
        if (array && a !== array) return false;
        array = a;
        break;
      }
      case T.ANYRANGE: {
        const r = baseType(actual);
        if (range && r !== range) return false;
        range = r;
        break;
      }
      case T.ANYMULTIRANGE: {
        const m = baseType(actual);
        if (multirange && m !== multirange) return false;
        multirange = m;
        break;
      }
      case T.ANYCOMPATIBLE:
      case T.ANYCOMPATIBLENONARRAY:
        if (decl === T.ANYCOMPATIBLENONARRAY) compatibleNonArray = true;
        compatible.push(actual);
        break;
      case T.ANYCOMPATIBLEARRAY: {
        const e = elementType(actual);
        if (!e) return false;
        compatible.push(e);
        break;
      }
      case T.ANYCOMPATIBLERANGE: {
        const r = baseType(actual);
        if (compatibleRange) {
          if (compatibleRange !== r) return false;
        } else {
          compatibleRange = r;
          const sub = cat.type(r)?.rangeSubtype;
          if (!sub) return false;
          compatible.push(sub);
        }
        break;
      }
      default:
        if (cat.type(baseType(actual))?.typtype !== 'm') return false;
    }
  }
  if (array && array !== T.ANYARRAY) {
    const e = cat.type(array)?.elem;
    if (!e) return false;
    if (!elem) elem = e;
    else if (e !== elem) return false;
  }
  // the range type from the multirange type, or both agree
  if (multirange) {
    const r = cat.type(multirange)?.multirangeRange;
    if (!r) return false;
    if (!range) range = r;
    else if (r !== range) return false;
  }
  if (range) {
    const sub = cat.type(range)?.rangeSubtype;
    if (!sub) return false;
    if (!elem) elem = sub;
    else if (sub !== elem) return false;
  }
  if (nonArray && elem && cat.category(baseType(elem)) === 'A') return false;
  if (anyEnum && elem && cat.type(elem)?.typtype !== 'e') return false;
  if (compatible.length) {
    const common = commonType(compatible);
    if (common === undefined) return false;
    if (common === NO_TYPE) return undefined;
    for (const c of compatible) if (!canCoerce(c, common, 'i')) return false;
    if (compatibleNonArray && cat.category(common) === 'A') return false;
  }
  return true;
}

/**
 * select_common_type() without the error: the common type of a list, NO_TYPE when an unknown-to-the-model
 * type takes part, undefined when the categories conflict.
 */
function commonType(types: readonly TypeId[]): TypeId | undefined {
  const r = selectCommonType(types, '');
  return 'error' in r ? undefined : r.type;
}

export type CommonTypeResult = { type: TypeId } | { error: string; index: number };

/**
 * select_common_type() (and the coerce_to_common_type() check after it): the type CASE, COALESCE, UNION,
 * VALUES, ARRAY[...] and IN lists resolve to, or PostgreSQL's error. `context` is the construct's name in
 * the message (`CASE`, `UNION`, ...).
 */
export function selectCommonType(types: readonly TypeId[], context: string): CommonTypeResult {
  if (types.some((t) => t === NO_TYPE)) return { type: NO_TYPE };
  const cat = builtins();
  let ptype = types[0];
  if (ptype !== T.UNKNOWN && types.every((t) => t === ptype)) return { type: ptype };
  ptype = baseType(ptype);
  let pcategory = cat.category(ptype);
  let preferred = cat.isPreferred(ptype);
  for (let i = 1; i < types.length; i++) {
    const ntype = baseType(types[i]);
    if (ntype === T.UNKNOWN || ntype === ptype) continue;
    const ncategory = cat.category(ntype);
    if (ptype === T.UNKNOWN) {
      ptype = ntype;
      pcategory = ncategory;
      preferred = cat.isPreferred(ntype);
    } else if (ncategory !== pcategory) {
      return { error: `${context} types ${cat.display(ptype)} and ${cat.display(ntype)} cannot be matched`, index: i };
    } else if (!preferred && canCoerce(ptype, ntype, 'i') && !canCoerce(ntype, ptype, 'i')) {
      ptype = ntype;
      pcategory = ncategory;
      preferred = cat.isPreferred(ntype);
    }
  }
  if (ptype === T.UNKNOWN) ptype = T.TEXT;
  for (let i = 0; i < types.length; i++) {
    const t = types[i];
    if (t === ptype || t === T.UNKNOWN) continue;
    const ok = canCoerce(t, ptype, 'i');
    if (ok === undefined) return { type: NO_TYPE };
    if (!ok) return { error: `${context} could not convert type ${cat.display(t)} to ${cat.display(ptype)}`, index: i };
  }
  return { type: ptype };
}

// ---------------------------------------------------------------------------------------------------
// Overload resolution

interface Candidate<C> {
  item: C;
  args: TypeId[];
}

/**
 * func_match_argtypes() + func_select_candidate(): the candidates the arguments coerce to implicitly, then
 * PostgreSQL's heuristics (exact matches, preferred types, the string bias of unknown literals, the type of
 * the known arguments). Returns the chosen candidate, 'none' when nothing matches, 'ambiguous' when the
 * heuristics leave several, undefined when a type the model does not know decides.
 */
function selectCandidate<C>(inputs: readonly TypeId[], candidates: Candidate<C>[]): Candidate<C> | 'none' | 'ambiguous' | undefined {
  const matching: Candidate<C>[] = [];
  for (const c of candidates) {
    const ok = canCoerceTypes(inputs, c.args, 'i');
    if (ok === undefined) return undefined;
    if (ok) matching.push(c);
  }
  if (matching.length === 0) return 'none';
  if (matching.length === 1) return matching[0];
  return funcSelectCandidate(inputs, matching) ?? 'ambiguous';
}

function funcSelectCandidate<C>(inputTypes: readonly TypeId[], candidates: Candidate<C>[]): Candidate<C> | undefined {
  const cat = builtins();
  const nargs = inputTypes.length;
  const input = inputTypes.map((t) => (t === T.UNKNOWN ? T.UNKNOWN : baseType(t)));
  const unknowns = input.filter((t) => t === T.UNKNOWN).length;
  // keep those with the most exact matches
  let best = keepBest(candidates, (c) => {
    let n = 0;
    for (let i = 0; i < nargs; i++) if (input[i] !== T.UNKNOWN && c.args[i] === input[i]) n++;
    return n;
  });
  if (best.length === 1) return best[0];
  // then those that take preferred types (of the input's category) where conversion is needed
  const slotCategory = input.map((t) => cat.category(t));
  best = keepBest(best, (c) => {
    let n = 0;
    for (let i = 0; i < nargs; i++) {
      if (input[i] === T.UNKNOWN) continue;
      if (c.args[i] === input[i] || (cat.category(c.args[i]) === slotCategory[i] && cat.isPreferred(c.args[i]))) n++;
    }
    return n;
  });
  if (best.length === 1) return best[0];
  if (unknowns === 0) return undefined;
  // unknown literals: prefer the string category, else the one category all candidates accept
  const slotPreferred: boolean[] = [];
  let resolved = true;
  for (let i = 0; i < nargs; i++) {
    if (input[i] !== T.UNKNOWN) continue;
    let category = '';
    let preferred = false;
    let conflict = false;
    for (const c of best) {
      const cc = cat.category(c.args[i]);
      const cp = cat.isPreferred(c.args[i]);
      if (!category) {
        category = cc;
        preferred = cp;
      } else if (cc === category) preferred ||= cp;
      else if (cc === 'S') {
        category = cc;
        preferred = cp;
      } else conflict = true;
    }
    if (conflict && category !== 'S') {
      resolved = false;
      break;
    }
    slotCategory[i] = category;
    slotPreferred[i] = preferred;
  }
  if (resolved) {
    const kept = best.filter((c) => {
      for (let i = 0; i < nargs; i++) {
        if (input[i] !== T.UNKNOWN) continue;
        if (cat.category(c.args[i]) !== slotCategory[i]) return false;
        if (slotPreferred[i] && !cat.isPreferred(c.args[i])) return false;
      }
      return true;
    });
    if (kept.length) best = kept;
    if (kept.length === 1) return kept[0];
  }
  // all known arguments of one type: assume the unknown ones are of it too
  if (unknowns < nargs) {
    let known: TypeId = T.UNKNOWN;
    for (const t of input) {
      if (t === T.UNKNOWN) continue;
      if (known === T.UNKNOWN) known = t;
      else if (known !== t) {
        known = T.UNKNOWN;
        break;
      }
    }
    if (known !== T.UNKNOWN) {
      const all = input.map(() => known);
      const fits = best.filter((c) => canCoerceTypes(all, c.args, 'i'));
      if (fits.length === 1) return fits[0];
    }
  }
  return undefined;
}

function keepBest<C>(list: C[], score: (c: C) => number): C[] {
  let best = -1;
  let out: C[] = [];
  for (const c of list) {
    const s = score(c);
    if (s > best) {
      best = s;
      out = [c];
    } else if (s === best) out.push(c);
  }
  return out;
}

export type CallResolution<C> =
  | { kind: 'ok'; item: C; args: TypeId[]; result: TypeId }
  | { kind: 'none' }
  | { kind: 'ambiguous' }
  | { kind: 'unknown' };

/** Memo of operator resolutions: name -> (left, right) packed in one number (built-in type OIDs are below 16384). */
const operatorCache = new Map<string, Map<number, CallResolution<OperatorInfo>>>();
const functionCache = new Map<string, CallResolution<FunctionInfo> | { kind: 'coercion'; result: TypeId }>();

/** oper(): a binary (or prefix, `left` = 0) operator by name and argument types (memoized: the catalog is fixed). */
export function resolveOperator(name: string, left: TypeId | undefined, right: TypeId): CallResolution<OperatorInfo> {
  const l = left === undefined ? 0 : left + 1;
  if (l > 16384 || right > 16384) return resolveOperatorUncached(name, left, right);
  let byTypes = operatorCache.get(name);
  if (!byTypes) operatorCache.set(name, (byTypes = new Map()));
  const key = l * 16385 + right;
  let r = byTypes.get(key);
  if (!r) {
    r = resolveOperatorUncached(name, left, right);
    byTypes.set(key, r);
  }
  return r;
}

function resolveOperatorUncached(name: string, left: TypeId | undefined, right: TypeId): CallResolution<OperatorInfo> {
  const cat = builtins();
  const all = cat.operatorsNamed(name);
  if (all.length === 0) return { kind: 'unknown' }; // an operator of an extension
  const prefix = left === undefined;
  const inputs = prefix ? [right] : [left, right];
  if (inputs.some((t) => t === NO_TYPE)) return { kind: 'unknown' };
  const candidates: Candidate<OperatorInfo>[] = [];
  for (const o of all) {
    if (prefix ? o.left !== 0 : o.left === 0) continue;
    candidates.push({ item: o, args: prefix ? [o.right] : [o.left, o.right] });
  }
  // binary_oper_exact(): an unknown literal is taken as the other argument's type
  if (!prefix) {
    let [l, r] = inputs;
    if (l === T.UNKNOWN && r !== T.UNKNOWN) l = r;
    else if (r === T.UNKNOWN && l !== T.UNKNOWN) r = l;
    for (const c of candidates) if (c.args[0] === l && c.args[1] === r) return ok(c, inputs);
    if (l === r && baseType(l) !== l) {
      const b = baseType(l);
      for (const c of candidates) if (c.args[0] === b && c.args[1] === b) return ok(c, inputs);
    }
  } else {
    for (const c of candidates) if (c.args[0] === right) return ok(c, inputs);
  }
  const chosen = selectCandidate(inputs, candidates);
  if (chosen === undefined) return { kind: 'unknown' };
  // an extension the cluster may have (pg_trgm's text % text, intarray's integer[] & integer[]) takes these arguments
  if ((chosen === 'none' || chosen === 'ambiguous') && extensionOperatorTakes(name, prefix ? undefined : inputs[0], inputs[inputs.length - 1])) return { kind: 'unknown' };
  if (chosen === 'none') return { kind: 'none' };
  if (chosen === 'ambiguous') return { kind: 'ambiguous' };
  return ok(chosen, inputs);
}

/** Whether an operator of a contrib extension takes these arguments (an extension's own type: only an untyped literal). */
function extensionOperatorTakes(name: string, left: TypeId | undefined, right: TypeId): boolean {
  const takes = (input: TypeId, declared: number): boolean => (declared === -1 ? input === T.UNKNOWN : canCoerce(input, declared, 'i') !== false);
  return builtins()
    .extensionOperatorsNamed(name)
    .some((o) => (left === undefined ? o.left === 0 : o.left !== 0 && takes(left, o.left)) && takes(right, o.right));
}

function ok<C extends { result: TypeId }>(c: Candidate<C>, inputs: readonly TypeId[]): CallResolution<C> {
  const result = POLYMORPHIC.has(c.item.result) ? polymorphicResult(c.args, inputs, c.item.result) : c.item.result;
  return { kind: 'ok', item: c.item, args: c.args, result };
}

/** The result type of a polymorphic function for these actual argument types (enforce_generic_type_consistency, the common cases). */
export function polymorphicResult(declared: readonly TypeId[], actual: readonly TypeId[], result: TypeId): TypeId {
  const cat = builtins();
  let elem = NO_TYPE;
  let range = NO_TYPE;
  const compatible: TypeId[] = [];
  for (let i = 0; i < declared.length; i++) {
    const d = declared[i];
    const a = actual[i];
    if (a === undefined || a === T.UNKNOWN) continue;
    if (a === NO_TYPE) return NO_TYPE;
    if (d === T.ANYELEMENT || d === T.ANYNONARRAY || d === T.ANYENUM) elem ||= a;
    else if (d === T.ANYARRAY) elem ||= elementType(a);
    else if (d === T.ANYRANGE) {
      range ||= baseType(a);
      elem ||= cat.type(baseType(a))?.rangeSubtype ?? NO_TYPE;
    } else if (d === T.ANYCOMPATIBLE || d === T.ANYCOMPATIBLENONARRAY) compatible.push(a);
    else if (d === T.ANYCOMPATIBLEARRAY) compatible.push(elementType(a));
  }
  switch (result) {
    case T.ANYELEMENT:
    case T.ANYNONARRAY:
    case T.ANYENUM:
      return elem;
    case T.ANYARRAY:
      return elem ? arrayTypeOf(elem) : NO_TYPE;
    case T.ANYRANGE:
      return range;
    case T.ANYCOMPATIBLE:
    case T.ANYCOMPATIBLENONARRAY:
      return compatible.length ? (commonType(compatible) ?? NO_TYPE) : NO_TYPE;
    case T.ANYCOMPATIBLEARRAY: {
      const c = compatible.length ? (commonType(compatible) ?? NO_TYPE) : NO_TYPE;
      return c ? arrayTypeOf(c) : NO_TYPE;
    }
    default:
      return NO_TYPE;
  }
}

export interface CallArgument {
  type: TypeId;
  /** named notation (`name => value`) */
  name?: string;
}

/**
 * func_get_detail(): a built-in function call by name and arguments: candidates with defaults and VARIADIC
 * expanded, the exact match, then func_match_argtypes / func_select_candidate. Named notation is matched as
 * MatchNamedCall does. `coercion` is set when the call is really a cast written as a function (`int4(x)`).
 */
export function resolveFunction(name: string, args: readonly CallArgument[]): CallResolution<FunctionInfo> | { kind: 'coercion'; result: TypeId } {
  let key = name;
  for (const a of args) key += a.name ? `|${a.name}=${a.type}` : `|${a.type}`;
  let r = functionCache.get(key);
  if (!r) {
    r = resolveFunctionUncached(name, args);
    if (functionCache.size > 20000) functionCache.clear();
    functionCache.set(key, r);
  }
  return r;
}

function resolveFunctionUncached(name: string, args: readonly CallArgument[]): CallResolution<FunctionInfo> | { kind: 'coercion'; result: TypeId } {
  const cat = builtins();
  const all = cat.functionsNamed(name);
  if (all.length === 0) return { kind: 'unknown' };
  const inputs = args.map((a) => a.type);
  if (inputs.some((t) => t === NO_TYPE)) return { kind: 'unknown' };
  const names = args.map((a) => a.name);
  const named = names.some(Boolean);
  const nargs = args.length;
  const candidates: (Candidate<FunctionInfo> & { pref: number })[] = [];
  for (const f of all) {
    const pronargs = f.args.length;
    if (named) {
      if (f.variadic) continue;
      if (pronargs < nargs || nargs + f.defaults < pronargs) continue;
      const order = matchNamedCall(f, names);
      if (!order) continue;
      candidates.push({ item: f, args: order.map((k) => f.args[k]), pref: 0 });
      continue;
    }
    const variadic = f.variadic && pronargs <= nargs;
    const useDefaults = pronargs > nargs && nargs + f.defaults >= pronargs;
    if (pronargs > nargs && !useDefaults) continue;
    if (pronargs !== nargs && !variadic && !useDefaults) continue;
    let list = f.args.slice(0, Math.min(pronargs, nargs));
    if (variadic) {
      const va = f.args[pronargs - 1] === T.ANY ? T.ANY : elementType(f.args[pronargs - 1]) || f.args[pronargs - 1];
      list = f.args.slice(0, pronargs - 1);
      while (list.length < nargs) list.push(va);
    }
    candidates.push({ item: f, args: list, pref: variadic ? 1 : 0 });
  }
  // identical argument lists (a variadic form and a plain one): the plain one wins; otherwise ambiguous
  const unique: (Candidate<FunctionInfo> & { pref: number; dup?: boolean })[] = [];
  for (const c of candidates) {
    const prev = unique.find((u) => u.args.length === c.args.length && u.args.every((t, i) => t === c.args[i]));
    if (!prev) unique.push(c);
    else if (c.pref < prev.pref) Object.assign(prev, c, { dup: false });
    else if (c.pref === prev.pref) prev.dup = true;
  }
  const exact = unique.find((c) => c.args.every((t, i) => t === inputs[i]));
  if (exact) return exact.dup ? { kind: 'ambiguous' } : ok(exact, inputs);
  if (nargs === 1 && !named) {
    const asType = cat.typeByName(name);
    if (asType && (inputs[0] === T.UNKNOWN || coercionCall(asType, inputs[0]))) return { kind: 'coercion', result: asType };
  }
  if (unique.length === 0) return { kind: 'none' };
  const chosen = selectCandidate(inputs, unique);
  if (chosen === undefined) return { kind: 'unknown' };
  if (chosen === 'none') return { kind: 'none' };
  if (chosen === 'ambiguous' || (chosen as { dup?: boolean }).dup) return { kind: 'ambiguous' };
  return ok(chosen, inputs);
}

/** A one-argument call named like a type is a cast when the cast is binary-coercible or via I/O. */
function coercionCall(target: TypeId, source: TypeId): boolean {
  const cat = builtins();
  const s = baseType(source);
  const t = baseType(target);
  if (s === t) return true;
  const cast = cat.cast(s, t);
  if (cast) return cast[1] === 'b' || cast[1] === 'i';
  if (cat.type(t)?.elem && cat.type(s)?.elem) return false;
  if (cat.category(t) === 'S') return !isComplex(s);
  return cat.category(s) === 'S';
}

/** MatchNamedCall(): the declared position of each actual argument (positional first, then named), or undefined. */
function matchNamedCall(f: FunctionInfo, names: readonly (string | undefined)[]): number[] | undefined {
  const declared = f.argNames;
  const pronargs = f.args.length;
  const used = new Array<boolean>(pronargs).fill(false);
  const order: number[] = [];
  let positional = 0;
  for (const n of names) {
    if (n === undefined) {
      if (order.length !== positional) return undefined;
      used[positional] = true;
      order.push(positional++);
      continue;
    }
    const k = declared ? declared.indexOf(n) : -1;
    if (k < 0 || used[k]) return undefined;
    used[k] = true;
    order.push(k);
  }
  // every argument without a default must be given
  const firstDefault = pronargs - f.defaults;
  for (let k = 0; k < firstDefault; k++) if (!used[k]) return undefined;
  return order;
}
