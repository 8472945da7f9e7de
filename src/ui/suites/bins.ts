// Histogram bins for the distribution charts: equal-width, integer-aware, never empty of meaning.
export interface Bin {
  /** Inclusive lower bound. */
  from: number;
  /** Exclusive upper bound (inclusive for the last bin). */
  to: number;
  count: number;
}

/** At most this many bars in a distribution chart. */
export const MAX_BINS = 8;

/**
 * Equal-width bins over the values. Whole numbers (steps) get bins of whole width, so a bar is never
 * "2.5–3.75 steps"; one value, or all values equal, make one bin holding them all. NOTE: every value
 * falls in exactly one bin, so the counts add up to values.length.
 */
export function binValues(values: readonly number[], maxBins = MAX_BINS): Bin[] {
  if (values.length === 0) return [];
  const min = Math.min(...values);
  const max = Math.max(...values);
  if (min === max) return [{ from: min, to: max, count: values.length }];
  const integers = values.every(Number.isInteger);
  let width = (max - min) / maxBins;
  if (integers) width = Math.max(1, Math.ceil((max - min + 1) / maxBins));
  const count = integers ? Math.ceil((max - min + 1) / width) : maxBins;
  const bins: Bin[] = Array.from({ length: count }, (_, i) => ({
    from: min + i * width,
    to: integers ? min + (i + 1) * width - 1 : min + (i + 1) * width,
    count: 0,
  }));
  for (const value of values) {
    const i = Math.min(count - 1, Math.floor((value - min) / width));
    bins[i]!.count++;
  }
  return bins;
}
