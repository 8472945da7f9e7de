// Unit tests of the replay's keys: space, arrows, Home and End; never while typing or with a modifier.
import { describe, expect, it } from "vitest";
import { keyAction, type KeyPress } from "./keys";

/** A target that is inside the elements `inside` matches (as Element.closest would say). */
const target = (inside: string[] = [], isContentEditable = false) => ({
  isContentEditable,
  closest: (selector: string) =>
    selector.split(",").some((s) => inside.includes(s.trim())) ? {} : null,
});

const press = (key: string, patch: Partial<KeyPress> = {}): KeyPress => ({
  key,
  altKey: false,
  ctrlKey: false,
  metaKey: false,
  shiftKey: false,
  defaultPrevented: false,
  target: target() as unknown as EventTarget,
  ...patch,
});

describe("replay keys", () => {
  it("space plays and pauses, arrows step, Home and End go to the start and the end", () => {
    expect([" ", "ArrowLeft", "ArrowRight", "Home", "End"].map((k) => keyAction(press(k)))).toEqual(
      ["toggle", "back", "forward", "start", "end"],
    );
    expect(keyAction(press("a"))).toBeUndefined();
    expect(keyAction(press(" ", { target: null }))).toBe("toggle");
  });

  it("leaves keys alone while typing in a field or on a focused control, and with a modifier", () => {
    for (const inside of ["input", "textarea", "select", "button", "[role=slider]"])
      expect(keyAction(press(" ", { target: target([inside]) as unknown as EventTarget }))).toBe(
        undefined,
      );
    const editable = target([], true) as unknown as EventTarget;
    expect(keyAction(press("ArrowLeft", { target: editable }))).toBeUndefined();
    expect(keyAction(press("ArrowLeft", { altKey: true }))).toBeUndefined();
    expect(keyAction(press("ArrowRight", { ctrlKey: true }))).toBeUndefined();
    expect(keyAction(press(" ", { defaultPrevented: true }))).toBeUndefined();
  });
});
