/**
 * `npm run corpus`: prints agreement with every recorded Citus ground-truth set — the shared corpus
 * (INSERT..SELECT and DML) and the generated sets (test/fixtures/generated-corpus, each zoo) — per method,
 * per category or shape, per feature, the confusion matrix and every disagreement with Citus' reason.
 *   --quiet        no disagreement lists
 *   --set NAME     only the sets whose name contains NAME (e.g. --set regress, --set dml)
 *   --regress-suite DIR   also Citus' regression files (DIR = src/test/regress of a Citus 13.2.2 checkout),
 *                  scored against test/fixtures/regress-files (scripts/groundtruth/regress-files.ts)
 *   --ratchet      write the generated sets' agreement as the test's new floor (--force to lower it)
 */
import * as path from 'node:path';
import { loadOlderGrammar, loadParser } from '../src/core/parse/libpg';
import * as fs from 'node:fs';
import { corpusModel, formatDdlReport, formatReport, GENERATED_DIR, GENERATED_ZOOS, generatedModel, hasGenerated, loadCorpus, PROBES_DIR, readJsonl, REGRESS_FILES_DDL_FIXTURE, REGRESS_FILES_DML_FIXTURE, REGRESS_FILES_FIXTURE, REGRESS_FILES_SELECT_FIXTURE, REGRESS_POSTGRES_MAJOR, scoreCorpus, scoreProbes, scoreRegressFiles, type RegressFileRecord } from './corpus-lib';
import { formatDmlReport, loadDmlCorpus, scoreDmlCorpus } from './dml-corpus-lib';
import { updateRatchet } from './ratchet';

async function main(): Promise<void> {
  await loadParser();
  await loadOlderGrammar(REGRESS_POSTGRES_MAJOR);
  if (process.argv.includes('--ratchet')) {
    const r = updateRatchet(process.argv.includes('--force'));
    for (const [k, v] of Object.entries(r.now)) process.stdout.write(`${k}: ${v.agree}/${v.total}\n`);
    if (!r.written) {
      process.stderr.write(`not written: lower than the ratchet (use --force only for a re-recorded set):\n${r.lower.join('\n')}\n`);
      process.exitCode = 1;
    }
    return;
  }
  const verbose = !process.argv.includes('--quiet');
  const at = process.argv.indexOf('--set');
  const only = at >= 0 ? process.argv[at + 1] : undefined;
  const sets: { name: string; report: () => string }[] = [
    { name: 'shared insert-select', report: () => formatReport(scoreCorpus(loadCorpus(), corpusModel()), verbose) },
    // the DML corpus (INSERT .. VALUES, UPDATE, DELETE, MERGE, FOR UPDATE, COPY, SET citus.*)
    { name: 'shared dml', report: () => formatDmlReport(scoreDmlCorpus(loadDmlCorpus(), corpusModel()), verbose) },
  ];
  for (const zoo of GENERATED_ZOOS) {
    if (hasGenerated(zoo, 'insert-select')) {
      sets.push({ name: `generated ${zoo} insert-select`, report: () => formatReport(scoreCorpus(loadCorpus(`${zoo}-insert-select.jsonl`, GENERATED_DIR), generatedModel(zoo)), verbose, `generated INSERT..SELECT (${zoo} zoo, ${path.basename(GENERATED_DIR)})`) });
    }
    if (hasGenerated(zoo, 'dml')) {
      sets.push({ name: `generated ${zoo} dml`, report: () => formatDmlReport(scoreDmlCorpus(loadDmlCorpus(`${zoo}-dml.jsonl`, GENERATED_DIR), generatedModel(zoo)), verbose, `generated DML (${zoo} zoo)`) });
    }
  }
  // the probe files: SQL kept here, recorded on a real cluster (test/fixtures/probes)
  if (fs.existsSync(path.join(PROBES_DIR, 'dml.jsonl'))) {
    const probes = (() => {
      let memo: ReturnType<typeof scoreProbes> | undefined;
      return () => (memo ??= scoreProbes());
    })();
    sets.push({ name: 'probes insert-select', report: () => formatReport(probes().scored, verbose, 'probe files (test/fixtures/probes), INSERT..SELECT') });
    sets.push({ name: 'probes dml', report: () => formatDmlReport(probes().dml, verbose, 'probe files (test/fixtures/probes), DML') });
    sets.push({ name: 'probes select', report: () => formatDmlReport(probes().selects, verbose, 'probe files (test/fixtures/probes), SELECT') });
    sets.push({ name: 'probes ddl', report: () => formatDdlReport(probes().ddl, verbose, 'probe files (test/fixtures/probes), DDL and Citus calls') });
  }
  const suiteAt = process.argv.indexOf('--regress-suite');
  if (suiteAt >= 0) {
    const suite = process.argv[suiteAt + 1];
    if (!suite || !fs.existsSync(`${suite}/sql`)) throw new Error('--regress-suite needs the src/test/regress folder of a Citus checkout');
    const records = readJsonl<RegressFileRecord>(REGRESS_FILES_FIXTURE);
    const dmlRecords = fs.existsSync(REGRESS_FILES_DML_FIXTURE) ? readJsonl<RegressFileRecord>(REGRESS_FILES_DML_FIXTURE) : [];
    const ddlRecords = fs.existsSync(REGRESS_FILES_DDL_FIXTURE) ? readJsonl<RegressFileRecord>(REGRESS_FILES_DDL_FIXTURE) : [];
    const selectRecords = fs.existsSync(REGRESS_FILES_SELECT_FIXTURE) ? readJsonl<RegressFileRecord>(REGRESS_FILES_SELECT_FIXTURE) : [];
    for (const [label, settings] of [
      ['harness settings (citus.shard_count = 4, citus.shard_replication_factor = 2)', { 'citus.shard_count': '4', 'citus.shard_replication_factor': '2' }],
      ['default settings', {}],
    ] as const) {
      const score = (() => {
        let memo: ReturnType<typeof scoreRegressFiles> | undefined;
        return () => (memo ??= scoreRegressFiles(records, suite, settings, dmlRecords, undefined, selectRecords, false, ddlRecords));
      })();
      const leftOut = (kind: RegressFileRecord[]): string => {
        const why = new Map<string, number>();
        for (const l of score().left.filter((x) => kind.includes(x.record))) why.set(l.why, (why.get(l.why) ?? 0) + 1);
        return [...why].map(([w, k]) => `  ${k} ${w}`).join('\n');
      };
      sets.push({
        name: `regress files insert-select ${label}`,
        report: () => `${formatReport(score().scored, verbose, `Citus' regression files, each linted on its own, ${label}`)}\n\nleft out:\n${leftOut(records)}`,
      });
      if (ddlRecords.length) {
        sets.push({
          name: `regress files ddl ${label}`,
          report: () => `${formatDdlReport(score().ddl, verbose, `DDL and Citus calls of Citus' regression files, each linted on its own, ${label}`)}\n\nleft out:\n${leftOut(ddlRecords)}`,
        });
      }
      if (selectRecords.length) {
        sets.push({
          name: `regress files select ${label}`,
          report: () => {
            const refused = score().selects.filter((x) => x.predicted === 'error' && x.record.outcome !== 'error');
            // (the statements that ran and about which something is said: Citus' own functions get no outcome)
            const said = score().selects.filter((x) => x.record.outcome !== 'error' && x.predicted !== 'none');
            const saidAgree = said.filter((x) => x.predicted === x.record.outcome).length;
            return `${formatDmlReport(score().selects, verbose, `SELECTs of Citus' regression files (the files of test/fixtures/regress-files/README.md), each linted on its own, ${label}`)}\n\nstatements that ran and were predicted: ${saidAgree}/${said.length} agree\npredicted refused but ran: ${refused.length}${refused.map((x) => `\n- ${x.record.id}`).join('')}\n\nleft out:\n${leftOut(selectRecords)}`;
          },
        });
      }
      if (dmlRecords.length) {
        sets.push({
          name: `regress files dml ${label}`,
          report: () => `${formatDmlReport(score().dml, verbose, `DML of Citus' regression files, each linted on its own, ${label}`)}\n\nleft out:\n${leftOut(dmlRecords)}`,
        });
      }
    }
  }
  const chosen = sets.filter((s) => !only || s.name.includes(only));
  process.stdout.write(chosen.map((s) => s.report()).join('\n\n' + '='.repeat(100) + '\n\n') + '\n');
}

main().catch((e: unknown) => {
  process.stderr.write(`${String(e)}\n`);
  process.exitCode = 1;
});
