// invoice-mail-spf's grader, host-side: receivers' SPF checks, evaluated on what the zone serves (RFC 7208: ip4, a,
// mx, include, redirect, all; at most 10 lookups): the new relay passes for both sender domains, the
// newsletter service and the office gateway still pass, the released address and everyone else fail hard.
import { cloudChecks, unchanged, type CloudView } from "../../../../src/cloud/queries";

type Result = "pass" | "fail" | "softfail" | "neutral" | "none" | "permerror";

function ipNumber(ip: string): number | undefined {
  const parts = ip.split(".");
  if (parts.length !== 4 || parts.some((p) => !/^\d{1,3}$/.test(p) || Number(p) > 255))
    return undefined;
  return parts.reduce((n, p) => n * 256 + Number(p), 0);
}
function inRange(ip: string, cidr: string): boolean | undefined {
  const [base = "", bits = "32"] = cidr.split("/");
  const b = ipNumber(base);
  const len = Number(bits);
  if (b === undefined || !/^\d{1,2}$/.test(bits) || len > 32) return undefined;
  const size = 2 ** (32 - len);
  return Math.floor(ipNumber(ip)! / size) === Math.floor(b / size);
}

/** check_host() of RFC 7208 for an IPv4 client, on the zone's served records. */
function checkHost(cloud: CloudView, ip: string, domain: string): Result {
  let lookups = 0;
  const host = (name: string): Result => {
    const records = cloud
      .resolve(name, "TXT")
      .answers.map((v) => v.replace(/^"|"$/g, "").trim())
      .filter((v) => /^v=spf1( |$)/i.test(v));
    if (records.length === 0) return "none";
    if (records.length > 1) return "permerror";
    const terms = records[0]!.split(/\s+/).slice(1).filter(Boolean);
    let redirect: string | undefined;
    for (const term of terms) {
      const modifier = /^([a-z][a-z0-9_.-]*)=(.*)$/i.exec(term);
      if (modifier) {
        if (modifier[1]!.toLowerCase() === "redirect") redirect = modifier[2];
        continue;
      }
      const m = /^([+\-~?]?)([a-z0-9]+)(?::([^/]*))?(\/\d+)?$/i.exec(term);
      if (!m) return "permerror";
      const qualifier = ({ "+": "pass", "-": "fail", "~": "softfail", "?": "neutral" } as const)[
        (m[1] || "+") as "+"
      ];
      const mechanism = m[2]!.toLowerCase();
      const arg = m[3];
      const cidr = m[4] ?? "/32";
      let matched: boolean;
      if (mechanism === "all") matched = true;
      else if (mechanism === "ip4") {
        const hit = arg === undefined ? undefined : inRange(ip, `${arg}${m[4] ?? "/32"}`);
        if (hit === undefined) return "permerror";
        matched = hit;
      } else if (mechanism === "a" || mechanism === "mx") {
        if (++lookups > 10) return "permerror";
        const target = arg || name;
        const hosts =
          mechanism === "a"
            ? [target]
            : cloud.resolve(target, "MX").answers.map((v) => v.split(/\s+/).at(-1)!);
        matched = hosts.some((h) =>
          cloud.resolve(h, "A").answers.some((a) => inRange(ip, `${a}${cidr}`) === true),
        );
      } else if (mechanism === "include") {
        if (!arg || ++lookups > 10) return "permerror";
        const inner = host(arg);
        if (inner === "permerror" || inner === "none") return "permerror";
        matched = inner === "pass";
      } else if (mechanism === "ip6" || mechanism === "exists" || mechanism === "ptr") {
        matched = false;
      } else return "permerror";
      if (matched) return qualifier;
    }
    if (redirect) {
      if (++lookups > 10) return "permerror";
      const inner = host(redirect);
      return inner === "none" ? "permerror" : inner;
    }
    return "neutral";
  };
  return host(domain);
}

export default cloudChecks(({ cloud, initial, check }) => {
  const relay = cloud.instance(initial.instanceIdNamed("mail-2"));
  const relayIp = initial.instance(initial.instanceIdNamed("mail-2"))!.publicIp!;
  const domains = ["billing.shop.example", "shop.example"];
  const verdicts = (ip: string) => domains.map((d) => `${d}: ${checkHost(cloud, ip, d)}`);
  const all = (ip: string, want: Result, on = domains) =>
    on.every((d) => checkHost(cloud, ip, d) === want);

  check(
    relay?.state === "running" && relay.publicIp === relayIp,
    `the relay mail-2 runs with its public address ${relayIp}`,
    `mail-2 is ${relay?.state ?? "gone"} (public address ${relay?.publicIp ?? "none"})`,
  );
  check(
    all(relayIp, "pass"),
    `mail from the relay mail-2 (${relayIp}) passes SPF as billing.shop.example and shop.example`,
    `SPF for the relay mail-2 (${relayIp}): ${verdicts(relayIp).join(", ")}`,
  );
  const newsletter = "203.0.113.70";
  check(
    all(newsletter, "pass", ["shop.example"]),
    `mail from the newsletter service (${newsletter}) still passes SPF as shop.example`,
    `SPF for the newsletter service (${newsletter}) as shop.example: ${checkHost(cloud, newsletter, "shop.example")}`,
  );
  const office = "192.0.2.40";
  check(
    all(office, "pass"),
    `mail from the office gateway (${office}) still passes SPF for both domains`,
    `SPF for the office gateway (${office}): ${verdicts(office).join(", ")}`,
  );
  const released = "198.51.100.25";
  check(
    all(released, "fail"),
    `mail from mail-1's released address (${released}) fails SPF for both domains`,
    `SPF for mail-1's released address (${released}): ${verdicts(released).join(", ")}`,
  );
  const strangers = [
    "198.51.100.99",
    "198.51.100.14",
    initial.instance(initial.instanceIdNamed("bastion"))!.publicIp!,
    "203.0.113.200",
    "192.0.2.41",
    "8.8.8.8",
  ];
  const soft = strangers.flatMap((ip) =>
    domains
      .filter((d) => checkHost(cloud, ip, d) !== "fail")
      .map((d) => `${ip} as ${d}: ${checkHost(cloud, ip, d)}`),
  );
  check(
    soft.length === 0,
    "mail from any other address fails SPF hard for both domains",
    `not a hard fail: ${soft.slice(0, 4).join(", ")}`,
  );

  const token = initial
    .resolve("shop.example", "TXT")
    .answers.find((v) => v.startsWith("google-site"))!;
  const names: [string, "A" | "MX" | "TXT"][] = [
    ["shop.example", "MX"],
    ["billing.shop.example", "MX"],
    ["_dmarc.shop.example", "TXT"],
    ["www.shop.example", "A"],
    ["mail.shop.example", "A"],
  ];
  const moved = names.filter(
    ([name, type]) =>
      !unchanged(initial.resolve(name, type).answers, cloud.resolve(name, type).answers),
  );
  check(
    moved.length === 0 && cloud.resolve("shop.example", "TXT").answers.includes(token),
    "the domain's other records answer as before, and its site verification token is kept",
    `changed: ${[...moved.map(([n, t]) => `${n} ${t}`), ...(cloud.resolve("shop.example", "TXT").answers.includes(token) ? [] : ["the site verification TXT"])].join(", ")}`,
  );
});
