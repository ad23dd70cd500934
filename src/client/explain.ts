/**
 * The seam for "Explain on cluster": code lenses and the command palette call `explainStatement`
 * with the document URI and the character offset of the statement start. The cluster feature
 * (src/client/cluster/) replaces this body; until it exists, the user learns that no cluster is
 * connected.
 */
import * as vscode from 'vscode';
import type { Ctx } from './context';

export const NO_CLUSTER_MESSAGE = 'Citus: no cluster is connected, so this statement cannot be explained on a cluster yet.';

export function explainStatement(ctx: Ctx, uri: vscode.Uri, offset: number): void {
  ctx.output.appendLine(`explain requested for ${uri.toString()} at offset ${offset}: no cluster connected`);
  // Not awaited: the promise settles only when the user dismisses the notification.
  void vscode.window.showInformationMessage(NO_CLUSTER_MESSAGE);
}
