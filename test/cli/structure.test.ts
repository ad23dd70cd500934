/**
 * The CLI's arrows run one way: main.ts dispatches to the commands, the commands share project.ts, and nothing
 * in src/cli imports main.ts, another command, or the server and client (lsp.ts loads the server bundle at run
 * time); the core does no I/O.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');
const COMMANDS = ['lint', 'explain', 'catalog', 'scaffold', 'lsp'];

/** What a file imports: `import ... from` at the top and `require(...)` where a module is loaded on first use. */
function imports(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s[^;]*?from\s+'([^']+)'|\brequire\('([^']+)'\)/gms)].map((m) => m[1] ?? m[2]);
}

function tsFiles(dir: string): string[] {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => path.join(e.parentPath, e.name));
}

describe('CLI structure', () => {
  it('main.ts imports the commands and project.ts; no other CLI file imports main.ts or a command', () => {
    const main = imports(path.join(SRC, 'cli', 'main.ts'));
    for (const c of COMMANDS) assert.ok(main.includes(`./${c}`), `main.ts dispatches to ${c}`);
    for (const file of tsFiles(path.join(SRC, 'cli'))) {
      if (path.basename(file) === 'main.ts') continue;
      const bad = imports(file).filter((i) => i === './main' || COMMANDS.some((c) => i === `./${c}`) || /\/(server|client)\//.test(i));
      assert.deepEqual(bad, [], path.relative(SRC, file));
    }
  });

  it('the core imports no fs, net, pg, vscode or language-server modules', () => {
    for (const file of tsFiles(path.join(SRC, 'core'))) {
      const bad = imports(file).filter((i) => /^(node:)?(fs|net|child_process)$|^pg$|^vscode|^picomatch$/.test(i));
      assert.deepEqual(bad, [], path.relative(SRC, file));
    }
  });
});
