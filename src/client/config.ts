/** Typed getters for the settings the client itself reads (the server reads the rest per resource). */
import * as vscode from 'vscode';
import { CONFIG_SECTION } from '../protocol';

export type TraceLevel = 'off' | 'messages' | 'verbose';

/** `citusRollups.trace.server`: vscode-languageclient applies it to the protocol trace (client id = section). */
export function traceLevel(): TraceLevel {
  const v = vscode.workspace.getConfiguration(CONFIG_SECTION).get<string>('trace.server', 'off');
  return v === 'messages' || v === 'verbose' ? v : 'off';
}

/** `citusRollups.enable` for a document (resource scope). */
export function isEnabledFor(uri: vscode.Uri | undefined): boolean {
  return vscode.workspace.getConfiguration(CONFIG_SECTION, uri).get<boolean>('enable', true);
}
