// Unit tests of load balancers and target health, DNS propagation, and deployments (rollouts, rollbacks, crashes).
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import {
  DNS_PROPAGATION_MS,
  HEALTH_INITIAL_MS,
  INSTANCE_BOOT_MS,
  INSTANCE_STOP_MS,
  LB_PROVISION_MS,
  PROGRESS_DEADLINE_MS,
  REPLICA_START_MS,
} from "../core/state";

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

describe("DNS", () => {
  it("serves the old answer until a change has propagated", () => {
    const plane = makeCloud();
    ok(plane, "UpsertRecord", {
      zone: "shop.example",
      name: "api.shop.example",
      type: "A",
      values: ["10.0.1.10"],
    });
    const resolve = () => ok<Obj>(plane, "TestDnsAnswer", { name: "api.shop.example" });
    expect(resolve()).toMatchObject({ answers: "", responseCode: "NXDOMAIN" });
    expect(
      ok<{ items: Obj[] }>(plane, "ListResourceRecordSets", { zone: "shop.example" }).items[1],
    ).toMatchObject({ status: "PENDING" });
    plane.advance(DNS_PROPAGATION_MS);
    expect(resolve()).toMatchObject({ answers: "10.0.1.10", responseCode: "NOERROR" });
    ok(plane, "DeleteRecord", { zone: "shop.example", name: "api.shop.example", type: "A" });
    expect(resolve().answers).toBe("10.0.1.10");
    plane.advance(DNS_PROPAGATION_MS);
    expect(resolve().answers).toBe("");
    expect(plane.state.dnsZones[0]?.records).toHaveLength(1);
  });

  it("follows a CNAME to a load balancer, and refuses records that break the rules", () => {
    const plane = makeCloud();
    expect(ok<Obj>(plane, "TestDnsAnswer", { name: "www.shop.example" })).toMatchObject({
      chain: "www.shop.example. -> shop-lb.eu-west-1.cloud.internal.",
      answers: "10.255.0.10",
    });
    expect(
      fails(plane, "UpsertRecord", {
        zone: "shop.example",
        name: "www.shop.example",
        type: "A",
        values: ["10.0.0.1"],
      }).message,
    ).toMatch(/conflicts with other records/);
    expect(
      fails(plane, "UpsertRecord", {
        zone: "shop.example",
        name: "x.other.example",
        type: "A",
        values: ["10.0.0.1"],
      }).message,
    ).toMatch(/not permitted in zone shop.example./);
    // A zone holds names under it label by label: notshop.example. is not in shop.example.
    expect(
      fails(plane, "UpsertRecord", {
        zone: "shop.example",
        name: "x.notshop.example",
        type: "A",
        values: ["10.0.0.1"],
      }).message,
    ).toMatch(/not permitted in zone shop.example./);
    expect(
      fails(plane, "UpsertRecord", {
        zone: "shop.example",
        name: "x.shop.example",
        type: "A",
        values: ["web-1"],
      }).message,
    ).toMatch(/not a valid IPv4 address/);
    expect(fails(plane, "ListResourceRecordSets", { zone: "nope.example" }).code).toBe(
      "NoSuchHostedZone",
    );
  });
});

describe("deployments", () => {
  const replicas = (plane: ReturnType<typeof makeCloud>) =>
    ok<{ items: Obj[] }>(plane, "ListReplicas", { deployment: "api" }).items.map(
      (r) => `${r.revision}:${r.status}:${r.ready}`,
    );

  it("roll out a new revision one replica at a time, old replicas serving until new ones are ready", () => {
    const plane = makeCloud();
    expect(replicas(plane)).toEqual(["1:Running:true", "1:Running:true"]);
    ok(plane, "UpdateDeploymentEnv", { deployment: "api", env: { LOG_LEVEL: "debug" } });
    expect(replicas(plane)).toEqual([
      "1:Running:true",
      "1:Running:true",
      "2:ContainerCreating:false",
    ]);
    expect(fails(plane, "GetRolloutStatus", { deployment: "api" }).message).toMatch(
      /0 of 2 updated replicas are available/,
    );
    plane.advance(REPLICA_START_MS);
    expect(replicas(plane)).toEqual([
      "1:Running:true",
      "2:Running:true",
      "2:ContainerCreating:false",
    ]);
    plane.advance(REPLICA_START_MS);
    expect(replicas(plane)).toEqual(["2:Running:true", "2:Running:true"]);
    expect(ok<Obj>(plane, "GetRolloutStatus", { deployment: "api" }).text).toBe(
      'deployment "api" successfully rolled out',
    );
    expect(plane.state.deployments[0]?.stableRevision).toBe(2);
  });

  it("keep serving when a new image tag does not exist, and roll back", () => {
    const plane = makeCloud();
    ok(plane, "UpdateDeploymentImage", { deployment: "api", image: "shop/api:1.2" });
    plane.advance(PROGRESS_DEADLINE_MS + 1);
    const [, , broken] = ok<{ items: Obj[] }>(plane, "ListReplicas", { deployment: "api" }).items;
    expect(broken).toMatchObject({
      status: "ImagePullBackOff",
      message:
        'Failed to pull image "shop/api:1.2": manifest for shop/api:1.2 not found: manifest unknown',
    });
    expect(fails(plane, "GetRolloutStatus", { deployment: "api" }).message).toBe(
      'error: deployment "api" exceeded its progress deadline',
    );
    expect(ok<Obj>(plane, "DescribeDeployment", { deployment: "api" }).ready).toBe("2/2");
    expect(ok<Obj>(plane, "RollbackDeployment", { deployment: "api" })).toMatchObject({
      image: "shop/api:1.0",
      revision: 3,
    });
    plane.advance(REPLICA_START_MS * 2);
    expect(replicas(plane)).toEqual(["3:Running:true", "3:Running:true"]);
    expect(
      ok<{ items: Obj[] }>(plane, "ListRevisions", { deployment: "api" }).items.map(
        (r) => r.serving,
      ),
    ).toEqual(["", "", "current"]);
  });

  it("crash-loop when a required variable is missing, and the logs say which", () => {
    const plane = makeCloud();
    ok(plane, "UpdateDeploymentImage", { deployment: "api", image: "shop/api:1.1" });
    plane.advance(25_000);
    const crashing = ok<{ items: Obj[] }>(plane, "ListReplicas", { deployment: "api" }).items[2];
    expect(crashing).toMatchObject({ status: "CrashLoopBackOff", ready: false, restarts: 3 });
    expect(
      ok<Obj>(plane, "GetReplicaLogs", { deployment: "api", replica: String(crashing?.name) }).text,
    ).toMatch(/FATAL: required environment variable CACHE_URL is not set/);
    ok(plane, "UpdateDeploymentEnv", { deployment: "api", env: { CACHE_URL: "redis://cache" } });
    plane.advance(REPLICA_START_MS * 2);
    expect(replicas(plane)).toEqual(["3:Running:true", "3:Running:true"]);
  });

  it("report a failing readiness probe, scale within the quota, and refuse bad names", () => {
    const plane = makeCloud();
    ok(plane, "UpdateDeploymentProbe", { deployment: "api", "health-path": "/ready" });
    plane.advance(REPLICA_START_MS);
    expect(
      ok<{ items: Obj[] }>(plane, "ListReplicas", { deployment: "api" }).items[2],
    ).toMatchObject({
      status: "Running",
      ready: false,
      message: "Readiness probe failed: HTTP probe failed with statuscode: 404",
    });
    expect(fails(plane, "ScaleDeployment", { deployment: "api", replicas: 40 }).code).toBe(
      "QuotaExceeded",
    );
    expect(
      fails(plane, "CreateDeployment", { name: "Bad_Name", image: "shop/api:1.0" }).message,
    ).toMatch(/lower case alphanumeric/);
    expect(fails(plane, "DescribeDeployment", { deployment: "web" })).toEqual({
      code: "DeploymentNotFound",
      message: 'deployments "web" not found',
    });
  });
});
