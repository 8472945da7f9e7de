import { describe, expect, it } from "vitest";
import {
  ORACLE_AGENT,
  SUITE_SCHEMA_VERSION,
  ShardError,
  SuiteFormatError,
  agentKey,
  crossSetups,
  itemKey,
  normalSetup,
  parseShard,
  passAtK,
  pendingItems,
  restoreSuite,
  shardItems,
  suiteItems,
  type SuiteRecord,
  type SuiteSpec,
} from "./suite";

const spec: SuiteSpec = {
  tasks: ["a", "b", "c"],
  agents: [ORACLE_AGENT, { provider: "openai", model: "gpt-x" }],
  trials: 3,
};

/** C(n, k) exactly, for small n. */
function choose(n: number, k: number): number {
  let result = 1;
  for (let i = 1; i <= k; i++) result = (result * (n - k + i)) / i;
  return result;
}

describe("passAtK", () => {
  it("agrees with 1 - C(n-c,k)/C(n,k) computed directly", () => {
    for (let n = 1; n <= 12; n++)
      for (let c = 0; c <= n; c++)
        for (let k = 1; k <= n; k++) {
          const exact = n - c < k ? 1 : 1 - choose(n - c, k) / choose(n, k);
          expect(passAtK(n, c, k)).toBeCloseTo(exact, 12);
        }
  });

  it("is the pass rate at k = 1, 0 with no pass, 1 when every draw must hold a pass", () => {
    expect(passAtK(10, 3, 1)).toBeCloseTo(0.3, 12);
    expect(passAtK(5, 0, 5)).toBe(0);
    expect(passAtK(5, 4, 2)).toBe(1);
  });

  it("is NaN when there are fewer runs than k or the numbers are not counts", () => {
    expect(passAtK(2, 1, 3)).toBeNaN();
    expect(passAtK(3, 4, 1)).toBeNaN();
    expect(passAtK(3, 1, 0)).toBeNaN();
    expect(passAtK(2.5, 1, 1)).toBeNaN();
  });

  it("does not overflow for large n", () => {
    expect(passAtK(2000, 1000, 100)).toBeCloseTo(1, 12);
    expect(passAtK(2000, 1, 1)).toBeCloseTo(0.0005, 12);
  });
});

describe("suite items and shards", () => {
  it("lists task by task, agent by agent, trial by trial, each key once", () => {
    const items = suiteItems(spec);
    expect(items).toHaveLength(18);
    expect(items.slice(0, 4).map(itemKey)).toEqual([
      "a|oracle/reference|1",
      "a|oracle/reference|2",
      "a|oracle/reference|3",
      "a|openai/gpt-x|1",
    ]);
    expect(new Set(items.map(itemKey)).size).toBe(18);
  });

  it("splits into shards that together hold every item exactly once", () => {
    for (let count = 1; count <= 7; count++) {
      const keys = [];
      for (let index = 1; index <= count; index++)
        keys.push(...shardItems(spec, index, count).map(itemKey));
      expect(keys.sort()).toEqual(suiteItems(spec).map(itemKey).sort());
    }
    // Round-robin: shard sizes differ by at most one.
    const sizes = [1, 2, 3, 4].map((i) => shardItems(spec, i, 4).length);
    expect(Math.max(...sizes) - Math.min(...sizes)).toBeLessThanOrEqual(1);
  });

  it("reads i/n and refuses what is not a shard", () => {
    expect(parseShard("2/4")).toEqual({ index: 2, count: 4 });
    for (const bad of ["0/4", "5/4", "1/0", "2", "a/b", "-1/2"])
      expect(() => parseShard(bad)).toThrow(ShardError);
  });

  it("leaves out items that have a run when resuming", () => {
    const suite: SuiteRecord = {
      schemaVersion: SUITE_SCHEMA_VERSION,
      id: "s",
      name: "S",
      createdAt: "2026-12-01T00:00:00.000Z",
      spec: { ...spec, tasks: ["a"], trials: 1 },
      runs: { "a|oracle/reference|1": "r1" },
    };
    expect(pendingItems(suite).map(itemKey)).toEqual(["a|openai/gpt-x|1"]);
  });
});

describe("agent setups", () => {
  const model = { provider: "openai", model: "o4-mini" };

  it("keys a setup readably, and as provider/model alone without policy or effort", () => {
    expect(agentKey(model)).toBe("openai/o4-mini");
    expect(agentKey({ ...model, policy: { preset: "read-only" } })).toBe(
      "openai/o4-mini · read-only",
    );
    expect(
      agentKey({
        ...model,
        effort: "high",
        policy: { preset: "no-destructive", allow: ["rm /tmp/*"], deny: ["kill *", "reboot"] },
      }),
    ).toBe("openai/o4-mini · effort high · no-destructive allow[rm /tmp/*] deny[kill *; reboot]");
  });

  it("tells apart policies that differ only in their rules", () => {
    const a = {
      ...model,
      policy: { preset: "read-only" as const, allow: ["systemctl restart *"] },
    };
    const b = { ...model, policy: { preset: "read-only" as const, deny: ["systemctl restart *"] } };
    expect(agentKey(a)).not.toBe(agentKey(b));
  });

  it("normalises: no policy for preset none without rules, no effort for the oracle", () => {
    expect(normalSetup({ ...model, policy: { preset: "none", deny: [] } })).toEqual(model);
    expect(normalSetup({ ...model, policy: { preset: "none", deny: ["rm *"] } })).toEqual({
      ...model,
      policy: { preset: "none", deny: ["rm *"] },
    });
    expect(normalSetup({ ...ORACLE_AGENT, effort: "low" })).toEqual(ORACLE_AGENT);
  });

  it("crosses models with efforts and policies, model by model, each setup once", () => {
    const setups = crossSetups(
      [model, { provider: "openai", model: "gpt-x" }],
      [undefined, { preset: "read-only" }, { preset: "none" }],
      [undefined, "high"],
    );
    expect(setups.map(agentKey)).toEqual([
      "openai/o4-mini",
      "openai/o4-mini · read-only",
      "openai/o4-mini · effort high",
      "openai/o4-mini · effort high · read-only",
      "openai/gpt-x",
      "openai/gpt-x · read-only",
      "openai/gpt-x · effort high",
      "openai/gpt-x · effort high · read-only",
    ]);
    const items = suiteItems({ tasks: ["t"], agents: setups, trials: 2 });
    expect(new Set(items.map(itemKey)).size).toBe(16);
  });
});

describe("restoreSuite", () => {
  const v2Agent = (extra: object) => ({
    ...good,
    schemaVersion: 2,
    spec: { ...spec, agents: [{ provider: "p", model: "m", ...extra }] },
  });
  const good = {
    schemaVersion: 1,
    id: "s1",
    name: "nightly",
    createdAt: "2026-12-01T00:00:00.000Z",
    spec,
    runs: { "a|oracle/reference|1": "r1" },
  };

  it("reads a version-1 suite as setups without policy or effort, its items' keys as they were", () => {
    const suite = restoreSuite(good);
    expect(suite).toEqual({ ...good, schemaVersion: SUITE_SCHEMA_VERSION });
    expect(suite.spec).not.toBe(good.spec);
    expect(suite.spec.agents.every((a) => !("policy" in a) && !("effort" in a))).toBe(true);
    expect(pendingItems({ ...suite, spec: { ...suite.spec, tasks: ["a"] } })).toHaveLength(5);
    expect(suite.runs["a|oracle/reference|1"]).toBe("r1");
  });

  it("ignores what a version-1 agent held beyond provider and model", () => {
    const odd = {
      ...good,
      spec: { ...spec, agents: [{ provider: "p", model: "m", policy: "whatever", effort: 7 }] },
    };
    expect(restoreSuite(odd).spec.agents).toEqual([{ provider: "p", model: "m" }]);
  });

  it("keeps a version-2 suite's setups: policies with rules, efforts, the oracle under a policy", () => {
    const v2 = {
      ...good,
      schemaVersion: 2,
      spec: {
        ...spec,
        agents: [
          { ...ORACLE_AGENT, policy: { preset: "read-only" } },
          { provider: "openai", model: "o4-mini", effort: "high" },
          {
            provider: "openai",
            model: "o4-mini",
            effort: "high",
            policy: { preset: "no-destructive", deny: ["systemctl stop *"] },
          },
        ],
      },
    };
    const suite = restoreSuite(v2);
    expect(suite.spec.agents).toEqual(v2.spec.agents);
    expect(restoreSuite(JSON.parse(JSON.stringify(suite)))).toEqual(suite);
  });

  it("stores a policy of preset none without rules as no policy", () => {
    const v2 = {
      ...good,
      schemaVersion: 2,
      spec: {
        ...spec,
        agents: [{ provider: "p", model: "m", policy: { preset: "none", allow: [] } }],
      },
    };
    expect(restoreSuite(v2).spec.agents).toEqual([{ provider: "p", model: "m" }]);
  });

  it("reads a good suite and copies it", () => {
    const v2 = { ...good, schemaVersion: 2 };
    const suite = restoreSuite(v2);
    expect(suite).toEqual(v2);
    expect(suite.spec).not.toBe(v2.spec);
  });

  it("refuses damaged or newer suites with a reason", () => {
    const cases: [unknown, string][] = [
      [null, "not an object"],
      [{ ...good, schemaVersion: 99 }, "newer"],
      [{ ...good, id: "" }, "no id"],
      [{ ...good, createdAt: "yesterday" }, "no createdAt"],
      [{ ...good, spec: { ...spec, trials: 0 } }, "spec"],
      [{ ...good, spec: { ...spec, agents: [{ provider: 1 }] } }, "spec"],
      [{ ...good, runs: { x: 3 } }, "runs"],
      [v2Agent({ policy: { preset: "admin" } }), "spec"],
      [v2Agent({ policy: { preset: "read-only", allow: ["ls | wc"] } }), "spec"],
      [v2Agent({ policy: { preset: "read-only", deny: "rm *" } }), "spec"],
      [v2Agent({ effort: "max" }), "spec"],
      [
        { ...good, schemaVersion: 2, spec: { ...spec, agents: [ORACLE_AGENT, ORACLE_AGENT] } },
        "twice",
      ],
    ];
    for (const [raw, reason] of cases) {
      expect(() => restoreSuite(raw)).toThrow(SuiteFormatError);
      expect(() => restoreSuite(raw)).toThrow(reason);
    }
  });
});
