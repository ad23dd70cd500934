/**
 * What the language server loads: its bundle is everything src/server/main.ts reaches, and that must never
 * include pg, the db layer or vscode (connections belong to the client; start-up loads only what the server
 * needs). Follows every import and require from main.ts, as the bundler does.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const SRC = path.join(__dirname, '..', '..', 'src');

function specifiers(file: string): string[] {
  const text = fs.readFileSync(file, 'utf8');
  return [...text.matchAll(/^(?:import|export)\s(?!type\s)[^;]*?from\s+'([^']+)'|\brequire\('([^']+)'\)/gms)].map((m) => m[1] ?? m[2]);
}

/** Every source file and package the server's entry point reaches (type-only imports left out). */
function reached(entry: string): { files: Set<string>; packages: Set<string> } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string): void => {
    if (files.has(file)) return;
    files.add(file);
    for (const s of specifiers(file)) {
      if (!s.startsWith('.')) {
        packages.add(s.startsWith('@') ? s.split('/').slice(0, 2).join('/') : s.split('/')[0]);
        continue;
      }
      const base = path.resolve(path.dirname(file), s);
      const target = [`${base}.ts`, path.join(base, 'index.ts')].find((f) => fs.existsSync(f));
      if (target) visit(target);
    }
  };
  visit(entry);
  return { files, packages };
}

describe('language server bundle', () => {
  it('reaches no pg, no db layer, no vscode and no client or CLI code', () => {
    const { files, packages } = reached(path.join(SRC, 'server', 'main.ts'));
    const areas = new Set([...files].map((f) => path.relative(SRC, f).split(path.sep)[0]));
    assert.deepEqual([...areas].sort(), ['core', 'protocol', 'server']);
    for (const bad of ['pg', 'pg-native', 'pgpass', 'vscode', 'vscode-languageclient']) assert.ok(!packages.has(bad), `the server reaches ${bad}`);
    assert.ok(packages.has('vscode-languageserver') && packages.has('@libpg-query/parser'), [...packages].join(', '));
  });

  it('its launcher reaches only Node.js', () => {
    const { files, packages } = reached(path.join(SRC, 'launch', 'server.ts'));
    assert.deepEqual([...files].map((f) => path.relative(SRC, f).split(path.sep)[0]).filter((a) => a !== 'launch'), []);
    assert.deepEqual([...packages].filter((p) => !p.startsWith('node:')), []);
  });
});
