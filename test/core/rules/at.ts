/**
 * Positions for the literal rule tables: the 1-based line and column of a piece of the case's own SQL,
 * so a table row says where a finding is ("at the LIMIT keyword") instead of a bare number. `shift`
 * moves the position right by that many characters (e.g. at(sql, 'FROM c', 1, 5) is the c).
 */
export function at(sql: string, needle: string, occurrence = 1, shift = 0): { line: number; column: number } {
  let from = 0;
  let index = -1;
  for (let i = 0; i < occurrence; i++) {
    index = sql.indexOf(needle, from);
    if (index < 0) throw new Error(`"${needle}" occurs fewer than ${occurrence} times in the case's SQL`);
    from = index + 1;
  }
  index += shift;
  const before = sql.slice(0, index);
  const line = before.split('\n').length;
  return { line, column: index - (before.lastIndexOf('\n') + 1) + 1 };
}
