/**
 * How one statement is recorded on a Citus cluster, the way the shared corpus was recorded
 * (test/fixtures/citus-corpus/README.md): three rolled-back transactions (or savepoints, inside a
 * transaction the script opened), each with `SET LOCAL client_min_messages TO DEBUG2`:
 *   1. EXPLAIN (COSTS OFF) <statement>                -> plan text, DEBUG messages, or the planning ERROR
 *   2. EXPLAIN (COSTS OFF, FORMAT JSON) <statement>   -> the top-level Task Count
 *   3. <statement>, really executed                    -> DEBUG messages, the execution ERROR
 * Shared by ./record.ts (the generated sets) and ./regress-files.ts (Citus' regression files).
 */
import { Client, type ClientConfig } from 'pg';
import { labelDml, labelInsertSelect, topTaskCount, type Recorded, type RecordedError } from './label';

/** `--name value` options, and the coordinator's URL (--url or CITUS_TEST_URL), which every recorder needs. */
export function recorderArgs(argv: string[]): { get: (name: string) => string | undefined; url: string } {
  const get = (name: string): string | undefined => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const url = get('url') ?? process.env.CITUS_TEST_URL;
  if (!url) throw new Error('--url (or CITUS_TEST_URL) is required: the coordinator of a Citus 13 cluster');
  return { get, url };
}

export interface Message {
  severity: string;
  message: string;
  detail?: string;
  hint?: string;
}

/** Per-shard noise, counted but not kept (the shared corpus' rule). */
const SUPPRESSED = [/^distributed statement: /, /^join prunable for /, /^pruning merge fetch taskId /, /^<Deparsed MERGE query: /];
/**
 * Messages every statement of a method prints (the label says them): left out of `reasons` to keep the
 * fixtures small. The reasons keep what tells statements apart: why pushdown failed, what was planned
 * recursively, which errors.
 */
const IMPLIED = /^(Router planner cannot handle multi-shard select queries|Creating router plan|Collecting INSERT \.\.\. SELECT results on coordinator|performing repartitioned INSERT \.\.\. SELECT|partitioning SELECT query by column index|Distributed planning for a fast-path router query)/;
const MAX_MESSAGE = 160;
const MAX_REASONS = 6;

function psqlStyle(m: Message): string {
  const msg = m.message.length > MAX_MESSAGE ? `${m.message.slice(0, MAX_MESSAGE)}…` : m.message;
  return `${m.severity}:  ${msg}${m.detail ? `\nDETAIL:  ${m.detail}` : ''}${m.hint ? `\nHINT:  ${m.hint}` : ''}`;
}

export function errorText(e: RecordedError): string {
  return `${e.message}${e.detail ? `\nDETAIL:  ${e.detail}` : ''}${e.hint ? `\nHINT:  ${e.hint}` : ''}`;
}

function toRecordedError(e: unknown): RecordedError {
  const pe = e as { message?: string; detail?: string; hint?: string; code?: string };
  return { message: pe.message ?? String(e), detail: pe.detail, hint: pe.hint, sqlstate: pe.code };
}

interface Phase {
  messages: Message[];
  rows?: Record<string, unknown>[];
  error?: RecordedError;
}

/** What the cluster did with one statement, before labelling. */
export interface Observation {
  recorded: Recorded;
  /** the deciding DEBUG messages, psql style, without the ones every statement of a method prints */
  reasons: string[];
  firstError?: RecordedError;
  taskCount?: number;
}

export class Recorder {
  private client!: Client;
  private notices: Message[] = [];
  constructor(
    private readonly config: ClientConfig,
    /** session settings applied after every connect (`SET name = value`) */
    private readonly settings: [string, string][],
  ) {}

  async connect(): Promise<void> {
    this.client = new Client(this.config);
    this.client.on('notice', (n) => this.notices.push({ severity: n.severity ?? 'NOTICE', message: n.message ?? '', detail: n.detail, hint: n.hint }));
    this.client.on('error', () => undefined);
    await this.client.connect();
    for (const [k, v] of this.settings) await this.client.query(`SET ${k} = ${v}`);
  }

  async close(): Promise<void> {
    await this.client.end().catch(() => undefined);
  }

  /** The session's transaction state, from the server's last ReadyForQuery (I idle, T in a block, E failed). */
  transactionStatus(): 'idle' | 'transaction' | 'failed' {
    const status = (this.client as unknown as { getTransactionStatus(): string | null }).getTransactionStatus();
    return status === 'T' ? 'transaction' : status === 'E' ? 'failed' : 'idle';
  }

  /**
   * Runs a statement of a script as it is (not rolled back): its rows or its error; `lost` when the
   * connection did not survive it.
   */
  async run(sql: string): Promise<{ rows?: Record<string, unknown>[]; error?: RecordedError; lost?: boolean }> {
    try {
      const r = await this.client.query(sql);
      return { rows: Array.isArray(r) ? r[r.length - 1]?.rows : r.rows };
    } catch (e) {
      let lost = false;
      try {
        await this.client.query('SELECT 1');
      } catch (again) {
        lost = !/current transaction is aborted/.test((again as Error).message);
      }
      return { error: toRecordedError(e), lost };
    }
  }

  /**
   * One rolled-back transaction with DEBUG2 messages (after the statement's setup, if any); inside a
   * transaction the script opened, a savepoint rolled back instead.
   */
  async phase(sql: string, setup: string[] = [], inTransaction = false): Promise<Phase> {
    const c = this.client;
    if (inTransaction) await c.query('SAVEPOINT citus_rollups_record');
    else await c.query('BEGIN');
    await c.query("SET LOCAL statement_timeout = '60s'; SET LOCAL lock_timeout = '10s'");
    for (const st of setup) await c.query(st);
    await c.query('SET LOCAL client_min_messages TO DEBUG2');
    this.notices = [];
    let rows: Record<string, unknown>[] | undefined;
    let error: RecordedError | undefined;
    try {
      const r = await c.query(sql);
      rows = Array.isArray(r) ? r[r.length - 1].rows : r.rows;
    } catch (e) {
      error = toRecordedError(e);
    }
    const messages = this.notices.filter((n) => !SUPPRESSED.some((re) => re.test(n.message)));
    try {
      if (inTransaction) await c.query('ROLLBACK TO SAVEPOINT citus_rollups_record; RELEASE SAVEPOINT citus_rollups_record');
      else await c.query('ROLLBACK');
    } catch {
      await this.close();
      await this.connect();
    }
    return { messages, rows, error };
  }

  /** EXPLAIN, EXPLAIN JSON and execution (when EXPLAIN succeeded), each rolled back. */
  async observe(sql: string, setup: string[] = [], inTransaction = false): Promise<Observation> {
    const explain = await this.phase(`EXPLAIN (COSTS OFF) ${sql}`, setup, inTransaction);
    const explainText = explain.rows?.map((r) => String(r['QUERY PLAN'])).join('\n');
    let taskCount: number | undefined;
    let exec: Phase | undefined;
    if (!explain.error) {
      const json = await this.phase(`EXPLAIN (COSTS OFF, FORMAT JSON) ${sql}`, setup, inTransaction);
      taskCount = json.rows ? topTaskCount(json.rows[0]?.['QUERY PLAN']) : undefined;
      exec = await this.phase(sql, setup, inTransaction);
    }
    const recorded: Recorded = { explain: explain.error ? undefined : explainText, taskCount, explainError: explain.error, execError: exec?.error };
    const seen = new Set<string>();
    const reasons: string[] = [];
    for (const m of [...explain.messages, ...(exec?.messages ?? [])]) {
      if (m.severity !== 'DEBUG' || IMPLIED.test(m.message)) continue;
      const text = psqlStyle(m);
      // the per-shard "Skipping target shard interval N" is kept once
      const key = /^Skipping target shard interval \d+/.test(m.message) ? 'skipping' : text;
      if (seen.has(key) || reasons.length >= MAX_REASONS) continue;
      seen.add(key);
      reasons.push(text);
    }
    return { recorded, reasons, firstError: explain.error ?? exec?.error, taskCount };
  }

  /** A DML statement's fields in the generated sets' format (outcome, reasons, error, ...). */
  async recordDml(sql: string, inTransaction = false, setup: string[] = []): Promise<Record<string, unknown>> {
    return dmlFields(await this.observe(sql, setup, inTransaction));
  }

  /** An INSERT..SELECT's fields in the generated sets' format (method, reasons, error, ...). */
  async recordInsertSelect(sql: string, inTransaction = false, setup: string[] = [], structuralNull = false): Promise<Record<string, unknown>> {
    const o = await this.observe(sql, setup, inTransaction);
    return insertSelectFields(o, structuralNull);
  }
}

/** The fields every record has after its label: the reasons, the error when the label is error, the task count. */
function commonFields(o: Observation, isError: boolean, dataDependentError: RecordedError | undefined): Record<string, unknown> {
  const firstError = o.firstError;
  return {
    reasons: o.reasons,
    error: isError && firstError ? errorText(firstError) : null,
    error_sqlstate: isError ? (firstError?.sqlstate ?? null) : null,
    error_phase: isError ? (o.recorded.explainError ? 'plan' : 'execute') : null,
    task_count: o.taskCount ?? null,
    data_dependent_error: dataDependentError ? errorText(dataDependentError) : null,
  };
}

export function insertSelectFields(o: Observation, structuralNull = false): Record<string, unknown> {
  const l = labelInsertSelect(o.recorded, structuralNull);
  return {
    method: l.method,
    ...(l.planMethod && l.planMethod !== l.method ? { plan_method: l.planMethod } : {}),
    ...commonFields(o, l.method === 'error', l.dataDependentError),
  };
}

export function dmlFields(o: Observation): Record<string, unknown> {
  const l = labelDml(o.recorded);
  return { outcome: l.outcome, ...commonFields(o, l.outcome === 'error', l.dataDependentError) };
}
