// Unit tests of the audit replay: the replayed history ends where the cloud is, and shows each step between.
import { describe, expect, it } from "vitest";
import { makeCloud, ok } from "../fixture";
import { replayAudit } from ".";

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
