// Unit tests of the distribution charts' bins.
import { describe, expect, it } from "vitest";
import { binValues } from "./bins";

describe("binValues", () => {
  it("has no bin without values, and one bin when all values are equal", () => {
    expect(binValues([])).toEqual([]);
    expect(binValues([3])).toEqual([{ from: 3, to: 3, count: 1 }]);
    expect(binValues([0.5, 0.5])).toEqual([{ from: 0.5, to: 0.5, count: 2 }]);
  });

  it("gives whole numbers whole-width bins, each value in one bin", () => {
    expect(binValues([2, 3, 3, 5], 8)).toEqual([
      { from: 2, to: 2, count: 1 },
      { from: 3, to: 3, count: 2 },
      { from: 4, to: 4, count: 0 },
      { from: 5, to: 5, count: 1 },
    ]);
    const bins = binValues([1, 40, 7, 13, 22, 22, 39], 4);
    expect(bins.map((b) => [b.from, b.to])).toEqual([
      [1, 10],
      [11, 20],
      [21, 30],
      [31, 40],
    ]);
    expect(bins.map((b) => b.count)).toEqual([2, 1, 2, 2]);
  });

  it("puts the largest value of fractional data in the last bin", () => {
    const bins = binValues([0, 0.01, 0.02, 0.04], 4);
    expect(bins).toHaveLength(4);
    expect(bins.reduce((n, b) => n + b.count, 0)).toBe(4);
    expect(bins.at(-1)?.count).toBe(1);
    expect(bins[0]?.count).toBe(1);
  });
});
