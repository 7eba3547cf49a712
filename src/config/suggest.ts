// "Did you mean ...?" for misspelt keys, types and names.

export function closest(word: string, candidates: readonly string[]): string | undefined {
  const lower = word.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  for (const candidate of candidates) {
    const distance = editDistance(lower, candidate.toLowerCase());
    if (distance > Math.floor(candidate.length / 3)) continue; // "s9" is not a typo of "s1"
    // On a tie, a candidate that starts with the word wins: "ap" is more likely "app" than "ip".
    const score = distance - (candidate.toLowerCase().startsWith(lower) ? 0.5 : 0);
    if (!best || score < best.score) best = { candidate, score };
  }
  return best?.candidate;
}

export function didYouMean(word: string, candidates: readonly string[], otherwise: string): string {
  const match = closest(word, candidates);
  return match === undefined ? otherwise : `did you mean "${match}"?`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      const substitution = (previous[j - 1] as number) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current[j] = Math.min((previous[j] as number) + 1, (current[j - 1] as number) + 1, substitution);
    }
    previous = current;
  }
  return previous[b.length] as number;
}
