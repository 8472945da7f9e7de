// Tests for the size display in units.ts.
import { describe, expect, it } from "vitest";
import { BYTES_PER_MIB, formatBytes } from "./units";

describe("formatBytes", () => {
  it("uses bytes below one KiB", () => {
    expect(formatBytes(0)).toBe("0 B");
    expect(formatBytes(1023)).toBe("1023 B");
  });

  it("uses KiB and MiB above that", () => {
    expect(formatBytes(1536)).toBe("1.5 KiB");
    expect(formatBytes(24 * BYTES_PER_MIB)).toBe("24.0 MiB");
  });

  it("rejects counts that are not sizes", () => {
    expect(() => formatBytes(-1)).toThrow(RangeError);
    expect(() => formatBytes(Number.NaN)).toThrow(RangeError);
  });
});
