/**
 * Analyses of open documents, cached by (text, schema version, rule settings): a hover, a lens request
 * and the debounced diagnostics run of the same text share one analysis.
 */
import type { DocumentAnalysisDetail } from '../core/analyze';
import { LineIndex } from '../core/parse/offsets';
import type { ParsedStatement } from '../core/parse/document';
import type { SchemaModel } from '../core/schema/model';
import { todayUtc } from '../core/schema/currentTime';
import { analyzeIncrementally, newIncrementalStats, type IncrementalStats } from './incremental';
import type { FolderSchema } from './schema';
import { analysisSettingsKey, type Settings } from './settings';

export interface AnalyzedDocument {
  uri: string;
  /** file-system path for file: URIs, else the URI: the analysis' source label */
  file: string;
  text: string;
  lines: LineIndex;
  analysis: DocumentAnalysisDetail;
  scope: FolderSchema;
  /** the model the text was analysed against */
  base: SchemaModel;
  /** the cache key it was made for */
  key: string;
}

export class AnalysisCache {
  private readonly entries = new Map<string, AnalyzedDocument>();
  analyses = 0;
  hits = 0;
  /** what the last analysis reused (statements) */
  readonly last: IncrementalStats = newIncrementalStats();

  /** `log` receives the stack of each internal error of a new analysis (the Output channel). */
  /** `clock`: now, for the date CURRENT_DATE and now() stand for (AnalyzeOptions.today; a new day analyses again). */
  constructor(
    private readonly log: (message: string) => void = () => undefined,
    private readonly clock: () => Date = () => new Date(),
  ) {}

  get(uri: string): AnalyzedDocument | undefined {
    return this.entries.get(uri);
  }

  clear(): void {
    this.entries.clear();
  }

  delete(uri: string): void {
    this.entries.delete(uri);
  }

  /**
   * The analysis of `text` for `uri`: the last one when nothing it depends on changed; after an edit (same model
   * and settings), the last one with only what the edit can change analysed again (./incremental.ts).
   */
  analyze(uri: string, file: string, text: string, scope: FolderSchema, settings: Settings): AnalyzedDocument {
    const today = todayUtc(this.clock());
    const key = `${scope.baseKey(file)}\u0000${analysisSettingsKey(settings)}\u0000${today}`;
    const last = this.entries.get(uri);
    if (last && last.key === key && last.text === text && last.scope === scope) {
      this.hits++;
      return last;
    }
    this.analyses++;
    const base = scope.baseFor(file);
    const previous = last && last.key === key && last.scope === scope && last.base === base ? last : undefined;
    const analysis = analyzeIncrementally(previous, text, base, { source: file, severities: settings.rules, today }, this.last);
    // internal errors go to the log once, not again with every edit elsewhere in the file
    const logged = new Set(previous?.analysis.findings.filter((f) => f.internal).map((f) => f.internal));
    for (const f of analysis.findings) if (f.internal && !logged.has(f.internal)) this.log(`internal error in ${file} at offset ${f.range.start}: ${f.internal}`);
    const doc: AnalyzedDocument = { uri, file, text, lines: new LineIndex(text), analysis, scope, base, key };
    this.entries.set(uri, doc);
    return doc;
  }
}

/** The innermost statement containing `offset` (nested statements come after their parent). */
export function statementAt(doc: AnalyzedDocument, offset: number): ParsedStatement | undefined {
  let found: ParsedStatement | undefined;
  for (const s of doc.analysis.parsed.statements) {
    if (s.start <= offset && offset <= s.end) found = s;
  }
  return found;
}
