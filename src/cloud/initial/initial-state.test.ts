// Unit tests of cloud.json: defaults, settled resources, and errors that name the field.
import { describe, expect, it } from "vitest";
import { FIXTURE_JSON } from "../core/fixture";
import { CloudConfigError, parseCloudJson } from "./cloud-json";
import { buildInitialState } from "./initial-state";
import { CLOUD_STATE_VERSION } from "../core/model";

const build = (json: unknown) => buildInitialState(parseCloudJson(JSON.stringify(json)));
const errorOf = (json: unknown): string => {
  try {
    build(json);
  } catch (error) {
    if (error instanceof CloudConfigError) return error.message;
    throw error;
  }
  throw new Error("expected a CloudConfigError");
};

describe("cloud.json", () => {
  it("fills in a region, machine types and quotas, and starts at the given time", () => {
    const state = build({});
    expect(state).toMatchObject({
      version: CLOUD_STATE_VERSION,
      defaultRegion: "eu-west-1",
      nowMs: Date.parse("2026-03-02T09:00:00Z"),
    });
    expect(state.machineTypes.map((t) => t.name)).toEqual(["small", "medium", "large"]);
    expect(state.quotas.instances).toBe(20);
  });

  it("dates snapshots when taken (an hour before the start unless told), never after the start", () => {
    const volumes = [{ id: "vol-1", zone: "eu-west-1a", sizeGiB: 10 }];
    const start = "2026-03-02T09:00:00Z";
    const state = build({
      startTime: start,
      volumes,
      snapshots: [{ volume: "vol-1", startedAt: "2026-03-01T01:00:00Z" }, { volume: "vol-1" }],
    });
    expect(state.snapshots.map((s) => [s.startedAtMs, s.state])).toEqual([
      [Date.parse("2026-03-01T01:00:00Z"), "completed"],
      [Date.parse(start) - 3_600_000, "completed"],
    ]);
    expect(
      errorOf({
        startTime: start,
        volumes,
        snapshots: [{ volume: "vol-1", startedAt: "2026-03-02T10:00:00Z" }],
      }),
    ).toBe(`snapshots[0].startedAt: at or before startTime (${start})`);
  });

  it("describes resources that have settled: running, attached, healthy, propagated", () => {
    const state = build(FIXTURE_JSON);
    expect(state.instances.map((i) => [i.id, i.state, i.privateIp, i.zone])).toEqual([
      ["i-web1", "running", "10.0.1.10", "eu-west-1a"],
      ["i-web2", "running", "10.0.2.10", "eu-west-1b"],
    ]);
    expect(state.volumes[0]).toMatchObject({
      state: "in-use",
      attachment: { instanceId: "i-web1" },
    });
    expect(state.securityGroups[1]?.ingress[0]).toEqual({
      protocol: "tcp",
      fromPort: 80,
      toPort: 80,
      source: "sg-lb",
      description: "",
    });
    expect(state.dnsZones[0]?.records[0]?.servedValues).toEqual([
      "shop-lb.eu-west-1.cloud.internal",
    ]);
  });

  it("names the field of a schema error", () => {
    expect(errorOf({ instances: [{ type: "small" }] })).toMatch(/^instances\[0\]\.image: /);
    expect(errorOf({ bogus: 1 })).toMatch(/bogus/);
    expect(() => parseCloudJson("{")).toThrow(/\(root\): not valid JSON/);
  });

  it("names the field of a broken reference or an inconsistent resource", () => {
    const base = { networks: [{ id: "net-1", name: "n", cidr: "10.0.0.0/16" }] };
    expect(
      errorOf({
        ...base,
        subnets: [{ name: "s", network: "net-2", zone: "eu-west-1a", cidr: "10.0.1.0/24" }],
      }),
    ).toBe("subnets[0].network: no network 'net-2' in this file");
    expect(
      errorOf({
        ...base,
        subnets: [{ name: "s", network: "n", zone: "eu-west-1a", cidr: "10.1.1.0/24" }],
      }),
    ).toBe("subnets[0].cidr: 10.1.1.0/24 is not inside network n (10.0.0.0/16)");
    expect(
      errorOf({
        ...base,
        subnets: [{ name: "s", network: "n", zone: "mars-1a", cidr: "10.0.1.0/24" }],
      }),
    ).toBe("subnets[0].zone: 'mars-1a' is not a zone of any region");
    expect(errorOf({ networks: [{ name: "n", cidr: "10.0.0.1/16" }] })).toMatch(
      /^networks\[0\]\.cidr: .*host bits must be zero/,
    );
    const withVolume = {
      ...FIXTURE_JSON,
      volumes: [{ zone: "eu-west-1b", sizeGiB: 1, attachedTo: "web-1" }],
    };
    expect(errorOf(withVolume)).toBe(
      "volumes[0].attachedTo: instance i-web1 is in eu-west-1a, the volume in eu-west-1b",
    );
    expect(errorOf({ ...FIXTURE_JSON, users: [{ name: "u", policies: ["nope"] }] })).toBe(
      "users[0].policies[0]: no policy 'nope' in this file",
    );
  });

  it("gives the agent's user a key when the file names none", () => {
    const state = build({
      policies: [{ name: "p", statements: [{ effect: "Allow", actions: ["*"] }] }],
      users: [{ name: "ops", policies: ["p"] }],
      agent: { user: "ops" },
    });
    expect(state.users[0]?.accessKeys[0]?.id).toMatch(/^AK0[0-9A-F]{16}$/);
  });

  it("gives a deployment the earlier revisions its history names, each on top of the one before", () => {
    const state = build({
      ...FIXTURE_JSON,
      deployments: [
        {
          name: "api",
          image: "shop/api:1.0",
          env: { DATABASE_URL: "x" },
          createdAt: "2025-06-01T00:00:00Z",
          history: [
            { image: "shop/api:1.1", at: "2026-01-01T09:00:00Z" },
            { env: { PAY_URL: "v2" } },
          ],
          rollout: { image: "shop/api:1.2" },
        },
      ],
    });
    const d = state.deployments[0]!;
    expect(d).toMatchObject({ currentRevision: 4, stableRevision: 3 });
    expect(d.revisions.map((r) => [r.template.image, r.template.env])).toEqual([
      ["shop/api:1.0", { DATABASE_URL: "x" }],
      ["shop/api:1.1", { DATABASE_URL: "x" }],
      ["shop/api:1.1", { DATABASE_URL: "x", PAY_URL: "v2" }],
      ["shop/api:1.2", { DATABASE_URL: "x", PAY_URL: "v2" }],
    ]);
    expect(d.revisions.slice(0, 2).map((r) => r.createdAtMs)).toEqual([
      Date.parse("2025-06-01T00:00:00Z"),
      Date.parse("2026-01-01T09:00:00Z"),
    ]);
    expect(() =>
      build({
        ...FIXTURE_JSON,
        deployments: [
          {
            name: "api",
            image: "shop/api:1.0",
            history: [{ image: "a:1", at: "2099-01-01T00:00:00Z" }],
          },
        ],
      }),
    ).toThrow(/deployments\[0\]\.history\[0\]\.at/);
  });

  it("starts a deployment mid-rollout when it names one", () => {
    const state = build({
      ...FIXTURE_JSON,
      deployments: [
        {
          name: "api",
          image: "shop/api:1.0",
          env: { DATABASE_URL: "x" },
          rollout: { image: "shop/api:1.1", env: { LOG: "1" } },
        },
      ],
    });
    expect(state.deployments[0]).toMatchObject({ currentRevision: 2, stableRevision: 1 });
    expect(state.deployments[0]?.revisions[1]?.template).toMatchObject({
      image: "shop/api:1.1",
      env: { DATABASE_URL: "x", LOG: "1" },
    });
  });

  it("makes each change of a rollout given as a list a revision, the last rolling out", () => {
    const state = build({
      ...FIXTURE_JSON,
      deployments: [
        {
          name: "api",
          image: "shop/api:1.0",
          history: [{ env: { DATABASE_URL: "x" } }],
          rollout: [{ image: "shop/api:1.1" }, { healthPath: "/ready" }, { env: { LOG: "1" } }],
        },
      ],
    });
    expect(state.deployments[0]).toMatchObject({ currentRevision: 5, stableRevision: 2 });
    expect(state.deployments[0]?.revisions.map((r) => r.template)).toMatchObject([
      { image: "shop/api:1.0", healthPath: "/healthz", env: {} },
      { image: "shop/api:1.0", env: { DATABASE_URL: "x" } },
      { image: "shop/api:1.1", healthPath: "/healthz" },
      { image: "shop/api:1.1", healthPath: "/ready", env: { DATABASE_URL: "x" } },
      { image: "shop/api:1.1", healthPath: "/ready", env: { DATABASE_URL: "x", LOG: "1" } },
    ]);
  });
});
