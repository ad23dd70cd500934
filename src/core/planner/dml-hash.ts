/**
 * Which shard a distribution value goes to: PostgreSQL's hash functions (hashint4, hashint8,
 * hashtext — Bob Jenkins' lookup3 as in PostgreSQL's common/hashfn.c, reimplemented from its
 * description) and Citus' uniform split of the int32 hash range into `shardCount` intervals (shard i
 * covers [INT32_MIN + i * 2^32/n, ... + 2^32/n - 1], the last one up to INT32_MAX). Used to tell how
 * many shards a VALUES list, an IN list or COPY data touches. Returns undefined for types it does not
 * hash (the caller then counts distinct values as an upper bound).
 */

/**
 * The type a distribution column hashes as: a domain's base type (Citus hashes a domain value with its base type's
 * function; checked on Citus 13.2.2), else the column's own.
 */
export function hashTypeOf(column: { type: string; domain?: string } | undefined, domains: ReadonlyMap<string, { baseType: string }>): string | undefined {
  if (!column) return undefined;
  return column.domain ? (domains.get(column.domain)?.baseType ?? column.type) : column.type;
}

function rot(x: number, k: number): number {
  return ((x << k) | (x >>> (32 - k))) >>> 0;
}

function final(a: number, b: number, c: number): number {
  c = (c ^ b) >>> 0; c = (c - rot(b, 14)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 11)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 25)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 16)) >>> 0;
  a = (a ^ c) >>> 0; a = (a - rot(c, 4)) >>> 0;
  b = (b ^ a) >>> 0; b = (b - rot(a, 14)) >>> 0;
  c = (c ^ b) >>> 0; c = (c - rot(b, 24)) >>> 0;
  return c;
}

/** hash_bytes_uint32 */
export function hashUint32(k: number): number {
  let a = (0x9e3779b9 + 4 + 3923095) >>> 0;
  const b = a;
  const c = a;
  a = (a + (k >>> 0)) >>> 0;
  return final(a, b, c);
}

/** hash_bytes (little-endian byte order) */
export function hashBytes(bytes: Uint8Array): number {
  let len = bytes.length;
  let a = (0x9e3779b9 + len + 3923095) >>> 0;
  let b = a;
  let c = a;
  let p = 0;
  const word = (i: number): number => (bytes[i] | (bytes[i + 1] << 8) | (bytes[i + 2] << 16) | (bytes[i + 3] << 24)) >>> 0;
  while (len >= 12) {
    a = (a + word(p)) >>> 0;
    b = (b + word(p + 4)) >>> 0;
    c = (c + word(p + 8)) >>> 0;
    // mix(a, b, c)
    a = (a - c) >>> 0; a = (a ^ rot(c, 4)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 6)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 8)) >>> 0; b = (b + a) >>> 0;
    a = (a - c) >>> 0; a = (a ^ rot(c, 16)) >>> 0; c = (c + b) >>> 0;
    b = (b - a) >>> 0; b = (b ^ rot(a, 19)) >>> 0; a = (a + c) >>> 0;
    c = (c - b) >>> 0; c = (c ^ rot(b, 4)) >>> 0; b = (b + a) >>> 0;
    p += 12;
    len -= 12;
  }
  const k = (i: number): number => bytes[p + i];
  // the last 0..11 bytes (the lowest byte of c is reserved for the length)
  if (len >= 8) {
    if (len >= 11) c = (c + (k(10) << 24)) >>> 0;
    if (len >= 10) c = (c + (k(9) << 16)) >>> 0;
    if (len >= 9) c = (c + (k(8) << 8)) >>> 0;
    b = (b + word(p + 4)) >>> 0;
    a = (a + word(p)) >>> 0;
  } else if (len >= 4) {
    if (len >= 7) b = (b + (k(6) << 16)) >>> 0;
    if (len >= 6) b = (b + (k(5) << 8)) >>> 0;
    if (len >= 5) b = (b + k(4)) >>> 0;
    a = (a + word(p)) >>> 0;
  } else {
    if (len >= 3) a = (a + (k(2) << 16)) >>> 0;
    if (len >= 2) a = (a + (k(1) << 8)) >>> 0;
    if (len >= 1) a = (a + k(0)) >>> 0;
  }
  return final(a, b, c);
}

/** The hash Citus computes for a distribution value of `type`, as a signed int32; undefined when unsupported. */
export function distributionHash(type: string | undefined, value: string): number | undefined {
  const t = (type ?? '').toLowerCase();
  if (t === 'integer' || t === 'smallint') {
    if (!/^[+-]?\d+$/.test(value.trim())) return undefined;
    const n = Number(value);
    if (!Number.isSafeInteger(n) || n < -2147483648 || n > 2147483647) return undefined;
    return hashUint32(n >>> 0) | 0;
  }
  if (t === 'bigint') {
    if (!/^[+-]?\d+$/.test(value.trim())) return undefined;
    let v: bigint;
    try {
      v = BigInt(value.trim());
    } catch {
      return undefined;
    }
    const lo = Number(BigInt.asUintN(32, v));
    const hi = Number(BigInt.asUintN(32, v >> 32n));
    const mixed = (lo ^ (v >= 0n ? hi : ~hi >>> 0)) >>> 0;
    return hashUint32(mixed) | 0;
  }
  if (t === 'text' || t === 'character varying' || t === 'varchar') {
    return hashBytes(new TextEncoder().encode(value)) | 0;
  }
  return undefined;
}

/** Index (0-based) of the hash shard that holds a hash value, for a table with `shardCount` shards. */
export function shardIndex(hash: number, shardCount: number): number {
  const increment = Math.floor(4294967296 / shardCount);
  const index = Math.floor((hash + 2147483648) / increment);
  return Math.min(index, shardCount - 1);
}

/**
 * How many distinct shards a set of distribution values touches. `exact` is false when some value
 * could not be hashed (then the count is the number of distinct values, capped by the shard count).
 */
export function shardsTouched(type: string | undefined, values: readonly string[], shardCount: number): { count: number; exact: boolean } {
  const distinct = [...new Set(values)];
  const shards = new Set<number>();
  for (const v of distinct) {
    const h = distributionHash(type, v);
    if (h === undefined) return { count: Math.min(distinct.length, shardCount), exact: false };
    shards.add(shardIndex(h, shardCount));
  }
  return { count: shards.size, exact: true };
}
