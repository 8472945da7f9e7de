// The median of measured figures (durations in ms, counts): the middle one, or the two middle ones'
// mean rounded to a whole number.

/** The median of `values` (not empty); an even count gives the two middle values' mean, rounded. */
export function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid]! : Math.round((sorted[mid - 1]! + sorted[mid]!) / 2);
}
