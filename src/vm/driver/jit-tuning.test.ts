// Unit tests of the JIT tuning: applied through v86's settings when they are there, left alone when not.
import { describe, expect, it } from "vitest";
import { JIT_PAGES_PER_MODULE, tuneJit } from "./jit-tuning";

function emulatorWithJit() {
  const settings = new Map<number, number>([[1, 3]]);
  const exports = {
    set_jit_config: (index: number, value: number) => void settings.set(index, value),
    get_jit_config: (index: number) => settings.get(index) ?? 0,
  };
  return { emulator: { v86: { cpu: { wm: { exports } } } }, settings };
}

describe("tuneJit", () => {
  it("sets the pages per compiled module and returns the setting read back", () => {
    const { emulator, settings } = emulatorWithJit();
    expect(tuneJit(emulator)).toBe(JIT_PAGES_PER_MODULE);
    expect(settings.get(1)).toBe(JIT_PAGES_PER_MODULE);
  });

  it("returns undefined for an emulator without the settings", () => {
    expect(tuneJit({ v86: { cpu: {} } })).toBeUndefined();
    expect(tuneJit(undefined)).toBeUndefined();
  });
});
