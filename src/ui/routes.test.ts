import { describe, expect, it } from "vitest";
import { formatRoute, parseRoute, type Route } from "./routes";

describe("routes", () => {
  it("reads back every route it writes", () => {
    const routes: Route[] = [
      { page: "lab" },
      { page: "suites" },
      { page: "history" },
      { page: "run", runId: "7f3a-11" },
      { page: "run", runId: "a/b c", step: 7 },
      { page: "share", payload: "v1.eJzT0yMAAGTvBe8", step: 0 },
      { page: "share", payload: "v1.abc-_" },
      { page: "compare" },
      { page: "compare", comparisonId: "c/1 2" },
      { page: "compare-share", payload: "v1.abc-_" },
    ];
    for (const route of routes) expect(parseRoute(formatRoute(route))).toEqual(route);
  });

  it("takes an empty, unknown or half address as the lab, and ignores a step that is not a number", () => {
    expect(parseRoute("")).toEqual({ page: "lab" });
    expect(parseRoute("#")).toEqual({ page: "lab" });
    expect(parseRoute("#/nowhere")).toEqual({ page: "lab" });
    expect(parseRoute("#/runs/")).toEqual({ page: "lab" });
    expect(parseRoute("#/runs/r1?step=-3")).toEqual({ page: "run", runId: "r1" });
    expect(parseRoute("#/runs/r1?step=7x")).toEqual({ page: "run", runId: "r1" });
    expect(parseRoute("#/share/p?step=12")).toEqual({ page: "share", payload: "p", step: 12 });
    expect(parseRoute("#/compare/")).toEqual({ page: "compare" });
    expect(parseRoute("#/compare/share/")).toEqual({ page: "compare" });
  });
});
