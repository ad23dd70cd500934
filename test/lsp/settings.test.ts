/**
 * Meta-test: every `citusRollups.*` setting in package.json is read somewhere in the server or the
 * client, and every setting the code reads is declared (with a description) in package.json.
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';

const ROOT = path.join(__dirname, '..', '..');

function sources(dir: string): string {
  return fs
    .readdirSync(dir, { recursive: true, withFileTypes: true })
    .filter((e) => e.isFile() && e.name.endsWith('.ts'))
    .map((e) => fs.readFileSync(path.join(e.parentPath, e.name), 'utf8'))
    .join('\n');
}

describe('settings in package.json', () => {
  const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8'));
  const props: Record<string, { markdownDescription?: string; description?: string; default?: unknown }> = pkg.contributes?.configuration?.properties ?? {};
  const code = sources(path.join(ROOT, 'src', 'server')) + sources(path.join(ROOT, 'src', 'client'));

  it('declares the settings with descriptions and defaults', () => {
    const keys = Object.keys(props);
    assert.ok(keys.length >= 6, keys.join(', '));
    for (const k of keys) {
      assert.match(k, /^citusRollups\./);
      assert.ok(props[k].markdownDescription || props[k].description, `${k} has a description`);
      assert.ok('default' in props[k], `${k} has a default`);
    }
  });

  for (const key of Object.keys(props)) {
    it(`has a reader for ${key}`, () => {
      // Readers name the key below the section: settings.ts reads nested objects ("schema" then "include"),
      // the client reads dotted keys ('trace.server').
      const rest = key.slice('citusRollups.'.length);
      const parts = rest.split('.');
      const dotted = new RegExp(`['"\`]${rest.replace(/\./g, '\\.')}['"\`]`).test(code);
      const nested = parts.every((p) => new RegExp(`\\[\\s*['"]${p}['"]\\s*\\]`).test(code));
      assert.ok(dotted || nested, `no code in src/server or src/client reads ${key}`);
    });
  }

  it('documents every setting in docs/editor.md', () => {
    const doc = fs.readFileSync(path.join(ROOT, 'docs', 'editor.md'), 'utf8');
    for (const key of Object.keys(props)) assert.ok(doc.includes(`\`${key}\``), `docs/editor.md mentions ${key}`);
  });
});
