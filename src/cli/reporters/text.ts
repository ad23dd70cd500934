/** Compiler-style text output: `file:line:col: severity rule-id message`, plus each INSERT..SELECT's method. */
import { summaryLine, type LintedFile } from './model';

const METHOD_LABEL: Record<string, string> = {
  pushdown: 'pushdown',
  router: 'router (single shard)',
  repartition: 'repartition',
  pull_to_coordinator: 'pull to coordinator',
  error: 'error',
  not_applicable: 'not applicable',
};

export function formatText(files: readonly LintedFile[]): string {
  const lines: string[] = [];
  for (const f of files) {
    type Line = { offset: number; text: string };
    const entries: Line[] = [];
    for (const s of f.analysis.statements) {
      if (s.outcome !== undefined && s.kind !== 'insert_select') {
        const p = f.lines.position(s.range.start);
        const why = reasonLine(s.prediction.reasons.find((r) => !/Creating router plan/.test(r)));
        entries.push({ offset: s.range.start, text: `${f.path}:${p.line + 1}:${p.character + 1}: outcome ${outcomeLabel(s)}${s.target ? ` (${s.target})` : ''}${why ? ` — ${why}` : ''}` });
        continue;
      }
      if (s.kind !== 'insert_select') continue;
      const p = f.lines.position(s.range.start);
      const why = reasonLine(s.prediction.reasons[0]);
      entries.push({
        offset: s.range.start,
        text: `${f.path}:${p.line + 1}:${p.character + 1}: method ${METHOD_LABEL[s.prediction.method]}${s.target ? ` (INSERT INTO ${s.target})` : ''}${why ? ` — ${why}` : ''}`,
      });
    }
    for (const d of f.analysis.findings) {
      const p = f.lines.position(d.range.start);
      entries.push({ offset: d.range.start, text: `${f.path}:${p.line + 1}:${p.character + 1}: ${d.severity} ${d.rule} ${d.message}` });
    }
    entries.sort((a, b) => a.offset - b.offset);
    lines.push(...entries.map((e) => e.text));
  }
  lines.push(summaryLine(files));
  return lines.join('\n');
}

/** `single shard`, `multi-shard (4 of 32 shards)`, `via coordinator`, ... for DML statements. */
function outcomeLabel(s: LintedFile['analysis']['statements'][number]): string {
  const n = s.shardCount;
  switch (s.outcome) {
    case 'single_shard':
      return 'single shard';
    case 'multi_shard':
      return n !== undefined ? `multi-shard (${s.shardCountUpperBound ? 'up to ' : ''}${n} shards)` : 'multi-shard';
    case 'coordinator':
      return 'via coordinator';
    case 'local':
      return 'local (plain PostgreSQL)';
    case 'ok_setting':
      return 'setting accepted';
    case 'error':
      return 'error';
    default:
      return 'not applicable';
  }
}

/** One line from a psql-style message: the message, or its DETAIL when the message is generic. */
function reasonLine(reason: string | undefined): string | undefined {
  if (!reason) return undefined;
  const lines = reason.split('\n');
  const message = lines[0].replace(/^(DEBUG|ERROR):\s+/, '');
  const detail = lines.find((l) => l.startsWith('DETAIL:'))?.replace(/^DETAIL:\s+/, '');
  return detail && /^(cannot push down this subquery|cannot perform distributed INSERT INTO|cannot perform distributed planning for the given modification)/.test(message) ? detail : message;
}
