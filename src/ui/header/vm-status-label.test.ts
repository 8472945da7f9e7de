// Unit tests of the header's VM status line.
import { describe, expect, it } from "vitest";
import { vmStatusLabel } from "./vm-status-label";

describe("vmStatusLabel", () => {
  it("says Linux is starting until it is ready", () => {
    expect(vmStatusLabel({ phase: "starting", cold: false }, undefined).text).toBe(
      "Starting Linux…",
    );
  });

  it("shows how far the warm-up has got while it runs", () => {
    const label = vmStatusLabel({ phase: "ready" }, { done: 12, total: 48 });
    expect(label.text).toBe("Linux ready · warming up 25%");
    expect(label.detail).toMatch(/first run of each can take a few seconds/);
  });

  it("is plainly ready once the warm-up is done, or when there is none", () => {
    expect(vmStatusLabel({ phase: "ready" }, { done: 48, total: 48 }).text).toBe("Linux ready");
    expect(vmStatusLabel({ phase: "ready" }, undefined).text).toBe("Linux ready");
    expect(vmStatusLabel({ phase: "ready" }, { done: 0, total: 0 }).text).toBe("Linux ready");
  });

  it("gives the error's message as the detail", () => {
    const label = vmStatusLabel({ phase: "error", message: "HTTP 503" }, undefined);
    expect(label).toEqual({ text: "Linux failed to start", detail: "HTTP 503" });
  });
});
