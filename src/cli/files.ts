/** File discovery for the CLI: files as given, directories recursively (`*.sql`, `*.psql`, `*.pgsql`). */
import * as fs from 'node:fs';
import * as path from 'node:path';

export const SQL_EXTENSIONS = ['.sql', '.psql', '.pgsql'];

export class UsageError extends Error {}

export function collectSqlFiles(inputs: readonly string[]): string[] {
  const out = new Set<string>();
  for (const input of inputs) {
    let stat: fs.Stats;
    try {
      stat = fs.statSync(input);
    } catch {
      throw new UsageError(`cannot read ${input}: no such file or directory`);
    }
    if (stat.isDirectory()) {
      for (const entry of fs.readdirSync(input, { recursive: true, withFileTypes: true })) {
        if (!entry.isFile()) continue;
        const full = path.join(entry.parentPath ?? entry.path, entry.name);
        if (full.split(path.sep).includes('node_modules')) continue;
        if (SQL_EXTENSIONS.includes(path.extname(entry.name).toLowerCase())) out.add(full);
      }
    } else out.add(input);
  }
  return [...out].sort();
}

/** Reads a text file; invalid UTF-8 is decoded with replacement characters rather than failing. */
export function readText(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (e) {
    throw new UsageError(`cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}`);
  }
}
