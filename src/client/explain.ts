/**
 * The seam for "Explain on cluster": code lenses and the command palette call `explainStatement`
 * with the document URI and the character offset of the statement start. The cluster feature
 * (src/client/cluster/) does the work; without it, the user learns that no cluster is connected.
 */
import * as vscode from 'vscode';
import type { Ctx } from './context';

export const NO_CLUSTER_MESSAGE = 'Citus: no cluster is connected, so this statement cannot be explained on a cluster yet.';

export function explainStatement(ctx: Ctx, uri: vscode.Uri, offset: number): void {
  if (ctx.cluster) {
    // Not awaited: connecting may ask for a profile or a password; the command returns at once.
    ctx.cluster.explainStatement(uri, offset).catch((e: unknown) => ctx.output.appendLine(`explain failed: ${String(e)}`));
    return;
  }
  ctx.output.appendLine(`explain requested for ${uri.toString()} at offset ${offset}: no cluster connected`);
  // Not awaited: the promise settles only when the user dismisses the notification.
  void vscode.window.showInformationMessage(NO_CLUSTER_MESSAGE);
}
