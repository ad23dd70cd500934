// `npm run test:electron`: the extension-host suite under a desktop VS Code downloaded by
// @vscode/test-electron (for contributors on a desktop; it needs update.code.visualstudio.com).
import { runTests } from '@vscode/test-electron';
import { buildAll, fixtureWorkspace, root, suiteIndex } from './test-extension-lib.mjs';

await buildAll();
try {
  await runTests({
    extensionDevelopmentPath: root,
    extensionTestsPath: suiteIndex,
    launchArgs: [fixtureWorkspace, '--disable-extensions', '--disable-workspace-trust'],
  });
} catch (e) {
  console.error(`extension tests under @vscode/test-electron failed: ${e instanceof Error ? e.message : String(e)}`);
  process.exit(1);
}
