/** `citus-rollups lint`: analyse files with a schema from --schema files, a --catalog snapshot and the files themselves. */
import * as fs from 'node:fs';
import { parseArgs } from 'node:util';
import { analyzeDocument } from '../core/analyze';
import { loadParser } from '../core/parse/libpg';
import { parseDocument } from '../core/parse/document';
import { LineIndex } from '../core/parse/offsets';
import { SchemaModel } from '../core/schema/model';
import { modelFromSnapshot } from '../core/schema/snapshot';
import { applyDocumentDdl, buildSchema, type SchemaDocument } from '../core/workspace';
import { collectSqlFiles, readText, UsageError } from './files';
import { formatJson } from './reporters/json';
import { formatSarif } from './reporters/sarif';
import { formatText } from './reporters/text';
import type { LintedFile } from './reporters/model';
import type { CliIO } from './main';
import { VERSION } from './version';

const HELP = `Usage: citus-rollups lint [--schema FILE]... [--catalog FILE] [--format text|json|sarif] [-o FILE] PATH...

Exit status: 0 no error-severity finding, 1 errors found, 2 usage or I/O error.`;

export async function runLint(args: string[], io: CliIO): Promise<number> {
  const { values, positionals } = parseArgs({
    args,
    allowPositionals: true,
    options: {
      schema: { type: 'string', multiple: true, default: [] },
      catalog: { type: 'string' },
      format: { type: 'string', default: 'text' },
      output: { type: 'string', short: 'o' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  if (values.help) {
    io.stdout(HELP + '\n');
    return 0;
  }
  const format = values.format ?? 'text';
  if (!['text', 'json', 'sarif'].includes(format)) throw new UsageError(`--format must be text, json or sarif (got '${format}')`);
  if (positionals.length === 0) throw new UsageError('lint needs at least one PATH');

  await loadParser();
  const base = loadBaseModel(values.catalog, values.schema ?? []);
  const files = collectSqlFiles(positionals);
  if (files.length === 0) throw new UsageError(`no .sql files found in ${positionals.join(', ')}`);
  const docs: SchemaDocument[] = files.map((path) => {
    const text = readText(path);
    return { source: path, text, parsed: parseDocument(text) };
  });

  const linted: LintedFile[] = docs.map((doc) => {
    const schema = buildSchema(base, docs, doc.source);
    const analysis = analyzeDocument(doc.text, schema, { source: doc.source });
    return { path: doc.source, text: doc.text, analysis, lines: new LineIndex(doc.text) };
  });

  const output = format === 'json' ? formatJson(linted) : format === 'sarif' ? formatSarif(linted, VERSION) : formatText(linted);
  if (values.output) {
    try {
      fs.writeFileSync(values.output, output + '\n');
    } catch (e) {
      throw new UsageError(`cannot write ${values.output}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
    }
  } else io.stdout(output + '\n');
  return linted.some((f) => f.analysis.findings.some((d) => d.severity === 'error')) ? 1 : 0;
}

/** The catalog snapshot (if any) plus the --schema files' DDL, in the order given. */
export function loadBaseModel(catalog: string | undefined, schemaFiles: readonly string[]): SchemaModel {
  let model = new SchemaModel();
  if (catalog) {
    let data: unknown;
    try {
      data = JSON.parse(readText(catalog));
    } catch (e) {
      if (e instanceof UsageError) throw e;
      throw new UsageError(`${catalog} is not valid JSON: ${(e as Error).message}`);
    }
    const loaded = modelFromSnapshot(data, catalog);
    if (!loaded.ok) throw new UsageError(loaded.error);
    model = loaded.model;
  }
  for (const file of schemaFiles) {
    for (const f of collectSqlFiles([file])) applyDocumentDdl(model, { source: f, text: readText(f) });
  }
  return model;
}
