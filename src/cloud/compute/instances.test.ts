// Unit tests of instances: lifecycles, constraints, errors.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import { INSTANCE_BOOT_MS, INSTANCE_STOP_MS } from "../core/model";

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
