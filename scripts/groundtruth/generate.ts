/**
 * Composes statements for the generated ground truth: INSERT..SELECTs (and INSERT..VALUES, UPDATE,
 * DELETE, MERGE and SELECT) over the table zoo (./zoo.ts), from a seed. Every statement is valid
 * PostgreSQL for the zoo's tables; whether and how Citus runs it is what the recorder (./record.ts) asks
 * the cluster. Shapes are composed from independent choices (sources, joins, subqueries in FROM and WHERE,
 * CTEs, set operations, grouping, windows, DISTINCT, LIMIT, ON CONFLICT, RETURNING, filters, functions,
 * column lists) so that the set covers their combinations, not a list of remembered statements.
 *
 * Each statement carries its `shape` (the template that made it) and `features` (every construct it
 * contains), which the scorer reports agreement by.
 */
import { Rng } from './rng';
import { ZOO, type ZooTable } from './zoo';

export interface GenStatement {
  id: string;
  zoo: 'default' | 'regress';
  kind: 'insert_select' | 'dml';
  shape: string;
  features: string[];
  sql: string;
  /** the statement the cluster runs when `sql` wraps it (a PL/pgSQL block with EXECUTE format(...)) */
  recordSql?: string;
  /** the distribution value is the literal NULL: every row fails, whatever the data */
  structuralNull?: boolean;
  /** statements run before it in the same transaction (SET citus.* ...), as a workspace declares them */
  setup?: string[];
}

const FACT_COLS = ['tenant_id', 'id', 'user_id', 'kind', 'amount', 'created_at'];

const byName = (n: string): ZooTable => ZOO.find((t) => t.name === n)!;

const SOURCE_WEIGHTS: [number, string][] = [
  [10, 'events'],
  [6, 'users'],
  [4, 'clicks'],
  [2, 'by_user'],
  [2.5, 'events_part'],
  [0.5, 'events_part_2024_01'],
  [0.3, 'events_part_rest'],
  [1.5, 'events_view'],
  [1.2, 'events16'],
  [0.8, 'events_nc'],
  [1.2, 'events_int'],
  [2, 'events_ref'],
  [1.5, 'events_local'],
  [0.8, 'events_cl'],
  [1.2, 'ss_events'],
  [0.8, 'ss_users'],
  [0.5, 'ss_other'],
  [1, 'tenant_a.events'],
  [0.6, 'tenant_a.users'],
  [0.5, 'tenant_b.events'],
];

const ROLLUP_TARGETS: [number, string][] = [
  [12, 'daily'],
  [2, 'daily_nokey'],
  [1.5, 'daily16'],
  [1.5, 'daily_int'],
  [1, 'daily_nc'],
  [2, 'daily_ref'],
  [1.5, 'daily_local'],
  [1, 'daily_cl'],
  [1.5, 'daily_ss'],
  [0.6, 'daily_ss_own'],
  [1.5, 'tenant_a.daily'],
  [1.3, 'daily_seq'],
  [1, 'daily_ident'],
  [1, 'daily_uuid'],
  [1, 'daily_ts'],
  [1.5, 'daily_part'],
  [0.6, 'daily_part_2024_01'],
  [0.3, 'daily_part_2024_02'],
  [1.5, 'daily_by_user'],
];

const FACT_TARGETS: [number, string][] = [
  [3, 'events_archive'],
  [1, 'events'],
  [1, 'clicks'],
  [1, 'events_ref'],
  [1, 'events_local'],
  [1, 'ss_events'],
  [1, 'tenant_a.events'],
  [1, 'events_part'],
];

/** tables a data-modifying CTE or UPDATE/DELETE may change */
const MODIFIABLE = ['events', 'clicks', 'events_ref', 'events_local', 'events_cl', 'ss_events', 'tenant_a.events', 'events_part', 'events_part_2024_01', 'events16', 'events_nc'];

interface Item {
  /** FROM text, with its alias */
  sql: string;
  alias: string;
  /** the source table, when the item is a plain table */
  table?: ZooTable;
  /** the item exposes the fact columns (tenant_id, id, user_id, kind, amount, created_at) */
  fact: boolean;
}

interface Ctx {
  features: Set<string>;
  ctes: string[];
  aliases: number;
  depth: number;
  /** tables the statement already reads (for choosing a join partner of the same family) */
  families: string[];
  /**
   * Every dimension the shape does not force takes its plain value (colocated tables, the natural
   * distribution column, no extra clauses): half the statements, so that the set has as many statements
   * that vary one construct of a pushdown-able rollup as statements that vary many at once.
   */
  clean: boolean;
  /** the tables a shape draws its sources from (default: the whole zoo) */
  sourcePool?: [number, string][];
}

/** the clean sources: the colocated tables of family A */
const CLEAN_SOURCES: [number, string][] = [
  [5, 'events'],
  [3, 'users'],
  [2, 'clicks'],
  [1.5, 'events_part'],
  [0.7, 'events_view'],
  [0.3, 'events_part_2024_01'],
];

/** single-shard, schema-based, reference, citus-local and local tables, with a little of the rest */
const RECURRING_SOURCES: [number, string][] = [
  [3, 'ss_events'],
  [2, 'ss_users'],
  [1.5, 'ss_other'],
  [3, 'tenant_a.events'],
  [2, 'tenant_a.users'],
  [1.5, 'tenant_b.events'],
  [2.5, 'events_ref'],
  [1.5, 'events_local'],
  [1.5, 'events_cl'],
  [1.5, 'events'],
];

export class Generator {
  private readonly rng: Rng;
  private ctx!: Ctx;
  private count = 0;

  constructor(
    seed: number,
    private readonly zoo: 'default' | 'regress',
  ) {
    this.rng = new Rng(seed);
  }

  // ---- small helpers ------------------------------------------------------------------------------
  private f(name: string): void {
    this.ctx.features.add(name);
  }

  private alias(prefix: string): string {
    return `${prefix}${++this.ctx.aliases}`;
  }

  private fresh(): void {
    this.ctx = { features: new Set(), ctes: [], aliases: 0, depth: 0, families: [], clean: this.rng.chance(0.45) };
  }

  private tenant(): number {
    return 1 + this.rng.int(50);
  }

  private sourceTable(sameFamilyAs?: string): ZooTable {
    if (this.ctx.sourcePool) return byName(this.rng.weighted(this.ctx.sourcePool));
    if (this.ctx.clean) return byName(this.rng.weighted(CLEAN_SOURCES));
    if (sameFamilyAs && this.rng.chance(0.7)) {
      const same = SOURCE_WEIGHTS.filter(([, n]) => byName(n).family === sameFamilyAs);
      if (same.length) return byName(this.rng.weighted(same));
    }
    return byName(this.rng.weighted(SOURCE_WEIGHTS));
  }

  private tableFeature(t: ZooTable): void {
    const kind = t.partitionOf ? 'partition' : t.partitioned ? 'partitioned' : t.kind === 'hash' ? (t.family === 'A' ? 'hash' : 'hash_other_group') : t.kind;
    this.f(`table:${kind}`);
  }

  // ---- FROM items ---------------------------------------------------------------------------------
  private tableItem(t: ZooTable, alias: string): Item {
    this.tableFeature(t);
    this.ctx.families.push(t.family);
    return { sql: `${t.name} ${alias}`, alias, table: t, fact: true };
  }

  /** A fact-shaped FROM item: a table (mostly), a subquery, a CTE reference, VALUES or a function. */
  private factItem(alias: string, opts: { table?: ZooTable; allowSub?: boolean; family?: string; kind?: string } = {}): Item {
    if (opts.table) return this.tableItem(opts.table, alias);
    const kind = opts.kind ?? (this.ctx.clean ? 'table' : undefined) ?? this.rng.weighted<string>([
      [10, 'table'],
      [opts.allowSub === false || this.ctx.depth >= 2 ? 0 : 2.2, 'subquery'],
      [opts.allowSub === false || this.ctx.depth >= 1 ? 0 : 0.8, 'cte'],
      [0.25, 'values'],
      [0.25, 'series'],
    ]);
    switch (kind) {
      case 'subquery': {
        this.f('subquery_from');
        this.ctx.depth++;
        const inner = this.factSelect({ family: opts.family });
        this.ctx.depth--;
        return { sql: `(${inner}) ${alias}`, alias, fact: true };
      }
      case 'cte': {
        const name = this.cte({ family: opts.family });
        return { sql: `${name} ${alias}`, alias, fact: true };
      }
      case 'values': {
        this.f('values');
        const rows = this.rng.weighted([
          [4, 1],
          [2, 3],
        ]);
        const list = Array.from({ length: rows }, (_, i) => `(${this.tenant()}::bigint, ${900000 + i}::bigint, ${i + 1}::bigint, '${this.rng.pick(['click', 'view', 'buy'])}', ${i + 5}, ${this.rng.chance(0.2) ? 'now()' : "timestamptz '2024-01-05 00:00+00'"})`);
        return { sql: `(VALUES ${list.join(', ')}) AS ${alias}(${FACT_COLS.join(', ')})`, alias, fact: true };
      }
      case 'series': {
        this.f('generate_series');
        const n = this.rng.pick([5, 20, 50]);
        return {
          sql: `(SELECT g::bigint AS tenant_id, g::bigint AS id, g::bigint AS user_id, 'click'::text AS kind, g AS amount, timestamptz '2024-01-05 00:00+00' AS created_at FROM generate_series(1, ${n}) g) ${alias}`,
          alias,
          fact: true,
        };
      }
      default:
        return this.tableItem(this.sourceTable(opts.family), alias);
    }
  }

  /** Adds a CTE of fact rows to the statement's WITH list; returns its name. */
  private cte(opts: { family?: string; name?: string; body?: string } = {}): string {
    const name = opts.name ?? `c${this.ctx.ctes.length + 1}`;
    const mat = this.rng.weighted<string>([
      [6, ''],
      [2, 'MATERIALIZED '],
      [1, 'NOT MATERIALIZED '],
    ]);
    this.f(mat === 'MATERIALIZED ' ? 'cte_materialized' : mat ? 'cte_not_materialized' : 'cte');
    this.ctx.depth++;
    const body = opts.body ?? this.factSelect({ family: opts.family });
    this.ctx.depth--;
    this.ctx.ctes.push(`${name} AS ${mat}(${body})`);
    return name;
  }

  private joinCondition(a: string, b: string, bItem: Item): string {
    const bKey = bItem.table?.dist === 'user_id' ? 'user_id' : 'tenant_id';
    if (this.ctx.clean) return this.rng.pick([`${a}.tenant_id = ${b}.tenant_id`, `${a}.tenant_id = ${b}.tenant_id AND ${a}.id = ${b}.id`]);
    const c = this.rng.weighted<string>([
      [7, `${a}.tenant_id = ${b}.tenant_id`],
      [1.5, `${a}.tenant_id = ${b}.tenant_id AND ${a}.id = ${b}.id`],
      [1.2, `${a}.tenant_id = ${b}.tenant_id AND ${a}.kind = ${b}.kind`],
      [1.5, `${a}.user_id = ${b}.user_id`],
      [1, `${a}.id = ${b}.id`],
      [bKey === 'user_id' ? 1.5 : 0.6, `${a}.tenant_id = ${b}.user_id`],
      [0.3, `${a}.tenant_id = ${b}.tenant_id OR ${a}.id = ${b}.id`],
      [0.3, `${a}.tenant_id + 0 = ${b}.tenant_id`],
      [0.3, `${a}.tenant_id < ${b}.tenant_id`],
      [0.3, `true`],
    ]);
    if (c === 'true') this.f('join_cross');
    else if (!/^\S+\.tenant_id = \S+\.tenant_id/.test(c)) this.f('join_not_on_key');
    return c;
  }

  /** A FROM clause: one item, or two/three joined; returns the text and the items' aliases. */
  private from(opts: { joins?: number; family?: string; first?: ZooTable; firstKind?: string } = {}): { sql: string; items: Item[]; where: string[] } {
    const joins = opts.joins ?? this.rng.weighted([
      [6, 0],
      [3, 1],
      [0.8, 2],
    ]);
    const first = this.factItem('a', { family: opts.family, table: opts.first, kind: opts.firstKind });
    const items = [first];
    let sql = first.sql;
    const where: string[] = [];
    let comma = false;
    for (let k = 0; k < joins; k++) {
      const alias = k === 0 ? 'b' : 'c';
      const item = this.factItem(alias, { family: first.table?.family ?? opts.family });
      const prev = this.rng.pick(items).alias;
      // after a comma, JOIN .. ON could not see the items before it: stay with commas
      const type = comma
        ? ','
        : this.ctx.clean
          ? this.rng.weighted<string>([
              [3, 'JOIN'],
              [1, 'LEFT JOIN'],
            ])
          : this.rng.weighted<string>([
            [6, 'JOIN'],
            [2.5, 'LEFT JOIN'],
            [1, 'RIGHT JOIN'],
            [0.7, 'FULL JOIN'],
            [1, ','],
            [0.3, 'CROSS JOIN'],
            [k === 0 ? 0.6 : 0, 'USING'],
            [0.5, 'LATERAL'],
          ]);
      if (type === ',') comma = true;
      this.f('join');
      if (type === ',') {
        sql += `, ${item.sql}`;
        where.push(this.joinCondition(prev, alias, item));
        this.f('join_comma');
      } else if (type === 'CROSS JOIN') {
        sql += ` CROSS JOIN ${item.sql}`;
        this.f('join_cross');
      } else if (type === 'USING') {
        sql += ` JOIN ${item.sql} USING (tenant_id)`;
        this.f('join_using');
        // USING merges the column: later references stay qualified, which PostgreSQL allows
      } else if (type === 'LATERAL') {
        this.f('lateral');
        const t = this.sourceTable(first.table?.family);
        this.tableFeature(t);
        const limit = this.rng.chance(0.5) ? ` ORDER BY x.id DESC LIMIT ${this.rng.pick([1, 3])}` : '';
        const outer = this.rng.chance(0.3);
        if (limit) this.f('limit');
        const corr = this.rng.chance(0.8) ? `x.tenant_id = ${prev}.tenant_id` : `x.user_id = ${prev}.user_id`;
        const lat = `LATERAL (SELECT ${FACT_COLS.map((c) => `x.${c}`).join(', ')} FROM ${t.name} x WHERE ${corr}${limit}) ${alias}`;
        sql += outer ? ` LEFT JOIN ${lat} ON true` : ` CROSS JOIN ${lat}`;
        if (outer) this.f('join_left');
        items.push({ sql: lat, alias, fact: true });
        continue;
      } else {
        // FULL JOIN needs a merge- or hash-joinable condition
        const cond = type === 'FULL JOIN' ? `${prev}.tenant_id = ${alias}.tenant_id` : this.joinCondition(prev, alias, item);
        sql += ` ${type} ${item.sql} ON ${cond}`;
        if (type !== 'JOIN') this.f(`join_${type.split(' ')[0].toLowerCase()}`);
      }
      items.push(item);
    }
    if (!comma && !this.ctx.clean && this.rng.chance(0.08) && this.ctx.depth === 0) {
      // a function joined in FROM
      const fn = this.rng.pick(['generate_series(1, 30) AS g(n)', "unnest(ARRAY[1, 2, 3]::bigint[]) AS g(n)", 'jsonb_array_elements_text(\'[1, 2, 3]\') AS g(n)']);
      this.f(fn.startsWith('generate') ? 'generate_series' : 'function_in_from');
      const cast = fn.startsWith('jsonb') ? 'g.n::bigint' : 'g.n';
      sql += ` JOIN ${fn} ON ${cast} = a.tenant_id`;
    }
    return { sql, items, where };
  }

  // ---- filters ------------------------------------------------------------------------------------
  private keyFilter(a: string, t?: ZooTable): string {
    const col = t?.dist === 'user_id' ? 'user_id' : 'tenant_id';
    const v = this.tenant();
    const f = this.rng.weighted<string>([
      [6, `${a}.${col} = ${v}`],
      [1.5, `${a}.${col} IN (${v}, ${v + 1})`],
      [0.7, `${a}.${col} = ANY (ARRAY[${v}, ${v + 2}])`],
      [0.6, `${v} = ${a}.${col}`],
      [0.5, `${a}.${col} IN (${v})`],
      [0.5, `${a}.${col} = ${v} AND ${a}.${col} = ${v + 1}`],
      [0.5, `${a}.${col} BETWEEN ${v} AND ${v + 3}`],
      [0.4, `${a}.${col} = ${v}::bigint`],
      [0.6, 'false'],
      [0.4, `${a}.${col} = ${v} AND false`],
      [0.3, `${a}.${col} IS NULL`],
    ]);
    this.f(f === 'false' || f.endsWith('AND false') ? 'filter_false' : /IN \(\d+, |ANY|BETWEEN/.test(f) ? 'filter_key_list' : /= \d+ AND .* = \d+$/.test(f) ? 'filter_key_contradiction' : 'filter_key');
    return f;
  }

  private plainFilter(a: string): string {
    const f = this.rng.weighted<string>([
      [4, `${a}.amount > ${this.rng.int(60)}`],
      [3, `${a}.kind = '${this.rng.pick(['click', 'view', 'buy'])}'`],
      [2, `${a}.created_at >= now() - interval '1000 days'`],
      [1.5, `${a}.user_id IS NOT NULL`],
      [0.6, `${a}.created_at < clock_timestamp()`],
      [0.6, 'random() < 0.9'],
      [0.5, `${a}.amount::numeric / 2 > 1`],
    ]);
    if (/random|clock_timestamp/.test(f)) this.f('volatile_where');
    else if (/now\(\)/.test(f)) this.f('stable_function');
    return f;
  }

  /** A subquery in WHERE: IN / NOT IN / EXISTS / NOT EXISTS / scalar / ANY, correlated or not. */
  private sublinkFilter(a: string, family?: string): string {
    const t = this.sourceTable(family);
    this.tableFeature(t);
    const x = this.alias('x');
    const correlated = this.rng.chance(0.4);
    const col = this.rng.weighted<[string, string]>([
      [6, ['tenant_id', 'tenant_id']],
      [2, ['user_id', 'user_id']],
      [1, ['tenant_id', 'user_id']],
      [1, ['id', 'id']],
    ]);
    const extra: string[] = [];
    if (correlated) extra.push(this.rng.chance(0.7) ? `${x}.tenant_id = ${a}.tenant_id` : `${x}.user_id = ${a}.user_id`);
    if (this.rng.chance(0.3)) extra.push(`${x}.amount > ${this.rng.int(60)}`);
    if (this.rng.chance(0.15)) extra.push(this.keyFilter(x, t));
    const where = extra.length ? ` WHERE ${extra.join(' AND ')}` : '';
    const modifier = this.rng.weighted<string>([
      [8, ''],
      [1, ` LIMIT ${this.rng.pick([5, 10])}`],
      [1, ` GROUP BY ${x}.${col[1]}`],
      [0.5, ` ORDER BY 1 LIMIT 3`],
      [0.4, ` OFFSET 1`],
    ]);
    if (modifier.includes('LIMIT')) this.f('limit');
    if (modifier.includes('OFFSET')) this.f('offset');
    const kind = this.rng.weighted<string>([
      [5, 'in'],
      [2, 'not_in'],
      [3, 'exists'],
      [1.5, 'not_exists'],
      [1.5, 'scalar'],
      [0.8, 'any'],
    ]);
    this.f(`sublink_${kind}`);
    this.f(correlated ? 'sublink_correlated' : 'sublink_uncorrelated');
    const sel = `SELECT ${x}.${col[1]} FROM ${t.name} ${x}${where}${modifier}`;
    switch (kind) {
      case 'in':
        return `${a}.${col[0]} IN (${sel})`;
      case 'not_in':
        return `${a}.${col[0]} NOT IN (${sel})`;
      case 'exists':
        return `EXISTS (SELECT 1 FROM ${t.name} ${x}${where}${modifier.includes('GROUP') ? '' : modifier})`;
      case 'not_exists':
        return `NOT EXISTS (SELECT 1 FROM ${t.name} ${x}${where}${modifier.includes('GROUP') ? '' : modifier})`;
      case 'any':
        return `${a}.${col[0]} = ANY (${sel})`;
      default: {
        const agg = this.rng.pick(['avg', 'max', 'min']);
        return `${a}.amount > (SELECT ${agg}(${x}.amount) FROM ${t.name} ${x}${where})`;
      }
    }
  }

  private filters(a: string, t: ZooTable | undefined, n?: number): string[] {
    if (this.ctx.clean && n === undefined) return this.rng.chance(0.4) ? [this.plainFilter(a)] : [];
    const count = n ?? this.rng.weighted([
      [4, 0],
      [4, 1],
      [1.5, 2],
    ]);
    const out: string[] = [];
    for (let k = 0; k < count; k++) {
      const kind = this.rng.weighted<string>([
        [3, 'key'],
        [3, 'plain'],
        [this.ctx.depth < 2 ? 3 : 0, 'sublink'],
      ]);
      out.push(kind === 'key' ? this.keyFilter(a, t) : kind === 'plain' ? this.plainFilter(a) : this.sublinkFilter(a, t?.family));
    }
    return out;
  }

  // ---- a fact-shaped SELECT (for FROM subqueries, CTEs, set-operation leaves) -------------------
  factSelect(opts: { family?: string; modifier?: string } = {}): string {
    const i = this.alias('i');
    const t = this.sourceTable(opts.family);
    const item = this.factItem(i, { table: this.rng.chance(0.85) ? t : undefined, family: opts.family });
    const where = this.rng.chance(0.35) ? this.filters(i, item.table, 1) : [];
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const cols = FACT_COLS.map((c) => `${i}.${c}`).join(', ');
    const modifier =
      opts.modifier ??
      this.rng.weighted<string>([
        [5, 'none'],
        [1.3, 'limit'],
        [0.8, 'order_limit'],
        [0.4, 'offset'],
        [1, 'distinct'],
        [0.7, 'distinct_on'],
        [1.3, 'group_key'],
        [1, 'group_kind'],
        [1, 'window'],
        [1, 'union_all'],
        [0.5, 'union'],
        [0.3, 'intersect'],
        [0.3, 'except'],
        [0.4, 'agg_nogroup'],
      ]);
    const from = `FROM ${item.sql}${w}`;
    switch (modifier) {
      case 'limit':
        this.f('limit');
        return `SELECT ${cols} ${from} LIMIT ${this.rng.pick([10, 100])}`;
      case 'order_limit':
        this.f('limit');
        this.f('order_by');
        return `SELECT ${cols} ${from} ORDER BY ${i}.id LIMIT ${this.rng.pick([10, 100])}`;
      case 'offset':
        this.f('offset');
        return `SELECT ${cols} ${from} OFFSET 2`;
      case 'distinct':
        this.f('distinct');
        return `SELECT DISTINCT ${cols} ${from}`;
      case 'distinct_on': {
        this.f('distinct_on');
        const on = this.rng.pick([`${i}.tenant_id`, `${i}.kind`, `${i}.user_id`]);
        return `SELECT DISTINCT ON (${on}) ${cols} ${from} ORDER BY ${on}, ${i}.id`;
      }
      case 'group_key':
        this.f('group_by');
        return `SELECT ${i}.tenant_id, max(${i}.id) AS id, max(${i}.user_id) AS user_id, ${i}.kind, sum(${i}.amount)::int AS amount, max(${i}.created_at) AS created_at ${from} GROUP BY ${i}.tenant_id, ${i}.kind`;
      case 'group_kind':
        this.f('group_by_non_key');
        return `SELECT max(${i}.tenant_id) AS tenant_id, max(${i}.id) AS id, max(${i}.user_id) AS user_id, ${i}.kind, sum(${i}.amount)::int AS amount, max(${i}.created_at) AS created_at ${from} GROUP BY ${i}.kind`;
      case 'agg_nogroup':
        this.f('aggregate_no_group');
        return `SELECT max(${i}.tenant_id) AS tenant_id, max(${i}.id) AS id, max(${i}.user_id) AS user_id, max(${i}.kind) AS kind, sum(${i}.amount)::int AS amount, max(${i}.created_at) AS created_at ${from}`;
      case 'window': {
        const part = this.rng.weighted<string>([
          [3, `PARTITION BY ${i}.tenant_id `],
          [1.5, `PARTITION BY ${i}.kind `],
          [1, `PARTITION BY ${i}.tenant_id, ${i}.kind `],
          [1, ''],
        ]);
        this.f(part.includes('tenant_id') ? 'window' : 'window_not_by_key');
        return `SELECT ${i}.tenant_id, row_number() OVER (${part}ORDER BY ${i}.id) AS id, ${i}.user_id, ${i}.kind, ${i}.amount, ${i}.created_at ${from}`;
      }
      case 'union_all':
      case 'union':
      case 'intersect':
      case 'except': {
        const op = modifier === 'union_all' ? 'UNION ALL' : modifier.toUpperCase();
        this.f(`setop_${modifier}`);
        this.f('setop_in_from');
        const j = this.alias('j');
        const t2 = this.sourceTable(item.table?.family ?? opts.family);
        this.tableFeature(t2);
        const w2 = this.rng.chance(0.25) ? ` WHERE ${this.keyFilter(j, t2)}` : '';
        const cols2 = FACT_COLS.map((c) => `${j}.${c}`).join(', ');
        return `SELECT ${cols} ${from} ${op} SELECT ${cols2} FROM ${t2.name} ${j}${w2}`;
      }
      default:
        return `SELECT ${cols} ${from}`;
    }
  }

  // ---- the target and its column list --------------------------------------------------------------
  private rollupTarget(): ZooTable {
    if (this.ctx.clean) {
      return byName(
        this.rng.weighted<string>([
          [6, 'daily'],
          [1.5, 'daily_nokey'],
          [1, 'daily_part'],
          [0.7, 'daily_ts'],
        ]),
      );
    }
    return byName(this.rng.weighted(ROLLUP_TARGETS));
  }

  /**
   * The value of the target's distribution column (or key slot): usually the natural column of the
   * first FROM item, sometimes another column, an expression, a constant, NULL, a sequence.
   */
  private keyExpr(a: string, targetKey: string, joined: string[], grouped: boolean): { expr: string; groupable: boolean; nullDist?: boolean } {
    const natural = `${a}.${targetKey === 'user_id' ? 'user_id' : 'tenant_id'}`;
    if (this.ctx.clean) return { expr: natural, groupable: true };
    const other = joined.length ? `${this.rng.pick(joined)}.tenant_id` : undefined;
    const v = this.rng.weighted<string>([
      [20, 'natural'],
      [other ? 2.5 : 0, 'other'],
      [1, 'const'],
      [0.4, 'null'],
      [0.8, 'swap'],
      [0.4, 'id'],
      [0.5, 'cast_same'],
      [0.6, 'cast_int'],
      [0.4, 'plus'],
      [0.3, 'abs'],
      [other ? 0.4 : 0.1, 'coalesce'],
      [0.2, 'case'],
      [grouped ? 0 : 0.25, 'nextval'],
      [0.2, 'scalar_sub'],
      [0.2, 'paren'],
    ]);
    switch (v) {
      case 'other':
        this.f('key_from_joined');
        return { expr: other!, groupable: true };
      case 'const':
        this.f('key_const');
        return { expr: String(this.tenant()), groupable: false };
      case 'null':
        this.f('key_null');
        return { expr: 'NULL::bigint', groupable: false, nullDist: true };
      case 'swap':
        this.f('key_other_column');
        return { expr: targetKey === 'user_id' ? `${a}.tenant_id` : `${a}.user_id`, groupable: true };
      case 'id':
        this.f('key_other_column');
        return { expr: `${a}.id`, groupable: true };
      case 'cast_same':
        this.f('key_cast');
        return { expr: `${natural}::bigint`, groupable: true };
      case 'cast_int':
        this.f('key_cast');
        return { expr: `${natural}::int`, groupable: true };
      case 'plus':
        this.f('key_expression');
        return { expr: `${natural} + 0`, groupable: true };
      case 'abs':
        this.f('key_expression');
        return { expr: `abs(${natural})`, groupable: true };
      case 'coalesce':
        this.f('key_expression');
        return { expr: `coalesce(${natural}, ${other ?? '0'})`, groupable: true };
      case 'case':
        this.f('key_expression');
        return { expr: `CASE WHEN ${a}.amount > 0 THEN ${natural} ELSE ${natural} END`, groupable: true };
      case 'nextval':
        this.f('volatile_nextval');
        return { expr: "nextval('counter_seq')", groupable: false };
      case 'scalar_sub':
        this.f('key_subquery');
        return { expr: `(SELECT max(s.tenant_id) FROM events s)`, groupable: false };
      case 'paren':
        return { expr: `(${natural})`, groupable: true };
      default:
        return { expr: natural, groupable: true };
    }
  }

  // ---- INSERT .. SELECT into a rollup -----------------------------------------------------------
  /** The rollup projection over a FROM clause: grouping mode, target list, GROUP BY, HAVING. */
  private rollupProjection(a: string, targetKey: string, joined: string[], mode: string): { list: string[]; group: string; groupItems?: string[]; ordinals?: boolean; having: string; order: string; nullDist?: boolean; distinct: string } {
    const grouped = mode === 'agg' || mode === 'having' || mode === 'grouping_sets';
    let key = this.keyExpr(a, targetKey, joined, grouped || mode === 'agg_kind' || mode === 'agg_none');
    // GROUPING SETS of a constant are not allowed: group by a column then
    if (mode === 'grouping_sets' && !key.groupable) key = { expr: `${a}.${targetKey === 'user_id' ? 'user_id' : 'tenant_id'}`, groupable: true };
    const kind = this.rng.weighted<string>([
      [8, `${a}.kind`],
      [1, `'all'`],
      [joined.length ? 1 : 0, `${joined[0] ?? a}.kind`],
      [1, `coalesce(${a}.kind, 'none')`],
    ]);
    let list: string[];
    let group = '';
    let groupItems: string[] | undefined;
    let ordinals = false;
    let having = '';
    let order = '';
    let distinct = '';
    switch (mode) {
      case 'plain':
        list = [key.expr, kind, this.rng.pick([`${a}.id`, '1']), this.rng.pick([`${a}.amount`, `${a}.amount * 2`])];
        break;
      case 'agg_kind': {
        this.f('group_by_non_key');
        const k = key.groupable ? this.rng.pick([`max(${key.expr})`, `min(${key.expr})`]) : key.expr;
        list = [k, kind, 'count(*)', `sum(${a}.amount)`];
        group = ` GROUP BY ${kind.startsWith("'") ? `${a}.kind` : kind}`;
        break;
      }
      case 'agg_none':
        this.f('aggregate_no_group');
        list = [key.groupable ? `max(${key.expr})` : key.expr, `'all'`, 'count(*)', `sum(${a}.amount)`];
        if (this.rng.chance(0.2)) {
          having = ' HAVING count(*) > 0';
          this.f('having');
        }
        break;
      case 'grouping_sets': {
        const gs = this.rng.pick([`GROUPING SETS ((${key.expr}, ${a}.kind), (${key.expr}))`, `ROLLUP (${key.expr}, ${a}.kind)`, `CUBE (${key.expr}, ${a}.kind)`, `GROUPING SETS ((${key.expr}, ${a}.kind))`]);
        this.f('grouping_sets');
        list = [key.expr, `coalesce(${a}.kind, 'total')`, 'count(*)', `sum(${a}.amount)`];
        group = ` GROUP BY ${gs}`;
        break;
      }
      case 'distinct': {
        const on = this.rng.chance(0.4);
        if (on) {
          const by = this.rng.pick([key.expr, `${a}.kind`]);
          this.f(by === key.expr ? 'distinct_on' : 'distinct_on_non_key');
          distinct = `DISTINCT ON (${by}) `;
          order = ` ORDER BY ${by}, ${a}.id`;
          list = [key.expr, kind, `${a}.id`, `${a}.amount`];
        } else {
          this.f('distinct');
          distinct = 'DISTINCT ';
          list = [key.expr, kind, '1', '0'];
        }
        break;
      }
      case 'window': {
        const part = this.rng.weighted<string>([
          [3, `PARTITION BY ${key.expr}`],
          [1.5, `PARTITION BY ${a}.kind`],
          [1, `PARTITION BY ${key.expr}, ${a}.kind`],
          [1, ''],
          [0.5, `ORDER BY ${a}.id`],
        ]);
        this.f(part.includes(key.expr) && key.groupable ? 'window' : 'window_not_by_key');
        list = [key.expr, kind, `count(*) OVER (${part})`, `sum(${a}.amount) OVER (${part})`];
        break;
      }
      default: {
        // agg / having
        this.f('group_by');
        const k = key.groupable ? key.expr : undefined;
        const style = this.rng.weighted<string>([
          [5, 'expr'],
          [2, 'ordinal'],
          [1, 'reversed'],
        ]);
        const kindGroup = kind.startsWith("'") ? undefined : kind;
        const g = (style === 'reversed' ? [kindGroup, k] : [k, kindGroup]).filter((x): x is string => !!x);
        // ordinals are resolved once the column list has placed the columns
        groupItems = g;
        ordinals = style === 'ordinal';
        if (!g.length) this.f('aggregate_no_group');
        list = [key.expr, kind, this.rng.pick(['count(*)', `count(DISTINCT ${a}.user_id)`, `count(${a}.id) FILTER (WHERE ${a}.amount > 5)`]), this.rng.pick([`sum(${a}.amount)`, `max(${a}.amount)`, `coalesce(sum(${a}.amount), 0)`])];
        if (mode === 'having' || this.rng.chance(0.1)) {
          having = this.rng.pick([' HAVING count(*) > 1', ` HAVING sum(${a}.amount) > 100`, ` HAVING max(${a}.id) > 0`]);
          this.f('having');
        }
      }
    }
    return { list, group, groupItems, ordinals, having, order, nullDist: key.nullDist, distinct };
  }

  private columnList(t: ZooTable, list: string[]): { cols: string; list: string[]; missingKey?: boolean } {
    const key = t.layout === 'text_rollup' ? 'key' : t.key;
    const base = [key, 'kind', 'n', 'total'];
    const prefixed = t.defaulted === 'serial' || t.defaulted === 'identity' || t.defaulted === 'uuid';
    if (this.ctx.clean) return { cols: ` (${base.join(', ')})`, list };
    const v = this.rng.weighted<string>([
      [9, 'explicit'],
      [prefixed ? 0 : 2.5, 'omitted'],
      [1.2, 'permuted'],
      [0.5, 'missing_key'],
      [t.defaulted ? 0.8 : 0, 'with_default'],
    ]);
    switch (v) {
      case 'omitted':
        this.f('column_list_omitted');
        return { cols: '', list };
      case 'permuted':
        this.f('column_list_permuted');
        return { cols: ` (kind, ${key}, total, n)`, list: [list[1], list[0], list[3], list[2]] };
      case 'missing_key':
        this.f('key_missing');
        return { cols: ' (kind, n, total)', list: list.slice(1), missingKey: true };
      case 'with_default': {
        this.f('column_list_with_default');
        const extra =
          t.defaulted === 'serial'
            ? ['id', this.rng.pick(["nextval('daily_seq_id_seq')", '1'])]
            : t.defaulted === 'identity'
              ? ['id', '1']
              : t.defaulted === 'uuid'
                ? ['id', this.rng.pick(['gen_random_uuid()', "'00000000-0000-0000-0000-000000000001'::uuid"])]
                : t.defaulted === 'timestamp'
                  ? ['updated_at', this.rng.pick(['now()', "timestamptz '2024-01-01 00:00+00'", 'clock_timestamp()'])]
                  : ['day', this.rng.pick(["date '2024-02-10'", "date '2024-01-20'", "date '2024-06-01'"])];
        if (/random|uuid\(\)|clock|nextval/.test(extra[1])) this.f('volatile_target_list');
        return { cols: ` (${base.join(', ')}, ${extra[0]})`, list: [...list, extra[1]] };
      }
      default:
        return { cols: ` (${base.join(', ')})`, list };
    }
  }

  private onConflict(t: ZooTable, alias: string): string {
    const key = t.conflictKey;
    const options: [number, string][] = [[3, 'ON CONFLICT DO NOTHING']];
    if (key) {
      const k = key.join(', ');
      const dist = t.dist ?? t.key;
      options.push(
        [2, `ON CONFLICT (${k}) DO NOTHING`],
        [6, `ON CONFLICT (${k}) DO UPDATE SET n = ${alias}.n + EXCLUDED.n, total = ${alias}.total + EXCLUDED.total`],
        [2, `ON CONFLICT (${k}) DO UPDATE SET n = EXCLUDED.n WHERE ${alias}.total < EXCLUDED.total`],
        [1.5, `ON CONFLICT (${k}) DO UPDATE SET ${dist} = EXCLUDED.${dist}, n = EXCLUDED.n`],
        [1, `ON CONFLICT (${k}) DO UPDATE SET ${dist} = EXCLUDED.${dist} + 1`],
        [1, `ON CONFLICT (${k}) DO UPDATE SET n = (random() * 10)::bigint`],
        [0.7, `ON CONFLICT (${k}) DO UPDATE SET total = extract(epoch FROM now())::bigint`],
        [0.8, `ON CONFLICT (${k}) DO UPDATE SET n = (SELECT count(*) FROM events s WHERE s.tenant_id = EXCLUDED.${dist})`],
        [0.8, `ON CONFLICT (${k}) DO UPDATE SET n = ${alias}.n + 1 WHERE ${alias}.n < now()::date - date '2000-01-01'`],
        [0.6, `ON CONFLICT (kind) DO NOTHING`],
        [0.8, `ON CONFLICT ON CONSTRAINT ${t.name.replace(/^.*\./, '')}_pkey DO NOTHING`],
      );
      if (t.defaulted === 'timestamp') options.push([2, `ON CONFLICT (${k}) DO UPDATE SET n = EXCLUDED.n, updated_at = now()`]);
    }
    const c = this.ctx.clean && key ? `ON CONFLICT (${key.join(', ')}) DO UPDATE SET n = ${alias}.n + EXCLUDED.n, total = ${alias}.total + EXCLUDED.total` : this.rng.weighted(options);
    this.f('on_conflict');
    if (/random|now\(\)/.test(c)) this.f('on_conflict_mutable');
    if (/SET (tenant_id|user_id|key) =/.test(c)) this.f('on_conflict_sets_key');
    if (c.includes('SELECT')) this.f('on_conflict_subquery');
    return ` ${c}`;
  }

  private returning(fact = false): string {
    this.f('returning');
    const c = fact ? 'amount' : 'n';
    return ` RETURNING ${this.rng.pick(['*', c, `${c} * 2 AS doubled`, 'now()', 'random()', '1'])}`;
  }

  private withClause(): string {
    return this.ctx.ctes.length ? `WITH ${this.ctx.ctes.join(', ')} ` : '';
  }

  private emit(shape: string, kind: GenStatement['kind'], sql: string, extra: Partial<GenStatement> = {}): GenStatement {
    const features = [...this.ctx.features].sort();
    return { id: `${this.zoo}-${kind === 'insert_select' ? 'is' : 'dml'}-${String(++this.count).padStart(5, '0')}`, zoo: this.zoo, kind, shape, features, sql, ...extra };
  }

  /**
   * An INSERT .. SELECT into a rollup target; `opts` forces dimensions (the shape templates below),
   * the rest is random.
   */
  rollupInsert(
    shape: string,
    opts: {
      mode?: string;
      joins?: number;
      where?: 'none' | 'key' | 'sublink' | 'plain';
      cte?: 'select' | 'insert' | 'twice' | 'target' | 'dml' | 'recursive';
      tail?: 'limit' | 'order' | 'offset';
      conflict?: boolean;
      returning?: boolean;
      family?: string;
      target?: ZooTable;
      targets?: [number, string][];
      sources?: [number, string][];
      firstKind?: string;
      setup?: string[];
      dirty?: boolean;
    } = {},
  ): GenStatement {
    this.fresh();
    if (opts.dirty) this.ctx.clean = false;
    if (opts.sources) this.ctx.sourcePool = opts.sources;
    const t = opts.target ?? (opts.targets ? byName(this.rng.weighted(opts.targets)) : this.rollupTarget());
    this.f(`target:${t.partitionOf ? 'partition' : t.partitioned ? 'partitioned' : t.kind === 'hash' ? (t.family === 'A' ? 'hash' : 'hash_other_group') : t.kind}`);
    const alias = this.rng.chance(0.5) ? 't' : undefined;
    const mode =
      opts.mode ??
      (this.ctx.clean ? this.rng.pick(['agg', 'agg', 'agg', 'plain', 'plain']) : undefined) ??
      this.rng.weighted<string>([
        [8, 'agg'],
        [4, 'plain'],
        [1.2, 'agg_kind'],
        [0.8, 'agg_none'],
        [0.5, 'grouping_sets'],
        [1, 'distinct'],
        [1, 'window'],
        [0.8, 'having'],
      ]);
    let fromSql: string;
    let items: Item[];
    let joinWhere: string[] = [];
    let insertLevelWith = '';
    if (opts.cte) {
      const c = this.cteSource(opts.cte, t);
      fromSql = c.from;
      items = c.items;
      insertLevelWith = c.insertWith ?? '';
      joinWhere = c.where ?? [];
    } else {
      const fr = this.from({ joins: opts.joins, family: opts.family, firstKind: opts.firstKind });
      fromSql = fr.sql;
      items = fr.items;
      joinWhere = fr.where;
    }
    const a = items[0].alias;
    const proj = this.rollupProjection(a, t.key, items.slice(1).map((i) => i.alias), mode);
    const cl = this.columnList(t, proj.list);
    const where = [...joinWhere];
    if (opts.where === 'key') where.push(this.keyFilter(a, items[0].table));
    else if (opts.where === 'sublink') where.push(this.sublinkFilter(a, items[0].table?.family));
    else if (opts.where === 'plain') where.push(this.plainFilter(a));
    else if (opts.where !== 'none') where.push(...this.filters(a, items[0].table));
    let tail = '';
    const tailKind = opts.tail ?? (!this.ctx.clean && this.rng.chance(0.08) ? this.rng.pick(['limit', 'order', 'offset', 'fetch', 'limit_all']) : undefined);
    if (tailKind && !proj.order) {
      const orderBy = ` ORDER BY ${mode === 'plain' || mode === 'distinct' || mode === 'window' ? '1' : '1'}`;
      if (tailKind === 'limit') tail = `${orderBy} LIMIT ${this.rng.pick([5, 100])}`;
      else if (tailKind === 'order') tail = orderBy;
      else if (tailKind === 'offset') tail = `${orderBy} OFFSET 1`;
      else if (tailKind === 'fetch') tail = ' FETCH FIRST 10 ROWS ONLY';
      else tail = ' LIMIT ALL';
      this.f(tailKind === 'order' ? 'order_by' : tailKind === 'offset' ? 'offset' : 'limit');
    }
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    let group = proj.group;
    if (proj.groupItems?.length) {
      const items = proj.ordinals ? proj.groupItems.map((g) => (cl.list.indexOf(g) >= 0 ? String(cl.list.indexOf(g) + 1) : g)) : proj.groupItems;
      group = ` GROUP BY ${items.join(', ')}`;
    }
    const select = `SELECT ${proj.distinct}${cl.list.join(', ')} FROM ${fromSql}${w}${group}${proj.having}${proj.order}${tail}`;
    const conflict = opts.conflict ?? this.rng.chance(0.15);
    const ret = opts.returning ?? (!this.ctx.clean && this.rng.chance(0.06));
    const into = `INSERT INTO ${t.name}${alias ? ` AS ${alias}` : ''}${cl.cols} `;
    const sql = `${insertLevelWith}${into}${this.withClause()}${select}${conflict ? this.onConflict(t, alias ?? t.name.replace(/^.*\./, '')) : ''}${ret ? this.returning() : ''}`;
    const setup = opts.setup;
    if (setup) for (const st of setup) this.f(`setting:${st.replace(/^SET citus\.(\S+) = (\S+)$/, '$1=$2')}`);
    return this.emit(shape, 'insert_select', sql, { structuralNull: proj.nullDist && !cl.missingKey, ...(setup ? { setup } : {}) });
  }

  /** The FROM clause of a CTE shape; the CTEs go to the SELECT's WITH list (or the INSERT's). */
  private cteSource(kind: 'select' | 'insert' | 'twice' | 'target' | 'dml' | 'recursive', target: ZooTable): { from: string; items: Item[]; insertWith?: string; where?: string[] } {
    switch (kind) {
      case 'insert': {
        this.f('cte_insert_level');
        const name = this.cte({});
        const ctes = this.ctx.ctes;
        this.ctx.ctes = [];
        const second = this.rng.chance(0.4) ? this.tableItem(this.sourceTable(), 'b') : undefined;
        const items: Item[] = [{ sql: `${name} a`, alias: 'a', fact: true }];
        let from = `${name} a`;
        if (second) {
          from += ` JOIN ${second.sql} ON a.tenant_id = b.tenant_id`;
          items.push(second);
          this.f('join');
        }
        return { from, items, insertWith: `WITH ${ctes.join(', ')} ` };
      }
      case 'twice': {
        this.f('cte_twice');
        const name = this.cte({});
        const how = this.rng.pick(['join', 'sublink']);
        if (how === 'join') return { from: `${name} a JOIN ${name} b ON a.tenant_id = b.tenant_id AND a.id = b.id`, items: [{ sql: '', alias: 'a', fact: true }, { sql: '', alias: 'b', fact: true }] };
        return { from: `${name} a`, items: [{ sql: '', alias: 'a', fact: true }], where: [`a.tenant_id IN (SELECT tenant_id FROM ${name})`] };
      }
      case 'target': {
        this.f('cte_reads_target');
        const key = target.layout === 'text_rollup' ? 'key' : target.key;
        const prev = `prev AS ${this.rng.chance(0.3) ? 'MATERIALIZED ' : ''}(SELECT ${key} AS tenant_id, kind, n, total FROM ${target.name})`;
        this.ctx.ctes.push(prev);
        const first = this.tableItem(this.sourceTable(), 'a');
        const how = this.rng.pick(['join', 'not_exists', 'in']);
        if (how === 'join') {
          this.f('join');
          return { from: `${first.sql} LEFT JOIN prev p ON p.tenant_id = a.tenant_id AND p.kind = a.kind`, items: [first] };
        }
        if (how === 'in') return { from: first.sql, items: [first], where: ['a.tenant_id NOT IN (SELECT tenant_id FROM prev)'] };
        return { from: first.sql, items: [first], where: ['NOT EXISTS (SELECT 1 FROM prev p WHERE p.tenant_id = a.tenant_id AND p.kind = a.kind)'] };
      }
      case 'dml': {
        this.f('cte_dml');
        const m = byName(this.rng.pick(MODIFIABLE));
        this.tableFeature(m);
        const filter = this.rng.chance(0.6) ? ` WHERE tenant_id = ${this.tenant()}` : this.rng.chance(0.5) ? ' WHERE amount > 80' : '';
        const stmt = this.rng.chance(0.5) ? `DELETE FROM ${m.name}${filter} RETURNING *` : `UPDATE ${m.name} SET amount = amount + 1${filter} RETURNING *`;
        const insertWith = `WITH d AS (${stmt}) `;
        const join = this.rng.chance(0.3) ? this.tableItem(this.sourceTable(m.family), 'b') : undefined;
        if (join) this.f('join');
        return { from: `d a${join ? ` JOIN ${join.sql} ON a.tenant_id = b.tenant_id` : ''}`, items: [{ sql: 'd a', alias: 'a', fact: true }, ...(join ? [join] : [])], insertWith };
      }
      case 'recursive': {
        this.f('cte_recursive');
        const first = this.tableItem(this.sourceTable(), 'a');
        return { from: `${first.sql} JOIN r ON r.n = a.tenant_id`, items: [first], insertWith: undefined, where: [] };
      }
      default: {
        const name = this.cte({});
        const second = this.rng.chance(0.5) ? this.factItem('b', { allowSub: false }) : undefined;
        const items: Item[] = [{ sql: `${name} a`, alias: 'a', fact: true }];
        let from = `${name} a`;
        if (second) {
          this.f('join');
          from += ` JOIN ${second.sql} ON ${this.joinCondition('a', 'b', second)}`;
          items.push(second);
        }
        return { from, items };
      }
    }
  }

  pickJoins(): number {
    return this.rng.weighted([
      [3, 0],
      [2, 1],
    ]);
  }

  /** Settings a workspace declares before its statements (run in the same transaction on the cluster). */
  pickSetup(): string[] {
    return [
      this.rng.weighted<string>([
        [3, 'SET citus.enable_repartition_joins = on'],
        [2, 'SET citus.enable_repartitioned_insert_select = off'],
        [0.5, 'SET citus.enable_repartition_joins = off'],
      ]),
    ];
  }

  /** A recursive CTE needs WITH RECURSIVE: built as its own statement. */
  recursiveCteInsert(): GenStatement {
    const s = this.rollupInsert('cte_recursive', { cte: 'recursive' });
    const withR = 'WITH RECURSIVE r(n) AS (SELECT 1::bigint UNION ALL SELECT n + 1 FROM r WHERE n < 5) ';
    // the recursive CTE goes in front of the SELECT (inside the INSERT) or before the INSERT
    const inner = s.sql.replace(/^(INSERT INTO [^(]*?(?:\([^)]*\))? )(SELECT)/, `$1${withR}$2`);
    const sql = this.rng.chance(0.5) && inner !== s.sql ? inner : `${withR}${s.sql}`;
    return { ...s, sql };
  }

  /** A top-level set operation of rollup projections (UNION / INTERSECT / EXCEPT, with LIMIT or router branches). */
  setOpInsert(): GenStatement {
    this.fresh();
    const t = this.rollupTarget();
    this.f(`target:${t.kind === 'hash' ? (t.family === 'A' ? 'hash' : 'hash_other_group') : t.kind}`);
    const op = this.rng.weighted<string>([
      [4, 'UNION ALL'],
      [2.5, 'UNION'],
      [1.2, 'INTERSECT'],
      [1.2, 'EXCEPT'],
      [0.3, 'INTERSECT ALL'],
      [0.3, 'EXCEPT ALL'],
    ]);
    this.f(`setop_${op.toLowerCase().replace(' ', '_')}`);
    this.f('setop_top');
    const n = this.rng.chance(0.2) ? 3 : 2;
    const agg = this.rng.chance(0.45);
    const branches: string[] = [];
    const key = t.key === 'user_id' ? 'user_id' : 'tenant_id';
    let family: string | undefined;
    for (let k = 0; k < n; k++) {
      const s = this.sourceTable(family);
      family ??= s.family;
      this.tableFeature(s);
      const x = `s${k}`;
      const keyExpr = this.rng.chance(0.9) ? `${x}.${key}` : String(this.tenant());
      const filter = this.rng.chance(0.3) ? ` WHERE ${this.keyFilter(x, s)}` : this.rng.chance(0.2) ? ` WHERE ${this.sublinkFilter(x, s.family)}` : '';
      let b = agg ? `SELECT ${keyExpr}, ${x}.kind, count(*), sum(${x}.amount) FROM ${s.name} ${x}${filter} GROUP BY 1, 2` : `SELECT ${keyExpr}, ${x}.kind, ${x}.id, ${x}.amount FROM ${s.name} ${x}${filter}`;
      if (this.rng.chance(0.15)) {
        b = `(${b} ORDER BY 1 LIMIT ${this.rng.pick([3, 20])})`;
        this.f('setop_branch_limit');
        this.f('limit');
      }
      branches.push(b);
    }
    if (agg) this.f('group_by');
    let select = branches.join(` ${op} `);
    if (this.rng.chance(0.1)) {
      select += ' ORDER BY 1 LIMIT 50';
      this.f('limit');
    }
    const prefixed = t.defaulted === 'serial' || t.defaulted === 'identity' || t.defaulted === 'uuid';
    const cols = prefixed || this.rng.chance(0.75) ? ` (${t.key}, kind, n, total)` : '';
    const conflict = this.rng.chance(0.12);
    const sql = `INSERT INTO ${t.name}${cols} ${select}${conflict ? this.onConflict(t, t.name.replace(/^.*\./, '')) : ''}${this.rng.chance(0.05) ? this.returning() : ''}`;
    return this.emit('setop_top', 'insert_select', sql);
  }

  /** INSERT .. SELECT copying fact rows (events-like targets, SELECT * and column lists). */
  factInsert(): GenStatement {
    this.fresh();
    const t = byName(this.rng.weighted(FACT_TARGETS));
    this.f(`target:${t.partitioned ? 'partitioned' : t.kind === 'hash' ? 'hash' : t.kind}`);
    const fr = this.from({ joins: this.rng.weighted([
      [5, 0],
      [2, 1],
    ]) });
    const a = fr.items[0].alias;
    const key = this.keyExpr(a, 'tenant_id', fr.items.slice(1).map((i) => i.alias), false);
    const star = fr.items.length === 1 && this.rng.chance(0.25) && key.expr === `${a}.tenant_id`;
    const idExpr = this.rng.pick([`${a}.id + 100000`, `${a}.id`, `${a}.id + 200000`]);
    const list = star ? [`${a}.*`] : [key.expr, idExpr, `${a}.user_id`, `${a}.kind`, `${a}.amount`, `${a}.created_at`];
    const cols = star ? '' : this.rng.weighted<string>([
      [5, ' (tenant_id, id, user_id, kind, amount, created_at)'],
      [2, ''],
      [0.7, ' (tenant_id, id, kind)'],
    ]);
    if (star) this.f('select_star');
    const l = cols === ' (tenant_id, id, kind)' ? [list[0], list[1], list[3]] : list;
    const where = [...fr.where, ...this.filters(a, fr.items[0].table)];
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    const conflict = this.rng.chance(0.15);
    let oc = '';
    if (conflict) {
      this.f('on_conflict');
      oc = this.rng.pick([' ON CONFLICT DO NOTHING', t.pk ? ` ON CONFLICT (tenant_id, id${t.partitioned ? ', created_at' : ''}) DO UPDATE SET amount = EXCLUDED.amount` : ' ON CONFLICT DO NOTHING']);
    }
    const sql = `INSERT INTO ${t.name}${cols} ${this.withClause()}SELECT ${l.join(', ')} FROM ${fr.sql}${w}${oc}${this.rng.chance(0.08) ? this.returning(true) : ''}`;
    return this.emit('fact_copy', 'insert_select', sql, { structuralNull: key.nullDist });
  }

  /** SELECTs from functions and VALUES without a table, joined or not to one. */
  functionInsert(): GenStatement {
    this.fresh();
    const t = this.rollupTarget();
    this.f(`target:${t.kind === 'hash' ? (t.family === 'A' ? 'hash' : 'hash_other_group') : t.kind}`);
    const src = this.rng.pick(['series', 'values', 'unnest', 'series_join', 'values_join', 'fromless', 'json']);
    this.f(src.startsWith('values') ? 'values' : src.startsWith('series') ? 'generate_series' : src === 'fromless' ? 'fromless' : 'function_in_from');
    let sql: string;
    const cols = ` (${t.key}, kind, n, total)`;
    const other = this.sourceTable();
    switch (src) {
      case 'series':
        sql = `SELECT g, 'click', g, g * 10 FROM generate_series(1, ${this.rng.pick([5, 50])}) g`;
        break;
      case 'values':
        sql = `SELECT v.k, v.kind, v.n, v.total FROM (VALUES (1, 'click', 1, 10), (2, 'view', 2, 20)) AS v(k, kind, n, total)`;
        break;
      case 'unnest':
        sql = `SELECT u, 'click', 1, 1 FROM unnest(ARRAY[1, 2, 3]::bigint[]) u`;
        break;
      case 'json':
        sql = `SELECT (j->>'t')::bigint, j->>'k', 1, 1 FROM jsonb_array_elements('[{"t": 1, "k": "click"}, {"t": 2, "k": "view"}]'::jsonb) j`;
        break;
      case 'fromless':
        sql = `SELECT ${this.tenant()}, 'click', ${this.rng.pick(['1', 'extract(epoch FROM now())::bigint', '(random() * 10)::bigint'])}, 1`;
        break;
      case 'series_join':
        this.tableFeature(other);
        this.f('join');
        sql = `SELECT e.tenant_id, e.kind, count(*), sum(g) FROM generate_series(1, 10) g JOIN ${other.name} e ON e.tenant_id = g GROUP BY 1, 2`;
        if (this.rng.chance(0.5)) sql = `SELECT e.tenant_id, e.kind, count(*), sum(e.amount) FROM ${other.name} e JOIN generate_series(1, 10) g ON e.tenant_id = g GROUP BY 1, 2`;
        break;
      default:
        this.tableFeature(other);
        this.f('join');
        sql = `SELECT e.tenant_id, v.kind, count(*), sum(e.amount) FROM ${other.name} e JOIN (VALUES ('click'), ('view')) AS v(kind) ON v.kind = e.kind GROUP BY 1, 2`;
    }
    if (/random|now/.test(sql)) this.f(/random/.test(sql) ? 'volatile_target_list' : 'stable_function');
    return this.emit('functions_values', 'insert_select', `INSERT INTO ${t.name}${cols} ${sql}`);
  }

  /** Into the text-distributed pair (casts between text and other types). */
  textInsert(): GenStatement {
    this.fresh();
    this.f('text_key');
    const src = this.rng.weighted<string>([
      [5, 'text_events'],
      [1, 'events'],
    ]);
    const keyExpr = src === 'events' ? this.rng.pick(['a.tenant_id::text', "'t' || a.tenant_id"]) : this.rng.weighted<string>([
      [6, 'a.key'],
      [1, 'a.key::varchar'],
      [1, 'a.key::text'],
      [1, "a.key || ''"],
      [0.5, 'upper(a.key)'],
    ]);
    if (keyExpr !== 'a.key') this.f('key_expression');
    const join = src === 'text_events' && this.rng.chance(0.3) ? ` JOIN text_events b ON ${this.rng.pick(['b.key = a.key', 'b.id = a.id'])}` : '';
    if (join) this.f('join');
    const col = src === 'events' ? 'a.tenant_id::text' : 'a.key';
    const where = this.rng.chance(0.3) ? ` WHERE ${col} = '${src === 'events' ? '' : 't'}${this.tenant()}'` : this.rng.chance(0.2) ? ` WHERE ${col} IN (SELECT key FROM text_events WHERE amount > 50)` : '';
    if (where.includes('SELECT')) this.f('sublink_in');
    else if (where) this.f('filter_key');
    const sql = `INSERT INTO text_daily (key, kind, n, total) SELECT ${keyExpr}, a.kind, count(*), sum(a.amount) FROM ${src} a${join}${where} GROUP BY 1, 2${this.rng.chance(0.2) ? ' ON CONFLICT (key, kind) DO UPDATE SET n = text_daily.n + EXCLUDED.n' : ''}`;
    return this.emit('text_key', 'insert_select', sql);
  }

  /** A PL/pgSQL block that runs the INSERT .. SELECT through EXECUTE format(...) with constant arguments. */
  plpgsqlFormat(): GenStatement {
    const s = this.rollupInsert('plpgsql_execute_format', { joins: 0 });
    const m = /^INSERT INTO (\S+)/.exec(s.sql);
    if (!m || m[1].includes('.') || s.sql.includes('%') || s.sql.includes('$')) return { ...s, shape: 'mixed' };
    const template = s.sql.replace(/^INSERT INTO \S+/, 'INSERT INTO %I').replace(/'/g, "''");
    const wrapped = `DO $$\nBEGIN\n  EXECUTE format('${template}', '${m[1]}');\nEND\n$$`;
    return { ...s, features: [...s.features, 'plpgsql_execute_format'].sort(), sql: wrapped, recordSql: s.sql };
  }

  // ---- other DML ------------------------------------------------------------------------------------
  private dmlTarget(): ZooTable {
    return byName(
      this.rng.weighted<string>([
        [4, 'daily'],
        [2, 'events'],
        [1, 'clicks'],
        [1.5, 'daily_ref'],
        [1, 'daily_local'],
        [1, 'daily_cl'],
        [1, 'daily_ss'],
        [1, 'tenant_a.daily'],
        [1, 'daily16'],
        [1.5, 'daily_part'],
        [1, 'daily_part_2024_01'],
        [1, 'events_part'],
        [0.7, 'daily_seq'],
        [0.7, 'daily_uuid'],
        [0.7, 'daily_by_user'],
        [0.5, 'events_ref'],
        [0.5, 'ss_events'],
      ]),
    );
  }

  insertValues(): GenStatement {
    this.fresh();
    const t = this.dmlTarget();
    this.f(`target:${t.partitionOf ? 'partition' : t.partitioned ? 'partitioned' : t.kind}`);
    this.f('insert_values');
    const fact = t.layout === 'fact';
    const rows = this.rng.weighted([
      [6, 1],
      [2, 2],
      [1, 3],
      [0.4, 6],
    ]);
    if (rows > 1) this.f('multi_row');
    const keyVal = (): string => {
      const v = this.rng.weighted<string>([
        [12, String(this.tenant())],
        [0.6, 'NULL'],
        [0.5, 'DEFAULT'],
        [0.5, '(random() * 10)::bigint + 1'],
        [0.4, "nextval('counter_seq')"],
        [0.4, '(SELECT max(tenant_id) FROM events)'],
        [0.4, `${this.tenant()} + 1`],
        [0.3, `'${this.tenant()}'`],
      ]);
      if (v === 'NULL') this.f('key_null');
      if (v === 'DEFAULT') this.f('key_default');
      if (/random|nextval/.test(v)) this.f('volatile_values');
      if (v.includes('SELECT')) this.f('sublink_in_values');
      return v;
    };
    const dayVal = (): string => {
      const v = this.rng.weighted<string>([
        [4, "'2024-01-10'"],
        [2, "'2024-02-10'"],
        [1.5, "'2024-05-01'"],
        [0.5, 'DEFAULT'],
        [0.3, 'current_date'],
      ]);
      if (v === "'2024-05-01'" || v === 'current_date') this.f('partition_out_of_bounds');
      return v;
    };
    const list: string[] = [];
    for (let r = 0; r < rows; r++) {
      if (fact) {
        const created = t.partitionOf || t.partitioned ? this.rng.pick(["'2024-01-10'", "'2024-05-01'", 'now()']) : 'now()';
        list.push(`(${keyVal()}, ${700000 + this.rng.int(100000)}, ${this.rng.int(200)}, 'click', ${this.rng.int(90)}, ${created})`);
      } else {
        const day = t.defaulted === 'day' ? `, ${dayVal()}` : '';
        list.push(`(${keyVal()}, '${this.rng.pick(['click', 'view', 'buy', 'new'])}', ${this.rng.int(9) + 1}, ${this.rng.int(90)}${day})`);
      }
    }
    const cols = fact ? '(tenant_id, id, user_id, kind, amount, created_at)' : t.defaulted === 'day' ? `(${t.key}, kind, n, total, day)` : `(${t.key}, kind, n, total)`;
    let tail = '';
    if (this.rng.chance(0.25)) tail += this.onConflict(t, t.name.replace(/^.*\./, ''));
    if (this.rng.chance(0.15)) tail += this.returning(fact);
    return this.emit('insert_values', 'dml', `INSERT INTO ${t.name} ${cols} VALUES ${list.join(', ')}${tail}`);
  }

  private dmlFilter(a: string, t: ZooTable): string[] {
    const out: string[] = [];
    const key = t.dist ?? t.key;
    const v = this.rng.weighted<string>([
      [5, 'key'],
      [1.5, 'list'],
      [2, 'none'],
      [2, 'plain'],
      [3, 'sublink'],
      [0.4, 'false'],
    ]);
    if (v === 'key') {
      out.push(`${a}.${key} = ${this.tenant()}`);
      this.f('filter_key');
    } else if (v === 'list') {
      out.push(`${a}.${key} IN (${this.tenant()}, ${this.tenant()})`);
      this.f('filter_key_list');
    } else if (v === 'plain') {
      out.push(t.layout === 'fact' ? `${a}.amount > 50` : `${a}.n > 5`);
    } else if (v === 'false') {
      out.push('false');
      this.f('filter_false');
    } else if (v === 'sublink') {
      out.push(this.dmlSublink(a, t));
      if (this.rng.chance(0.3)) {
        out.push(`${a}.${key} = ${this.tenant()}`);
        this.f('filter_key');
      }
    }
    return out;
  }

  private dmlSublink(a: string, t: ZooTable): string {
    const s = this.sourceTable(t.family);
    this.tableFeature(s);
    const key = t.dist ?? t.key;
    const sk = key === 'user_id' ? 'user_id' : 'tenant_id';
    const corr = this.rng.chance(0.35);
    const lim = this.rng.chance(0.15) ? ' LIMIT 5' : '';
    const kind = this.rng.weighted<string>([
      [4, 'in'],
      [2, 'exists'],
      [1, 'not_in'],
      [1, 'in_non_key'],
      [1, 'scalar'],
    ]);
    this.f(`sublink_${kind === 'in_non_key' ? 'in' : kind}`);
    this.f(corr ? 'sublink_correlated' : 'sublink_uncorrelated');
    if (lim) this.f('limit');
    const cw = corr ? ` WHERE x.${sk} = ${a}.${key}` : this.rng.chance(0.4) ? ' WHERE x.amount > 10' : '';
    switch (kind) {
      case 'exists':
        return `EXISTS (SELECT 1 FROM ${s.name} x${cw || ` WHERE x.${sk} = ${a}.${key}`}${lim})`;
      case 'not_in':
        return `${a}.${key} NOT IN (SELECT x.${sk} FROM ${s.name} x${cw}${lim})`;
      case 'in_non_key':
        return `${a}.kind IN (SELECT x.kind FROM ${s.name} x${cw}${lim})`;
      case 'scalar':
        return `${a}.${t.layout === 'fact' ? 'amount' : 'n'} > (SELECT ${corr ? 'max' : 'avg'}(x.amount) FROM ${s.name} x${cw})`;
      default:
        return `${a}.${key} IN (SELECT x.${sk} FROM ${s.name} x${cw}${lim})`;
    }
  }

  updateOrDelete(): GenStatement {
    this.fresh();
    const t = this.dmlTarget();
    const fact = t.layout === 'fact';
    const del = this.rng.chance(0.4);
    this.f(del ? 'delete' : 'update');
    this.f(`target:${t.partitionOf ? 'partition' : t.partitioned ? 'partitioned' : t.kind}`);
    const a = this.rng.chance(0.6) ? 't' : t.name.replace(/^.*\./, '');
    const aliasSql = a === 't' ? ' t' : '';
    const key = t.dist ?? t.key;
    const useFrom = this.rng.chance(0.3);
    let from = '';
    const where = this.dmlFilter(a, t);
    if (useFrom) {
      const s = this.rng.chance(0.7) ? this.sourceTable(t.family) : this.sourceTable();
      this.tableFeature(s);
      this.f(del ? 'delete_using' : 'update_from');
      const sub = this.rng.chance(0.25);
      const src = sub ? `(SELECT tenant_id, max(amount) AS amount, max(user_id) AS user_id FROM ${s.name} GROUP BY tenant_id${this.rng.chance(0.3) ? ' LIMIT 10' : ''}) s` : `${s.name} s`;
      if (sub) this.f('subquery_from');
      from = del ? ` USING ${src}` : ` FROM ${src}`;
      where.unshift(this.rng.weighted<string>([
        [6, `s.tenant_id = ${a}.${key === 'user_id' ? 'user_id' : key}`],
        [1, `s.user_id = ${a}.${key}`],
        [1, `s.amount = ${a}.${fact ? 'amount' : 'n'}`],
      ]));
    }
    const w = where.length ? ` WHERE ${where.join(' AND ')}` : '';
    if (del) return this.emit('delete', 'dml', `DELETE FROM ${t.name}${aliasSql}${from}${w}${this.rng.chance(0.1) ? ' RETURNING *' : ''}`);
    const col = fact ? 'amount' : 'n';
    const set = this.rng.weighted<string>([
      [6, `${col} = ${a}.${col} + 1`],
      [2, `kind = 'x'`],
      [useFrom ? 2 : 0, `${col} = s.amount`],
      [1, `${key} = ${a}.${key}`],
      [1, `${key} = ${this.tenant()}`],
      [0.8, `${key} = ${a}.${key} + 1`],
      [0.8, `${col} = (random() * 10)::int`],
      [0.6, fact ? 'created_at = now()' : `${col} = extract(epoch FROM now())::bigint`],
      [0.6, `${col} = (SELECT max(x.amount) FROM events x WHERE x.tenant_id = ${a}.${key === 'user_id' ? 'user_id' : key})`],
      [0.4, `${col} = length(${a}.kind)`],
    ]);
    if (set.startsWith(`${key} =`)) this.f('update_key');
    if (/random/.test(set)) this.f('volatile_set');
    if (/now\(\)/.test(set)) this.f('stable_function');
    if (set.includes('SELECT')) this.f('sublink_in_set');
    return this.emit('update', 'dml', `UPDATE ${t.name}${aliasSql} SET ${set}${from}${w}${this.rng.chance(0.1) ? ' RETURNING *' : ''}`);
  }

  merge(): GenStatement {
    this.fresh();
    this.f('merge');
    const t = byName(this.rng.weighted<string>([
      [5, 'daily'],
      [1, 'daily16'],
      [1, 'daily_ref'],
      [1, 'daily_local'],
      [1, 'daily_cl'],
      [1, 'daily_ss'],
      [1, 'tenant_a.daily'],
      [1, 'daily_part'],
      [1, 'daily_by_user'],
      [0.5, 'daily_nokey'],
    ]));
    this.f(`target:${t.partitioned ? 'partitioned' : t.kind}`);
    const key = t.key;
    const s = this.sourceTable(this.rng.chance(0.6) ? t.family : undefined);
    const srcKind = this.rng.weighted<string>([
      [5, 'agg'],
      [1.5, 'table'],
      [1, 'agg_limit'],
      [0.6, 'values'],
      [0.6, 'cte'],
      [0.4, 'series'],
    ]);
    let src: string;
    let withClause = '';
    const sk = key === 'user_id' ? 'user_id' : 'tenant_id';
    switch (srcKind) {
      case 'table':
        this.tableFeature(s);
        src = `(SELECT ${sk} AS k, kind, id AS n, amount::bigint AS total FROM ${s.name}) s`;
        this.f('subquery_from');
        if (this.rng.chance(0.6)) {
          const r = byName(this.rng.pick(['daily16', 'daily_ref', 'daily_local', 'daily_nc', 'daily', 'daily_ss']));
          this.tableFeature(r);
          src = `(SELECT ${r.key} AS k, kind, n, total FROM ${r.name}) s`;
        }
        break;
      case 'values':
        this.f('values');
        src = `(VALUES (${this.tenant()}::bigint, 'click', 1::bigint, 1::bigint)) AS s(k, kind, n, total)`;
        break;
      case 'series':
        this.f('generate_series');
        src = `(SELECT g::bigint AS k, 'click' AS kind, 1::bigint AS n, 1::bigint AS total FROM generate_series(1, 5) g) s`;
        break;
      case 'cte':
        this.tableFeature(s);
        this.f('cte');
        withClause = `WITH src AS (SELECT ${sk} AS k, kind, count(*) AS n, sum(amount) AS total FROM ${s.name} GROUP BY 1, 2) `;
        src = 'src s';
        break;
      default:
        this.tableFeature(s);
        this.f('group_by');
        src = `(SELECT ${sk} AS k, kind, count(*) AS n, sum(amount) AS total FROM ${s.name}${this.rng.chance(0.25) ? ` WHERE ${sk} = ${this.tenant()}` : ''} GROUP BY 1, 2${srcKind === 'agg_limit' ? ' LIMIT 20' : ''}) s`;
        if (srcKind === 'agg_limit') this.f('limit');
    }
    const on = this.rng.weighted<string>([
      [6, `t.${key} = s.k AND t.kind = s.kind`],
      [1.5, `t.${key} = s.k`],
      [1, `t.kind = s.kind`],
      [0.8, `t.${key} = s.k AND t.${key} = ${this.tenant()}`],
      [0.5, `t.n = s.n`],
    ]);
    if (!on.includes(`t.${key} = s.k`)) this.f('merge_not_on_key');
    const matched = this.rng.weighted<string>([
      [6, 'UPDATE SET n = t.n + s.n, total = t.total + s.total'],
      [2, 'DELETE'],
      [1, 'UPDATE SET n = (random() * 10)::bigint'],
      [1, 'UPDATE SET total = extract(epoch FROM now())::bigint'],
      [0.6, `UPDATE SET ${key} = s.k`],
      [0.6, `UPDATE SET ${key} = s.k + 1`],
      [0.8, 'DO NOTHING'],
    ]);
    const cond = this.rng.chance(0.2) ? this.rng.pick([' AND s.n > 1', ' AND t.total < now()::date - date \'2000-01-01\'', ' AND random() < 0.5']) : '';
    const notMatched = this.rng.weighted<string>([
      [6, `INSERT (${key}, kind, n, total) VALUES (s.k, s.kind, s.n, s.total)`],
      [1.5, 'DO NOTHING'],
      [0.8, `INSERT (${key}, kind, n, total) VALUES (s.k + 1, s.kind, s.n, s.total)`],
      [0.6, `INSERT (${key}, kind, n, total) VALUES (${this.tenant()}, s.kind, s.n, s.total)`],
      [0.8, `INSERT (${key}, kind, n, total) VALUES (s.k, s.kind, s.n, (random() * 10)::bigint)`],
      [0.6, `INSERT (${key}, kind, n, total) VALUES (s.k, s.kind, s.n, extract(epoch FROM now())::bigint)`],
      [0.3, `INSERT (kind, n, total) VALUES (s.kind, s.n, s.total)`],
    ]);
    const stmts = [`WHEN MATCHED${cond} THEN ${matched}`];
    if (this.rng.chance(0.85)) stmts.push(`WHEN NOT MATCHED THEN ${notMatched}`);
    const all = stmts.join(' ');
    if (/random\(\)/.test(all)) this.f('merge_volatile');
    if (/now\(\)/.test(all)) this.f('merge_stable');
    if (new RegExp(`UPDATE SET ${key} =`).test(all)) this.f('update_key');
    return this.emit('merge', 'dml', `${withClause}MERGE INTO ${t.name} t USING ${src} ON ${on} ${all}`);
  }

  /** A SELECT (router, multi-shard, recursively planned, FOR UPDATE). */
  select(): GenStatement {
    const s = this.rollupInsert('select', {});
    const m = /^(WITH [\s\S]*? )?INSERT INTO \S+(?: AS \w+)?(?: \([^)]*\))? ([\s\S]*?)( ON CONFLICT [\s\S]*?)?( RETURNING [\s\S]*)?$/.exec(s.sql);
    if (!m || s.sql.includes('WITH d AS')) return this.insertValues();
    let sql = `${m[1] ?? ''}${m[2]}`;
    const features = s.features.filter((f) => !f.startsWith('target:') && f !== 'on_conflict' && f !== 'returning' && !f.startsWith('on_conflict') && !f.startsWith('column_list') && f !== 'key_missing');
    if (this.rng.chance(0.12) && !/GROUP BY|DISTINCT|OVER|UNION|INTERSECT|EXCEPT|LIMIT|count\(|sum\(/.test(sql)) {
      sql += ' FOR UPDATE';
      features.push('for_update');
    }
    return { ...s, kind: 'dml', shape: 'select', features: [...new Set(['select', ...features])].sort(), sql };
  }
}

/** The shape templates and how many statements of each a run makes (per 1000). */
export const INSERT_SELECT_SHAPES: [number, string, (g: Generator) => GenStatement][] = [
  [90, 'mixed', (g) => g.rollupInsert('mixed')],
  [70, 'rollup_agg', (g) => g.rollupInsert('rollup_agg', { mode: 'agg', joins: 0 })],
  [40, 'group_variants', (g) => g.rollupInsert('group_variants', { mode: undefined, joins: 0 })],
  [70, 'join_two', (g) => g.rollupInsert('join_two', { joins: 1 })],
  [30, 'join_three', (g) => g.rollupInsert('join_three', { joins: 2 })],
  [60, 'subquery_where', (g) => g.rollupInsert('subquery_where', { where: 'sublink' })],
  [50, 'router_filter', (g) => g.rollupInsert('router_filter', { where: 'key' })],
  [35, 'cte_select', (g) => g.rollupInsert('cte_select', { cte: 'select' })],
  [20, 'cte_twice', (g) => g.rollupInsert('cte_twice', { cte: 'twice' })],
  [20, 'cte_insert_level', (g) => g.rollupInsert('cte_insert_level', { cte: 'insert' })],
  [20, 'cte_reads_target', (g) => g.rollupInsert('cte_reads_target', { cte: 'target' })],
  [20, 'cte_dml', (g) => g.rollupInsert('cte_dml', { cte: 'dml' })],
  [8, 'cte_recursive', (g) => g.recursiveCteInsert()],
  [55, 'setop_top', (g) => g.setOpInsert()],
  [30, 'window', (g) => g.rollupInsert('window', { mode: 'window' })],
  [25, 'distinct', (g) => g.rollupInsert('distinct', { mode: 'distinct' })],
  [20, 'grouping_sets', (g) => g.rollupInsert('grouping_sets', { mode: 'grouping_sets', joins: 0 })],
  [25, 'limit_offset', (g) => g.rollupInsert('limit_offset', { tail: undefined, mode: 'plain' })],
  [45, 'on_conflict', (g) => g.rollupInsert('on_conflict', { conflict: true })],
  [20, 'returning', (g) => g.rollupInsert('returning', { returning: true })],
  [50, 'fact_copy', (g) => g.factInsert()],
  [30, 'functions_values', (g) => g.functionInsert()],
  [25, 'text_key', (g) => g.textInsert()],
  [12, 'plpgsql_execute_format', (g) => g.plpgsqlFormat()],
  [35, 'subquery_from', (g) => g.rollupInsert('subquery_from', { firstKind: 'subquery', joins: g.pickJoins() })],
  [45, 'single_shard_reference_local', (g) => g.rollupInsert('single_shard_reference_local', { dirty: true, sources: RECURRING_SOURCES, targets: RECURRING_TARGETS })],
  [25, 'settings', (g) => g.rollupInsert('settings', { setup: g.pickSetup() })],
];

/** targets for the single-shard / schema / reference / local shape */
const RECURRING_TARGETS: [number, string][] = [
  [3, 'daily_ss'],
  [1.5, 'daily_ss_own'],
  [3, 'tenant_a.daily'],
  [2, 'daily_ref'],
  [1.5, 'daily_cl'],
  [1.5, 'daily_local'],
  [2, 'daily'],
];

export const DML_SHAPES: [number, string, (g: Generator) => GenStatement][] = [
  [30, 'insert_values', (g) => g.insertValues()],
  [35, 'update_delete', (g) => g.updateOrDelete()],
  [20, 'merge', (g) => g.merge()],
  [15, 'select', (g) => g.select()],
];

/** `count` statements of a family of shapes, deterministic for the seed; duplicates (same text) dropped. */
export function generate(seed: number, zoo: 'default' | 'regress', count: number, shapes: [number, string, (g: Generator) => GenStatement][]): GenStatement[] {
  const g = new Generator(seed, zoo);
  const rng = new Rng(seed ^ 0x5eed);
  const seen = new Set<string>();
  const out: GenStatement[] = [];
  let guard = 0;
  while (out.length < count && guard++ < count * 5) {
    const make = rng.weighted(shapes.map(([w, , fn]) => [w, fn] as const));
    const s = make(g);
    if (seen.has(s.sql)) continue;
    seen.add(s.sql);
    out.push({ ...s, id: `${zoo}-${s.kind === 'insert_select' ? 'is' : 'dml'}-${String(out.length + 1).padStart(5, '0')}` });
  }
  return out;
}
