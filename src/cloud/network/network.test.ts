// Unit tests of networks, subnets and security groups: lifecycles, constraints, errors.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";

type Obj = Record<string, unknown>;

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
