import { formatDdlReport, formatReport, readJsonl, scoreRegressFiles, type RegressFileRecord } from './corpus-lib';
import { formatDmlReport } from './dml-corpus-lib';
import * as fs from 'node:fs';
import { loadParser } from '../src/core/parse/libpg';
const suite = process.argv[2];
const r = (n: string): RegressFileRecord[] => (fs.existsSync(`${suite}/rec/${n}`) ? readJsonl<RegressFileRecord>(`${suite}/rec/${n}`) : []);
void (async () => {
await loadParser();
const s = scoreRegressFiles(r('is.jsonl'), suite, {}, r('dml.jsonl'), undefined, r('select.jsonl'), true, r('ddl.jsonl'));
const v = process.argv.includes('-v');
console.log(formatReport(s.scored, v, 'IS'));
console.log(formatDmlReport(s.dml, v, 'DML'));
console.log(formatDmlReport(s.selects, v, 'SELECT'));
console.log(formatDdlReport(s.ddl, v, 'DDL'));
})();
