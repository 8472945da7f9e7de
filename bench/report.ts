// Prints benchmark figures: one JSON object, or a table with each figure beside its twin and its target.

/** Suffix of a figure measured the same way with the stock Debian kernel (image-debian.json). */
export const DEBIAN_TWIN_SUFFIX = "_debian";

/** A figure, or a group of figures keyed by what was measured (for example one per command). */
export type Figure = number | Record<string, number>;

/**
 * Figures by JSON key; targets are upper bounds, and a figure without one is informational. A group's
 * target applies to each of its members. In the table, a key's `_debian` twin is shown in its own
 * column on the key's row.
 */
export function printFigures(
  figures: Record<string, Figure>,
  targets: Record<string, number>,
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify(figures));
    return;
  }
  const verdict = (value: number | undefined, target: number | undefined): string =>
    value === undefined || target === undefined ? "" : value <= target ? "ok" : "OVER";
  const rowsOf = (figure: Figure | undefined): Record<string, number> =>
    figure === undefined ? {} : typeof figure === "number" ? { "": figure } : figure;
  console.log("| figure | value | debian kernel | target | | debian |");
  console.log("|---|---:|---:|---:|---|---|");
  for (const [key, figure] of Object.entries(figures)) {
    if (key.endsWith(DEBIAN_TWIN_SUFFIX) && key.slice(0, -DEBIAN_TWIN_SUFFIX.length) in figures)
      continue;
    const twins = rowsOf(figures[`${key}${DEBIAN_TWIN_SUFFIX}`]);
    const target = targets[key];
    for (const [name, value] of Object.entries(rowsOf(figure))) {
      const twin = twins[name];
      const label = name ? `${key}[${name}]` : key;
      console.log(
        `| ${label} | ${value} | ${twin ?? ""} | ${target ?? ""} | ${verdict(value, target)} | ${verdict(twin, target)} |`,
      );
    }
  }
}
