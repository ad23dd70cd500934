/**
 * The project config (citus-rollups.json) of a workspace folder, as the language server reads it: the nearest
 * one in the folder or its parents, the same file the CLI finds. A config that does not validate is reported
 * (file:line:col: what) and ignored: the client's settings and the defaults apply until it is fixed.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configSearchPath, describeConfigProblems, parseProjectConfig, type ProjectConfig } from '../core/config';

export interface FolderConfig {
  /** the config file, when there is one */
  file?: string;
  dir?: string;
  config?: ProjectConfig;
  /** why the file was ignored */
  error?: string;
}

export function readFolderConfig(root: string | undefined): FolderConfig {
  if (!root) return {};
  const file = configSearchPath(root).find((f) => fs.statSync(f, { throwIfNoEntry: false })?.isFile());
  if (!file) return {};
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (e) {
    return { file, error: `cannot read ${file}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message}` };
  }
  const result = parseProjectConfig(text);
  if (!result.ok) return { file, error: `${file} is ignored until it is fixed:\n${describeConfigProblems(file, text, result.problems)}` };
  return { file, dir: path.dirname(file), config: result.config };
}
