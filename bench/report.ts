// Prints benchmark figures: one JSON object, or a table with each figure beside its target.

/** Figures by JSON key; targets are upper bounds, and a figure without one is informational. */
export function printFigures(
  figures: Record<string, number>,
  targets: Record<string, number>,
  json: boolean,
): void {
  if (json) {
    console.log(JSON.stringify(figures));
    return;
  }
  console.log("| figure | value | target | |");
  console.log("|---|---:|---:|---|");
  for (const [key, value] of Object.entries(figures)) {
    const target = targets[key];
    const verdict = target === undefined ? "" : value <= target ? "ok" : "OVER";
    console.log(`| ${key} | ${value} | ${target ?? ""} | ${verdict} |`);
  }
}
