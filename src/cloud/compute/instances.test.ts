// Unit tests of instances, volumes, snapshots, networks, subnets and security groups: lifecycles, constraints, errors.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import { INSTANCE_BOOT_MS, INSTANCE_STOP_MS, SNAPSHOT_MS, VOLUME_CREATE_MS } from "../core/state";

type Obj = Record<string, unknown>;

describe("instances", () => {
  it("go through their lifecycle: start, stop, start, terminate", () => {
    const plane = makeCloud();
    const state = () => ok<Obj>(plane, "DescribeInstance", { instance: "web-2" }).state;
    expect(ok<Obj>(plane, "StopInstances", { instance: "web-2" })).toMatchObject({
      previousState: "running",
      currentState: "stopping",
    });
    expect(fails(plane, "StartInstances", { instance: "web-2" }).code).toBe(
      "IncorrectInstanceState",
    );
    plane.advance(INSTANCE_STOP_MS);
    expect(state()).toBe("stopped");
    ok(plane, "StartInstances", { instance: "web-2" });
    expect(state()).toBe("pending");
    plane.advance(INSTANCE_BOOT_MS);
    expect(state()).toBe("running");
    ok(plane, "TerminateInstances", { instance: "i-web2" });
    plane.advance(INSTANCE_STOP_MS);
    expect(ok<Obj>(plane, "DescribeInstance", { instance: "i-web2" }).state).toBe("terminated");
    expect(fails(plane, "StartInstances", { instance: "i-web2" }).message).toMatch(
      /not in a state from which it can be started \(it is terminated\)/,
    );
  });

  it("launch into a subnet's zone with an address from it, public only in public subnets", () => {
    const plane = makeCloud();
    const a = ok<Obj>(plane, "RunInstances", {
      type: "small",
      image: "web",
      subnet: "public-a",
      tag: { team: "x" },
      name: "n",
    });
    expect(a).toMatchObject({
      zone: "eu-west-1a",
      privateIp: "10.0.1.4",
      state: "pending",
      tags: { team: "x", Name: "n" },
    });
    expect(a.publicIp).toMatch(/^198\.51\.100\./);
    expect(
      ok<Obj>(plane, "RunInstances", { type: "small", image: "web", subnet: "private-b" }).publicIp,
    ).toBe("");
  });

  it("refuse unknown types, images, subnets, and groups of another network", () => {
    const plane = makeCloud();
    const base = { type: "small", image: "web", subnet: "public-a" };
    expect(fails(plane, "RunInstances", { ...base, type: "huge" }).message).toMatch(
      /instance type 'huge' does not exist. Valid types: small, medium, large/,
    );
    expect(fails(plane, "RunInstances", { ...base, image: "img-x" }).code).toBe(
      "InvalidAMIID.NotFound",
    );
    expect(fails(plane, "RunInstances", { ...base, subnet: "subnet-x" }).code).toBe(
      "InvalidSubnetID.NotFound",
    );
    expect(fails(plane, "RunInstances", { ...base, type: undefined }).code).toBe(
      "MissingParameter",
    );
    ok(plane, "CreateNetwork", { name: "other", cidr: "10.9.0.0/16" });
    const sg = ok<Obj>(plane, "CreateSecurityGroup", { network: "other", name: "o" });
    expect(
      fails(plane, "RunInstances", { ...base, "security-groups": [String(sg.id)] }).message,
    ).toMatch(/belong to different networks/);
  });

  it("count against the instance and vCPU quotas", () => {
    const plane = makeCloud();
    ok(plane, "RunInstances", { type: "large", image: "web", subnet: "public-a" });
    const refused = fails(plane, "RunInstances", {
      type: "large",
      image: "web",
      subnet: "public-a",
    });
    expect(refused.code).toBe("VcpuLimitExceeded");
    expect(refused.message).toMatch(/current limit of 8 allows \(in use: 6, requested: 4\)/);
    const quotas = ok<{ items: Obj[] }>(plane, "ListQuotas").items;
    expect(quotas.find((q) => q.name === "vcpus")).toEqual({ name: "vcpus", used: 6, limit: 8 });
  });

  it("change security groups and tags", () => {
    const plane = makeCloud();
    expect(
      ok<Obj>(plane, "ModifyInstanceSecurityGroups", {
        instance: "web-1",
        "security-groups": ["web", "spare"],
      }).securityGroups,
    ).toEqual(["sg-web", "sg-spare"]);
    expect(ok<Obj>(plane, "CreateTags", { instance: "web-1", tag: { env: "prod" } }).tags).toEqual({
      Name: "web-1",
      env: "prod",
    });
    expect(
      ok<{ items: Obj[] }>(plane, "DescribeInstances", { tag: { env: "prod" } }).items.map(
        (i) => i.id,
      ),
    ).toEqual(["i-web1"]);
  });
});

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

describe("networks, subnets and security groups", () => {
  it("keep subnets inside their network and apart from each other", () => {
    const plane = makeCloud();
    const base = { network: "main", name: "s", zone: "eu-west-1a" };
    expect(fails(plane, "CreateSubnet", { ...base, cidr: "10.1.0.0/24" }).code).toBe(
      "InvalidSubnet.Range",
    );
    expect(fails(plane, "CreateSubnet", { ...base, cidr: "10.0.1.128/25" }).code).toBe(
      "InvalidSubnet.Conflict",
    );
    expect(fails(plane, "CreateSubnet", { ...base, cidr: "10.0.3.1/24" }).message).toMatch(
      /host bits must be zero \(did you mean 10.0.3.0\/24\?\)/,
    );
    expect(
      fails(plane, "CreateSubnet", { ...base, zone: "us-east-1a", cidr: "10.0.3.0/24" }).message,
    ).toMatch(/eu-west-1a, eu-west-1b/);
    expect(ok<Obj>(plane, "CreateSubnet", { ...base, cidr: "10.0.3.0/24" })).toMatchObject({
      zone: "eu-west-1a",
      public: false,
    });
  });

  it("refuse to delete what is still used", () => {
    const plane = makeCloud();
    expect(fails(plane, "DeleteSecurityGroup", { group: "web" })).toEqual({
      code: "DependencyViolation",
      message: "resource sg-web has a dependent object: instance i-web1 uses it",
    });
    expect(fails(plane, "DeleteSecurityGroup", { group: "lb" }).message).toMatch(
      /load balancer shop uses it/,
    );
    expect(fails(plane, "DeleteSubnet", { subnet: "public-a" }).code).toBe("DependencyViolation");
    expect(fails(plane, "DeleteNetwork", { network: "main" }).message).toMatch(
      /subnet subnet-a is in it/,
    );
    ok(plane, "DeleteSecurityGroup", { group: "spare" });
    ok(plane, "ModifyInstanceSecurityGroups", { instance: "web-1", "security-groups": ["lb"] });
    ok(plane, "ModifyInstanceSecurityGroups", { instance: "web-2", "security-groups": ["lb"] });

    ok(plane, "SetLoadBalancerSecurityGroups", {
      "load-balancer": "shop",
      "security-groups": ["web"],
    });
    expect(fails(plane, "DeleteSecurityGroup", { group: "lb" }).message).toMatch(
      /instance i-web1 uses it/,
    );
  });

  it("add and revoke rules by protocol, port and source, refusing duplicates and nonsense", () => {
    const plane = makeCloud();
    const rule = { group: "spare", protocol: "tcp", port: "8000-8100", source: "10.0.0.0/16" };
    expect(ok<{ ingress: Obj[] }>(plane, "AuthorizeSecurityGroupIngress", rule).ingress).toEqual([
      { protocol: "tcp", ports: "8000-8100", source: "10.0.0.0/16", description: "" },
    ]);
    expect(fails(plane, "AuthorizeSecurityGroupIngress", rule).code).toBe(
      "InvalidPermission.Duplicate",
    );
    expect(
      fails(plane, "AuthorizeSecurityGroupIngress", { ...rule, port: "90-80" }).message,
    ).toMatch(/Invalid port range '90-80'/);
    expect(
      fails(plane, "AuthorizeSecurityGroupIngress", { ...rule, protocol: "sctp" }).message,
    ).toMatch(/Invalid value 'sctp'/);
    expect(
      fails(plane, "AuthorizeSecurityGroupIngress", { ...rule, source: "10.0.0/8" }).message,
    ).toMatch(/not a valid CIDR block/);
    expect(
      fails(plane, "AuthorizeSecurityGroupIngress", { ...rule, port: undefined }).message,
    ).toMatch(/port or port range/);
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "spare",
      protocol: "tcp",
      port: "22",
      source: "web",
    });
    expect(
      ok<{ ingress: Obj[] }>(plane, "DescribeSecurityGroup", { group: "spare" }).ingress[1],
    ).toMatchObject({ source: "sg-web", ports: "22" });
    expect(fails(plane, "DeleteSecurityGroup", { group: "web" }).message).toMatch(
      /instance i-web1 uses it/,
    );
    ok(plane, "RevokeSecurityGroupIngress", rule);
    expect(fails(plane, "RevokeSecurityGroupIngress", rule).code).toBe(
      "InvalidPermission.NotFound",
    );
  });
});
