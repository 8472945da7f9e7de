// Unit tests of the audit replay: the replayed history ends where the cloud is, and shows each step between;
// and the gaps it finds in what must serve at every step.
import { describe, expect, it } from "vitest";
import { makeCloud, ok } from "../core/fixture";
import type { CloudState } from "../core/model";
import { CloudView, replayAudit, replayGaps } from ".";

describe("replayAudit", () => {
  it("makes the successful calls again at their times and ends where the cloud is", () => {
    const plane = makeCloud();
    const initial = structuredClone(plane.state);
    ok(plane, "CreateSecurityGroup", { name: "admin", network: "main", description: "admin" });
    plane.advance(2_000);
    ok(plane, "AuthorizeSecurityGroupIngress", {
      group: "admin",
      protocol: "tcp",
      port: "8443",
      source: "203.0.113.0/24",
    });
    plane.advance(1_000);
    ok(plane, "UpsertRecord", {
      zone: "shop.example",
      name: "admin.shop.example",
      type: "A",
      values: ["10.0.1.9"],
    });
    plane.advance(10_000);
    const seen: string[] = [];
    const replay = replayAudit(initial, plane.state.audit, plane.state.nowMs, (step) => {
      const group = step.state.securityGroups.find((g) => g.name === "admin");
      seen.push(
        `${step.entry.action} ${group?.ingress.length ?? "-"} ${step.nextMs - step.entry.timeMs}`,
      );
    });
    expect(seen).toEqual([
      "CreateSecurityGroup 0 2000",
      "AuthorizeSecurityGroupIngress 1 1000",
      "UpsertRecord 1 10000",
    ]);
    expect(replay.failed).toEqual([]);
    expect({ ...replay.state, audit: [] }).toEqual({ ...plane.state, audit: [] });
  });

  it("skips failed calls, and reports a logged success that does not succeed again", () => {
    const plane = makeCloud();
    const initial = structuredClone(plane.state);
    ok(plane, "DeleteSecurityGroup", { group: "sg-spare" });
    // A refused call is in the log too, and is not replayed.
    plane.call({ credentials: undefined, action: "DeleteSecurityGroup", params: { group: "lb" } });
    const forged = { ...plane.state.audit[0]!, seq: 99 };
    const replay = replayAudit(initial, [...plane.state.audit, forged], plane.state.nowMs);
    expect(replay.failed.map((e) => e.seq)).toEqual([99]);
    expect(replay.state.securityGroups.map((g) => g.id)).toEqual(
      plane.state.securityGroups.map((g) => g.id),
    );
  });
});

describe("replayGaps", () => {
  /** What is wrong with the shop now: www.shop.example must resolve to its load balancer. */
  const problem = (state: CloudState) =>
    new CloudView(state).resolve("www.shop.example").loadBalancer
      ? null
      : "www.shop.example resolves to no load balancer";
  const point = (target: string) => ({
    zone: "shop.example",
    name: "www.shop.example",
    type: "CNAME",
    values: [target],
  });

  it("finds a gap right after a call, once it has propagated, and until the next call", () => {
    const plane = makeCloud();
    const initial = structuredClone(plane.state);
    ok(plane, "UpsertRecord", point("old-shop.example"));
    plane.advance(10_000);
    ok(plane, "UpsertRecord", point("shop-lb.eu-west-1.cloud.internal"));
    // The next call comes before the change back has propagated: no look once it has, and the same gap
    // as the first call's until the next one is given once.
    plane.advance(2_000);
    ok(plane, "CreateSecurityGroup", { name: "admin", network: "main", description: "admin" });
    plane.advance(10_000);
    const replay = replayGaps(initial, plane.state.audit, plane.state.nowMs, problem);
    expect(replay.failed).toEqual([]);
    expect(replay.gaps).toEqual([
      "once UpsertRecord dns-zone/shop.example had propagated: www.shop.example resolves to no load balancer",
      "after UpsertRecord dns-zone/shop.example, until the next call: www.shop.example resolves to no load balancer",
      "after UpsertRecord dns-zone/shop.example: www.shop.example resolves to no load balancer",
      "after CreateSecurityGroup security-group/*: www.shop.example resolves to no load balancer",
    ]);
    expect(replay.state.securityGroups.map((g) => g.name)).toContain("admin");
  });

  it("finds no gap in a change that serves throughout, and takes a list of problems", () => {
    const plane = makeCloud();
    const initial = structuredClone(plane.state);
    ok(plane, "CreateSecurityGroup", { name: "admin", network: "main", description: "admin" });
    plane.advance(1_000);
    ok(plane, "UpsertRecord", point("shop-lb.eu-west-1.cloud.internal"));
    plane.advance(10_000);
    const looked: number[] = [];
    const replay = replayGaps(initial, plane.state.audit, plane.state.nowMs, (state) => {
      looked.push(state.nowMs - initial.nowMs);
      return [problem(state)].filter((p) => p !== null);
    });
    expect(replay.gaps).toEqual([]);
    // After the first call and before the second (1 s later); after the second, 4 s on, and at the end.
    expect(looked).toEqual([0, 1_000, 1_000, 5_000, 11_000]);
  });
});
