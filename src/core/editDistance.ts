/** The Levenshtein distance of two names (insertions, deletions and substitutions of one character each cost 1). */
export function editDistance(a: string, b: string): number {
  const prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let diag = prev[0];
    prev[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = prev[j];
      prev[j] = Math.min(prev[j] + 1, prev[j - 1] + 1, diag + (a[i - 1] === b[j - 1] ? 0 : 1));
      diag = tmp;
    }
  }
  return prev[b.length];
}

/** The closest of `known` to `name`, ignoring case, when its distance is at most `max` (and not an exact match). */
export function closestName(name: string, known: Iterable<string>, max: number): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const k of known) {
    const d = editDistance(name.toLowerCase(), k.toLowerCase());
    if (d > 0 && d < bestDistance) [best, bestDistance] = [k, d];
  }
  return bestDistance <= max ? best : undefined;
}
