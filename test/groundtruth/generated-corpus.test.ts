/**
 * The generated ground truth (test/fixtures/generated-corpus, recorded on Citus 13.2.2 by
 * scripts/groundtruth/record.ts): its schema files are what the zoo renders, the schema model built
 * from them has the distribution the cluster recorded, and the predictor's agreement with each set does
 * not fall below the floor written by `npm run corpus -- --ratchet` (a ratchet: raised as the predictor
 * improves, never lowered by hand).
 */
import { strict as assert } from 'node:assert';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { loadParser } from '../../src/core/parse/libpg';
import { GENERATED_DIR, GENERATED_ZOOS, generatedModel } from '../../scripts/corpus-lib';
import { generatedAgreements, readRatchet } from '../../scripts/ratchet';
import { DEFAULT_ZOO, REGRESS_ZOO, zooData, zooDdl } from '../../scripts/groundtruth/zoo';

interface CatalogRow {
  rel: string;
  method: string;
  repmodel: string;
  colocationid: number;
  shards: number;
  dist: string | null;
}

describe('generated ground truth', () => {
  before(async () => {
    await loadParser();
  });

  it('has the schema and data the zoo renders', () => {
    assert.equal(fs.readFileSync(path.join(GENERATED_DIR, 'default-schema.sql'), 'utf8'), zooDdl(DEFAULT_ZOO));
    assert.equal(fs.readFileSync(path.join(GENERATED_DIR, 'regress-schema.sql'), 'utf8'), zooDdl(REGRESS_ZOO));
    assert.equal(fs.readFileSync(path.join(GENERATED_DIR, 'data.sql'), 'utf8'), zooData());
  });

  for (const zoo of GENERATED_ZOOS) {
    it(`models the distribution the cluster recorded (${zoo} zoo)`, () => {
      const catalog = JSON.parse(fs.readFileSync(path.join(GENERATED_DIR, `${zoo}-catalog.json`), 'utf8')) as { citus_tables: CatalogRow[]; local_tables: string[] };
      const model = generatedModel(zoo);
      const groupOf = new Map<string, number | undefined>();
      for (const row of catalog.citus_tables) {
        const [schema, name] = row.rel.includes('.') ? row.rel.split('.') : ['public', row.rel];
        const t = model.get(schema, name);
        assert.ok(t, `${row.rel} is in the model`);
        const kind = row.method === 'h' ? 'hash' : row.repmodel === 't' ? 'reference' : row.colocationid === 0 ? 'citus_local' : 'single_shard';
        assert.equal(t.kind, kind, `${row.rel}: kind`);
        if (kind === 'hash') {
          assert.equal(t.distributionColumn, row.dist, `${row.rel}: distribution column`);
          assert.equal(t.shardCount, row.shards, `${row.rel}: shard count`);
        }
        groupOf.set(row.rel, kind === 'citus_local' ? undefined : t.colocationId);
      }
      // the same colocation groups: two tables share a model group exactly when they share a cluster group
      for (const a of catalog.citus_tables) {
        for (const b of catalog.citus_tables) {
          if (a.rel >= b.rel || a.colocationid === 0 || b.colocationid === 0) continue;
          assert.equal(groupOf.get(a.rel) === groupOf.get(b.rel), a.colocationid === b.colocationid, `${a.rel} and ${b.rel}: colocated on the cluster: ${a.colocationid === b.colocationid}`);
        }
      }
      for (const name of catalog.local_tables) {
        const [schema, n] = name.includes('.') ? name.split('.') : ['public', name];
        assert.ok(['local', 'view'].includes(model.get(schema, n)?.kind ?? ''), `${name} is local`);
      }
    });
  }

  it('agrees with each recorded set at least as well as the ratchet says', () => {
    const floor = readRatchet();
    const now = generatedAgreements();
    assert.ok(Object.keys(now).length >= 4, 'the generated sets are there');
    for (const [set, { agree, total }] of Object.entries(now)) {
      assert.ok(total >= 200, `${set}: ${total} statements`);
      const min = floor[set];
      assert.ok(min, `${set} has a floor in agreement.json (npm run corpus -- --ratchet)`);
      assert.ok(agree / total >= min.agree / min.total - 1e-9, `${set}: ${agree}/${total} agree, below the ratchet ${min.agree}/${min.total}; run npm run corpus -- --set '${set}' and look at the disagreements`);
    }
  });
});
