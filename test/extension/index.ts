/**
 * The extension tests' entry point, loaded by VS Code's extension host (code-server's, via
 * scripts/test-extension.mjs, or a desktop VS Code via @vscode/test-electron). VS Code calls run();
 * mocha's output goes to the host's stdout, which both runners relay.
 */
import Mocha from 'mocha';
import { format } from 'node:util';

export function run(): Promise<void> {
  const write = (s: string): boolean => process.stdout.write(s);
  // Without this mocha prints with console.log, which the workbench swallows into the browser console.
  (Mocha.reporters.Base as unknown as { consoleLog: (...a: unknown[]) => void }).consoleLog = (...a: unknown[]) => {
    write(format(...a) + '\n');
  };
  const mocha = new Mocha({ ui: 'bdd', timeout: 60000, color: false, reporter: 'spec' });
  mocha.suite.emit('pre-require', globalThis, 'extension.test', mocha);
  // The suite is bundled into this file; registering it here keeps one bundle for both hosts.
  require('./extension.test');
  // before first-use.test, which edits first-use.sql (the references count reads it as it is on disk)
  require('./navigation.test');
  require('./first-use.test');
  return new Promise((resolve, reject) => {
    const runner = mocha.run((failures) => {
      write(`${runner.stats?.passes ?? 0} passed, ${failures} failed, ${runner.stats?.pending ?? 0} skipped\n`);
      if (failures > 0) reject(new Error(`${failures} extension test(s) failed`));
      else resolve();
    });
  });
}
