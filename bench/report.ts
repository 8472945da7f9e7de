// Prints benchmark figures: one JSON object, or a table with each figure beside its target.

/** A figure, or a group of figures keyed by what was measured (for example one per command). */
export type Figure = number | Record<string, number>;

/**
 * Figures by JSON key; targets are upper bounds, and a figure without one is informational. A group's
 * target applies to each of its members.
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
  console.log("| figure | value | target | |");
  console.log("|---|---:|---:|---|");
  for (const [key, figure] of Object.entries(figures)) {
    const target = targets[key];
    const rows = typeof figure === "number" ? [[key, figure] as const] : Object.entries(figure);
    for (const [name, value] of rows) {
      const label = typeof figure === "number" ? key : `${key}[${name}]`;
      const verdict = target === undefined ? "" : value <= target ? "ok" : "OVER";
      console.log(`| ${label} | ${value} | ${target ?? ""} | ${verdict} |`);
    }
  }
}
