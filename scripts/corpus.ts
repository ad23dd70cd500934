/** `npm run corpus`: prints agreement with the recorded Citus corpus, per method and category, the confusion matrix and every disagreement. */
import { loadParser } from '../src/core/parse/libpg';
import { corpusModel, formatReport, loadCorpus, scoreCorpus } from './corpus-lib';

async function main(): Promise<void> {
  await loadParser();
  const scored = scoreCorpus(loadCorpus(), corpusModel());
  process.stdout.write(formatReport(scored, !process.argv.includes('--quiet')) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
