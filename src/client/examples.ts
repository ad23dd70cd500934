/**
 * "Citus Rollups: Create Example Workspace": copies the examples shipped in the extension (examples/ of the
 * VSIX: a schema, rollups that push down, statements that do not) into a new folder the user picks, and opens
 * it, so that a Marketplace user can follow the walkthrough without the project's repository.
 */
import * as vscode from 'vscode';

export const EXAMPLE_FOLDER_NAME = 'citus-rollups-examples';
/** the example file shown once the workspace is open (the walkthrough's next step) */
export const EXAMPLE_FIRST_FILE = 'does-not-push-down.sql';
const OPEN_AFTER_RELOAD_KEY = 'citusRollups.openExampleAfterReload';

export interface CreateExampleOptions {
  /** open the new folder (default true): in this window when none is open, else as the user chooses */
  open?: boolean;
}

/**
 * Creates `<parent>/citus-rollups-examples` (or `-2`, `-3`, ... when taken) with the example files and returns it;
 * undefined when the user cancels. `parent` is asked for when not given.
 */
export async function createExampleWorkspace(context: vscode.ExtensionContext, parent?: vscode.Uri, options: CreateExampleOptions = {}): Promise<vscode.Uri | undefined> {
  if (!parent) {
    const picked = await vscode.window.showOpenDialog({
      title: 'Citus Rollups: where to create the example workspace',
      openLabel: `Create ${EXAMPLE_FOLDER_NAME} here`,
      canSelectFiles: false,
      canSelectFolders: true,
      canSelectMany: false,
      defaultUri: vscode.workspace.workspaceFolders?.[0]?.uri,
    });
    parent = picked?.[0];
    if (!parent) return undefined;
  }
  const source = vscode.Uri.joinPath(context.extensionUri, 'examples');
  const files = (await vscode.workspace.fs.readDirectory(source)).filter(([, type]) => type === vscode.FileType.File).map(([name]) => name);
  if (!files.length) throw new Error(`the extension has no example files in ${source.fsPath}`);
  const target = await freeFolder(parent);
  await vscode.workspace.fs.createDirectory(target);
  for (const name of files) {
    await vscode.workspace.fs.copy(vscode.Uri.joinPath(source, name), vscode.Uri.joinPath(target, name), { overwrite: false });
  }
  if (options.open !== false) await openExampleWorkspace(context, target);
  return target;
}

async function freeFolder(parent: vscode.Uri): Promise<vscode.Uri> {
  for (let n = 1; ; n++) {
    const candidate = vscode.Uri.joinPath(parent, n === 1 ? EXAMPLE_FOLDER_NAME : `${EXAMPLE_FOLDER_NAME}-${n}`);
    try {
      await vscode.workspace.fs.stat(candidate);
    } catch {
      return candidate;
    }
  }
}

async function openExampleWorkspace(context: vscode.ExtensionContext, folder: vscode.Uri): Promise<void> {
  const first = vscode.Uri.joinPath(folder, EXAMPLE_FIRST_FILE);
  const open = vscode.workspace.workspaceFolders?.length
    ? await vscode.window.showQuickPick(
        [
          { label: 'Open in this window', value: 'this' as const },
          { label: 'Open in a new window', value: 'new' as const },
          { label: 'Add to this workspace', description: 'keeps the files you have open', value: 'add' as const },
        ],
        { title: `Citus Rollups: ${folder.fsPath} is ready`, placeHolder: 'Open the example workspace' },
      )
    : { value: 'this' as const };
  if (!open) return;
  if (open.value === 'add') {
    vscode.workspace.updateWorkspaceFolders(vscode.workspace.workspaceFolders?.length ?? 0, 0, { uri: folder });
    await vscode.window.showTextDocument(first);
    return;
  }
  // the window reloads with the folder: show the first example file when this extension starts there
  await context.globalState.update(OPEN_AFTER_RELOAD_KEY, folder.toString());
  await vscode.commands.executeCommand('vscode.openFolder', folder, { forceNewWindow: open.value === 'new' });
}

/** On activation: the example workspace just created is open, so show its first file. */
export async function showExampleAfterReload(context: vscode.ExtensionContext): Promise<void> {
  const pending = context.globalState.get<string>(OPEN_AFTER_RELOAD_KEY);
  if (!pending) return;
  const folder = vscode.workspace.workspaceFolders?.find((f) => f.uri.toString() === pending);
  if (!folder) return;
  await context.globalState.update(OPEN_AFTER_RELOAD_KEY, undefined);
  await vscode.window.showTextDocument(vscode.Uri.joinPath(folder.uri, EXAMPLE_FIRST_FILE));
}
