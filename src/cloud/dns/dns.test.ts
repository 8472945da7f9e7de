// Unit tests of DNS propagation.
import { describe, expect, it } from "vitest";
import { fails, makeCloud, ok } from "../core/fixture";
import { DNS_PROPAGATION_MS } from "../core/model";

type Obj = Record<string, unknown>;

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
