/** `npm run corpus`: prints agreement with the recorded Citus corpus, per method and category, the confusion matrix and every disagreement. */
import { loadParser } from '../src/core/parse/libpg';
import { corpusModel, formatReport, loadCorpus, scoreCorpus } from './corpus-lib';
import { formatDmlReport, loadDmlCorpus, scoreDmlCorpus } from './dml-corpus-lib';

async function main(): Promise<void> {
  await loadParser();
  const scored = scoreCorpus(loadCorpus(), corpusModel());
  process.stdout.write(formatReport(scored, !process.argv.includes('--quiet')) + '\n');
  // the DML corpus (INSERT .. VALUES, UPDATE, DELETE, MERGE, FOR UPDATE, COPY, SET citus.*): own agreement line and matrix
  const dml = scoreDmlCorpus(loadDmlCorpus(), corpusModel());
  process.stdout.write('\n' + formatDmlReport(dml, !process.argv.includes('--quiet')) + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
