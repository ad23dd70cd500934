// npm run schema: writes schemas/citus-rollups.schema.json (the project config's JSON schema, for editor
// completion and validation) from src/core/config.ts. test/cli/config.test.ts fails when the file is stale.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { configJsonSchema } from '../src/core/config';

export const SCHEMA_FILE = path.join(__dirname, '..', 'schemas', 'citus-rollups.schema.json');

export function schemaText(): string {
  return JSON.stringify(configJsonSchema(), null, 2) + '\n';
}

if (require.main === module) {
  fs.writeFileSync(SCHEMA_FILE, schemaText());
  console.log(`wrote ${path.relative(process.cwd(), SCHEMA_FILE)}`);
}
