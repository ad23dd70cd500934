/**
 * The agreement ratchet of the generated ground truth: test/fixtures/generated-corpus/agreement.json
 * holds, per set, the agreement last measured. The test requires the predictor not to fall below it;
 * `npm run corpus -- --ratchet` raises it after an improvement (and refuses to lower it without --force).
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import { GENERATED_DIR, GENERATED_ZOOS, generatedModel, hasGenerated, loadCorpus, scoreCorpus } from './corpus-lib';
import { loadDmlCorpus, scoreDmlCorpus } from './dml-corpus-lib';

export const RATCHET_FILE = path.join(GENERATED_DIR, 'agreement.json');

export type Agreements = Record<string, { agree: number; total: number }>;

export function readRatchet(): Agreements {
  return fs.existsSync(RATCHET_FILE) ? (JSON.parse(fs.readFileSync(RATCHET_FILE, 'utf8')) as Agreements) : {};
}

/** The predictor's agreement with every generated set, now. */
export function generatedAgreements(): Agreements {
  const out: Agreements = {};
  for (const zoo of GENERATED_ZOOS) {
    const model = generatedModel(zoo);
    if (hasGenerated(zoo, 'insert-select')) {
      const s = scoreCorpus(loadCorpus(`${zoo}-insert-select.jsonl`, GENERATED_DIR), model);
      out[`${zoo}-insert-select`] = { agree: s.filter((x) => x.predicted === x.record.method).length, total: s.length };
    }
    if (hasGenerated(zoo, 'dml')) {
      const s = scoreDmlCorpus(loadDmlCorpus(`${zoo}-dml.jsonl`, GENERATED_DIR), model);
      out[`${zoo}-dml`] = { agree: s.filter((x) => x.predicted === x.record.outcome).length, total: s.length };
    }
  }
  return out;
}

/** Writes the current agreements as the new floor; returns the sets that would go down (not written without force). */
export function updateRatchet(force: boolean): { written: boolean; lower: string[]; now: Agreements } {
  const before = readRatchet();
  const now = generatedAgreements();
  const lower = Object.entries(now)
    .filter(([k, v]) => before[k] && v.agree / v.total < before[k].agree / before[k].total)
    .map(([k, v]) => `${k}: ${v.agree}/${v.total} < ${before[k].agree}/${before[k].total}`);
  if (lower.length && !force) return { written: false, lower, now };
  fs.writeFileSync(RATCHET_FILE, JSON.stringify(now, null, 2) + '\n');
  return { written: true, lower, now };
}
