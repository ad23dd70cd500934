// `npm run test:electron`: the extension-host suite under a desktop VS Code downloaded by
// @vscode/test-electron (for contributors on a desktop; it needs update.code.visualstudio.com).
import { runTests } from '@vscode/test-electron';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { buildAll, copyFixtureWorkspace, root, suiteIndex } from './test-extension-lib.mjs';

await buildAll();
const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'citus-ext-'));
const workspace = copyFixtureWorkspace(tmp);
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteIndex,
    launchArgs: [workspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`extension tests under @vscode/test-electron failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exitCode = 1;
} finally {
  fs.rmSync(tmp, { recursive: true, force: true });
}
