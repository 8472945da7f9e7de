// Prints benchmark figures: one JSON object, or a table with each figure beside its twin and its target.

/** Suffix of a figure measured the same way with the stock Debian kernel (image-debian.json). */
export const DEBIAN_TWIN_SUFFIX = "_debian";

/**
 * Figures by JSON key; targets are upper bounds, and a figure without one is informational.
 * In the table, a key's `_debian` twin is shown in its own column on the key's row.
 */
export function printFigures(
  figures: Record<string, number>,
  targets: Record<string, number>,
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify(figures));
    return;
  }
  const verdict = (value: number | undefined, target: number | undefined): string =>
    value === undefined || target === undefined ? "" : value <= target ? "ok" : "OVER";
  console.log("| figure | value | debian kernel | target | | debian |");
  console.log("|---|---:|---:|---:|---|---|");
  for (const [key, value] of Object.entries(figures)) {
    if (
      key.endsWith(DEBIAN_TWIN_SUFFIX) &&
      `${key.slice(0, -DEBIAN_TWIN_SUFFIX.length)}` in figures
    )
      continue;
    const twin = figures[`${key}${DEBIAN_TWIN_SUFFIX}`];
    const target = targets[key];
    console.log(
      `| ${key} | ${value} | ${twin ?? ""} | ${target ?? ""} | ${verdict(value, target)} | ${verdict(twin, target)} |`,
    );
  }
}
