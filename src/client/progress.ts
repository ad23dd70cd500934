/**
 * Walkthrough progress. Each step of the "Get started" walkthrough completes on a context key
 * (`onContext:citusRollups.walkthrough.<key>` in package.json) that the extension sets when the user has done
 * the step, however they did it: from the walkthrough's button, a code lens, the palette, the status bar or a
 * light bulb. (An `onCommand:` event fires only for commands run through the workbench, and `onLanguage:` is
 * not a completion event at all.)
 */
import * as vscode from 'vscode';

export const PROGRESS_KEYS = ['sqlFileOpened', 'findingShown', 'codeActionApplied', 'connected', 'statementExplained', 'rollupGenerated'] as const;
export type ProgressKey = (typeof PROGRESS_KEYS)[number];

const done = new Set<ProgressKey>();

export function progressContextKey(key: ProgressKey): string {
  return `citusRollups.walkthrough.${key}`;
}

/** Marks a step done (once per session; the workbench remembers completed steps). */
export function markProgress(key: ProgressKey): void {
  if (done.has(key)) return;
  done.add(key);
  void vscode.commands.executeCommand('setContext', progressContextKey(key), true);
}

/** The steps marked in this session (for tests). */
export function progressMarked(): ProgressKey[] {
  return PROGRESS_KEYS.filter((k) => done.has(k));
}
