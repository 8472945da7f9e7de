import { describe, expect, it } from "vitest";
import { fillFidHoles } from "./fid-table";

const open = (inodeid: number) => ({ inodeid, type: 1, uid: 0, dbg_name: "etc" });
const emulatorWith = (fids: unknown) => ({ v86: { cpu: { devices: { virtio_9p: { fids } } } } });

describe("fillFidHoles", () => {
  it("fills each hole with a closed fid, so the table survives JSON as v86 saves it", () => {
    const fids: unknown[] = [open(1)];
    fids[3] = open(7);
    expect(JSON.stringify(fids)).toContain("null");
    expect(fillFidHoles(emulatorWith(fids))).toBe(2);
    const closed = { inodeid: -1, type: -1, uid: 0, dbg_name: "" };
    expect(fids).toEqual([open(1), closed, closed, open(7)]);
    expect(fids[1]).not.toBe(fids[2]);
    // What v86's set_state reads back: every entry indexable.
    const restored = (JSON.parse(JSON.stringify(fids)) as { inodeid: number }[]).map(
      (f) => f.inodeid,
    );
    expect(restored).toEqual([1, -1, -1, 7]);
  });

  it("leaves a table without holes alone", () => {
    const fids = [open(1), open(2)];
    expect(fillFidHoles(emulatorWith(fids))).toBe(0);
    expect(fids).toEqual([open(1), open(2)]);
  });

  it("does nothing when the emulator has no 9p fid table", () => {
    expect(fillFidHoles({})).toBe(0);
    expect(fillFidHoles(undefined)).toBe(0);
    expect(fillFidHoles(emulatorWith("not a table"))).toBe(0);
  });
});
