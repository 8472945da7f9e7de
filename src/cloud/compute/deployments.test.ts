// Unit tests of deployments (rollouts, rollbacks, crashes).
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import { PROGRESS_DEADLINE_MS, REPLICA_START_MS } from "../core/model";

type Obj = Record<string, unknown>;

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
