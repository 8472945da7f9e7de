// Unit tests of volumes and snapshots: lifecycles, constraints, errors.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import { SNAPSHOT_MS, VOLUME_CREATE_MS } from "../core/model";

type Obj = Record<string, unknown>;

describe("volumes and snapshots", () => {
  it("attach only in the instance's zone, and then only once", () => {
    const plane = makeCloud();
    const vol = ok<Obj>(plane, "CreateVolume", { zone: "eu-west-1a", size: 5 });
    expect(vol.state).toBe("creating");
    expect(
      fails(plane, "AttachVolume", {
        volume: String(vol.id),
        instance: "web-1",
        device: "/dev/sdg",
      }).code,
    ).toBe("IncorrectState");
    plane.advance(VOLUME_CREATE_MS);
    const mismatch = fails(plane, "AttachVolume", { volume: String(vol.id), instance: "web-2" });
    expect(mismatch).toEqual({
      code: "InvalidVolume.ZoneMismatch",
      message: expect.stringMatching(/volume: eu-west-1a, instance: eu-west-1b/),
    });
    expect(
      fails(plane, "AttachVolume", { volume: String(vol.id), instance: "web-1" }).message,
    ).toMatch(/Attachment point \/dev\/sdf is already in use/);
    expect(
      ok<Obj>(plane, "AttachVolume", {
        volume: String(vol.id),
        instance: "web-1",
        device: "/dev/sdg",
      }),
    ).toMatchObject({ state: "in-use", attachedTo: "i-web1" });
    expect(
      fails(plane, "AttachVolume", {
        volume: String(vol.id),
        instance: "web-1",
        device: "/dev/sdh",
      }).code,
    ).toBe("VolumeInUse");
  });

  it("must be detached before they are deleted", () => {
    const plane = makeCloud();
    expect(fails(plane, "DeleteVolume", { volume: "data" })).toEqual({
      code: "VolumeInUse",
      message: "Volume vol-data is currently attached to i-web1",
    });
    ok(plane, "DetachVolume", { volume: "data" });
    expect(fails(plane, "DetachVolume", { volume: "data" }).code).toBe("IncorrectState");
    ok(plane, "DeleteVolume", { volume: "data" });
    expect(fails(plane, "DescribeVolume", { volume: "vol-data" }).code).toBe(
      "InvalidVolume.NotFound",
    );
  });

  it("move to another zone through a completed snapshot", () => {
    const plane = makeCloud();
    const snap = ok<Obj>(plane, "CreateSnapshot", { volume: "data" });
    expect(snap.state).toBe("pending");
    expect(
      fails(plane, "CreateVolume", { zone: "eu-west-1b", snapshot: String(snap.id) }).message,
    ).toMatch(/not completed yet/);
    plane.advance(SNAPSHOT_MS);
    const copy = ok<Obj>(plane, "CreateVolume", { zone: "eu-west-1b", snapshot: String(snap.id) });
    expect(copy).toMatchObject({ sizeGiB: 10, snapshotId: snap.id, zone: "eu-west-1b" });
    expect(fails(plane, "DeleteSnapshot", { snapshot: String(snap.id) }).code).toBe(
      "InvalidSnapshot.InUse",
    );
    plane.advance(VOLUME_CREATE_MS);
    ok(plane, "AttachVolume", { volume: String(copy.id), instance: "web-2" });
    expect(
      fails(plane, "CreateVolume", { zone: "eu-west-1b", snapshot: String(snap.id), size: 2 })
        .message,
    ).toMatch(/smaller than snapshot/);
  });

  it("are detached and kept when their instance is terminated; zones and quotas are checked", () => {
    const plane = makeCloud();
    ok(plane, "TerminateInstances", { instance: "web-1" });
    expect(ok<Obj>(plane, "DescribeVolume", { volume: "data" })).toMatchObject({
      state: "available",
      attachedTo: "",
    });
    expect(fails(plane, "CreateVolume", { zone: "eu-west-1z", size: 1 }).message).toMatch(
      /not a zone of eu-west-1/,
    );
    expect(fails(plane, "CreateVolume", { zone: "eu-west-1a", size: 1999 }).code).toBe(
      "VolumeLimitExceeded",
    );
  });
});
