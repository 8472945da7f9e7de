// Unit tests of load balancers and target health.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import {
  HEALTH_INITIAL_MS,
  INSTANCE_BOOT_MS,
  INSTANCE_STOP_MS,
  LB_PROVISION_MS,
} from "../core/model";

type Obj = Record<string, unknown>;
const health = (plane: ReturnType<typeof makeCloud>) =>
  ok<{ items: Obj[] }>(plane, "DescribeTargetHealth", { "target-group": "web" }).items.map((t) => [
    t.instanceId,
    t.state,
    t.reason,
  ]);

describe("target health", () => {
  it("is healthy when the instance runs, serves the check path, and lets the load balancer in", () => {
    expect(health(makeCloud())).toEqual([
      ["i-web1", "healthy", ""],
      ["i-web2", "healthy", ""],
    ]);
  });

  it("times out when the instance's groups do not let the load balancer in", () => {
    const plane = makeCloud();
    ok(plane, "RevokeSecurityGroupIngress", {
      group: "web",
      protocol: "tcp",
      port: "80",
      source: "sg-lb",
    });
    expect(health(plane)[0]).toEqual(["i-web1", "unhealthy", "Target.Timeout"]);
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "web",
      protocol: "tcp",
      port: "80",
      source: "10.0.1.0/24",
    });
    expect(health(plane)[0]).toEqual(["i-web1", "healthy", ""]);
  });

  it("fails with the HTTP code when the check path is not served, or the port is closed", () => {
    const plane = makeCloud();
    ok(plane, "ModifyTargetGroup", { "target-group": "web", "health-path": "/health" });
    expect(
      ok<{ items: Obj[] }>(plane, "DescribeTargetHealth", { "target-group": "web" }).items[0],
    ).toMatchObject({
      state: "unhealthy",
      reason: "Target.ResponseCodeMismatch",
      description: "Health checks failed with these codes: [404]",
    });
    ok(plane, "ModifyTargetGroup", {
      "target-group": "web",
      "health-path": "/healthz",
      "health-port": 8080,
    });
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "web",
      protocol: "tcp",
      port: "8080",
      source: "sg-lb",
    });
    expect(health(plane)[0]).toEqual(["i-web1", "unhealthy", "Target.FailedHealthChecks"]);
  });

  it("follows the instance's state, and a new target starts in 'initial'", () => {
    const plane = makeCloud();
    ok(plane, "StopInstances", { instance: "web-2" });
    expect(health(plane)[1]).toEqual(["i-web2", "unused", "Target.InvalidState"]);
    const fresh = ok<Obj>(plane, "RunInstances", {
      type: "small",
      image: "web",
      subnet: "public-a",
      "security-groups": ["web"],
    });
    plane.advance(INSTANCE_BOOT_MS);
    ok(plane, "RegisterTargets", { "target-group": "web", instances: [String(fresh.id)] });
    expect(health(plane)[2]).toEqual([fresh.id, "initial", "Elb.RegistrationInProgress"]);
    plane.advance(HEALTH_INITIAL_MS);
    expect(health(plane)[2]).toEqual([fresh.id, "healthy", ""]);
    plane.advance(INSTANCE_STOP_MS);
    expect(ok<Obj>(plane, "DescribeLoadBalancer", { "load-balancer": "shop" }).healthyTargets).toBe(
      2,
    );
  });

  it("says which state a target's instance is in when it is not running, and a gone one as terminated", () => {
    const plane = makeCloud();
    const description = (i: number) =>
      ok<{ items: Obj[] }>(plane, "DescribeTargetHealth", { "target-group": "web" }).items[i]
        ?.description;
    ok(plane, "StopInstances", { instance: "web-2" });
    expect(description(1)).toBe("Target is in the stopping state");
    plane.advance(INSTANCE_STOP_MS);
    expect(description(1)).toBe("Target is in the stopped state");
    ok(plane, "TerminateInstances", { instance: "web-1" });
    expect(description(0)).toBe("Target is in the terminated state");
  });

  it("is 'unused' when no listener sends traffic to the group", () => {
    const plane = makeCloud();
    expect(fails(plane, "DeleteTargetGroup", { "target-group": "web" }).code).toBe("ResourceInUse");
    ok(plane, "DeleteListener", { "load-balancer": "shop", port: 80 });
    expect(health(plane)[0]).toEqual(["i-web1", "unused", "Target.NotInUse"]);
  });
});

describe("load balancers", () => {
  it("provision for a while, then are active; names and listeners are unique", () => {
    const plane = makeCloud();
    const lb = ok<Obj>(plane, "CreateLoadBalancer", {
      name: "api",
      subnets: ["public-a", "private-b"],
      "security-groups": ["lb"],
    });
    expect(lb.state).toBe("provisioning");
    expect(fails(plane, "CreateLoadBalancer", { name: "api", subnets: ["public-a"] }).code).toBe(
      "DuplicateLoadBalancerName",
    );
    plane.advance(LB_PROVISION_MS);
    expect(ok<Obj>(plane, "DescribeLoadBalancer", { "load-balancer": "api" }).state).toBe("active");
    ok(plane, "CreateListener", { "load-balancer": "api", port: 443, "target-group": "web" });
    expect(
      fails(plane, "CreateListener", { "load-balancer": "api", port: 443, "target-group": "web" })
        .code,
    ).toBe("DuplicateListener");
    expect(fails(plane, "DescribeLoadBalancer", { "load-balancer": "nope" })).toEqual({
      code: "LoadBalancerNotFound",
      message: "Load balancers '[nope]' not found",
    });
  });
});
