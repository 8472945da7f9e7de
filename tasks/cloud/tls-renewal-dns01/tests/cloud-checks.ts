// tls-renewal-dns01's grader, host-side: the certbot account may publish challenges in corp.example and change
// nothing else; the grader's renewal published and cleaned up its challenge as certbot; both zones answer as before.
import { cloudChecks, isReadOnly, unchanged, type Principal } from "../../../../src/cloud/queries";

const CERTBOT: Principal = "user/certbot";
const CHALLENGE = "_acme-challenge.intranet.corp.example.";
/** Zones and resources that do not exist yet: a right on them shows how far a policy reaches. */
const FUTURE = [
  "dns-zone/new.example",
  "dns-zone/Z0NEWZONE",
  "user/new",
  "role/admin",
  "policy/new",
];

export default cloudChecks(({ cloud, initial, check }) => {
  const corp = initial.state.dnsZones.find((z) => z.name === "corp.example.")!;
  const corpForms = ["dns-zone/corp.example", "dns-zone/corp.example.", `dns-zone/${corp.id}`];

  check(
    corpForms.some(
      (r) => cloud.simulate(CERTBOT, "dns:ChangeResourceRecordSets", r).decision === "allowed",
    ) && cloud.simulate(CERTBOT, "dns:TestDNSAnswer", "dns-zone/*").decision === "allowed",
    "the certbot account may publish challenges in corp.example and check them",
    "the certbot account may not change corp.example's records (or resolve names)",
  );

  const excess = cloud
    .grants(CERTBOT, FUTURE)
    .filter((g) => !isReadOnly(g.action))
    .filter(
      (g) =>
        !(
          g.action === "dns:ChangeResourceRecordSets" &&
          (corpForms.includes(g.resource) || !g.resource.startsWith("dns-zone/"))
        ),
    );
  const shown = [...new Set(excess.map((g) => `${g.action} on ${g.resource}`))];
  check(
    excess.length === 0,
    "the certbot account may change nothing but corp.example's records",
    `the certbot account may also: ${shown.slice(0, 6).join(", ")}${shown.length > 6 ? `, … (${shown.length})` : ""}`,
  );

  // The grader's renewal ran last: its challenge went in and out as certbot.
  const challenge = cloud
    .audit({ outcome: "ok" })
    .filter(
      (e) =>
        (e.action === "UpsertRecord" || e.action === "DeleteRecord") &&
        `${String(e.params.name).toLowerCase().replace(/\.?$/, ".")}` === CHALLENGE,
    );
  const lastUpsert = challenge.filter((e) => e.action === "UpsertRecord").at(-1);
  check(
    lastUpsert?.principal === CERTBOT && challenge.at(-1)?.action === "DeleteRecord",
    "the last renewal published its challenge as the certbot account and removed it again",
    `the last challenge was published by ${lastUpsert?.principal ?? "nobody"}${challenge.at(-1)?.action === "DeleteRecord" ? "" : " and not removed"}`,
  );
  const left = cloud.state.dnsZones.flatMap((z) =>
    z.records.filter((r) => r.name === CHALLENGE && r.values !== null),
  );
  check(
    left.length === 0,
    "no challenge record is left in DNS",
    "a challenge record is left in DNS",
  );

  // Every name of both zones answers as before; no zone was added or removed.
  const names: [string, "A" | "MX" | "TXT"][] = [
    ["intranet.corp.example", "A"],
    ["wiki.corp.example", "A"],
    ["vpn.corp.example", "A"],
    ["corp.example", "MX"],
    ["corp.example", "TXT"],
    ["www.shop.example", "A"],
    ["shop.example", "MX"],
  ];
  const moved = names.filter(
    ([name, type]) =>
      !unchanged(initial.resolve(name, type).answers, cloud.resolve(name, type).answers),
  );
  check(
    moved.length === 0 &&
      unchanged(
        initial.state.dnsZones.map((z) => z.id),
        cloud.state.dnsZones.map((z) => z.id),
      ),
    "every other name resolves as before, and the zones are the same",
    `changed: ${moved.map(([n, t]) => `${n} ${t}`).join(", ") || "the zones"}`,
  );
});
