// batch-least-privilege's grader, host-side: the batch account and the role its report scaler switches to may make
// every call their jobs make and change nothing else; the jobs' last runs (the grader's) went through as
// them; the canary's record lives in shop.example; the rest of DNS and the retired job's targets are untouched.
import { cloudChecks, isReadOnly, unchanged, type Principal } from "../../../../src/cloud/queries";

const USER: Principal = "user/batch";
const ROLE: Principal = "role/reports-scaler";
/** Resources that do not exist yet: a right on them shows how far a policy reaches. */
const FUTURE = [
  "volume/vol-0new",
  "snapshot/snap-0new",
  "instance/i-0new",
  "deployment/new-service",
  "dns-zone/new.example",
  "role/admin",
  "user/new",
  "policy/new",
  "security-group/sg-0new",
  "load-balancer/new",
  "target-group/new",
];

export default cloudChecks(({ cloud, initial, check }) => {
  const dbVolume = initial.volumeIdNamed("shop-db-data");
  const zoneId = initial.state.dnsZones.find((z) => z.name === "shop.example.")!.id;
  const shopZone = ["dns-zone/shop.example", "dns-zone/shop.example.", `dns-zone/${zoneId}`];

  /** What each principal may change, and on what (globs): the calls its jobs make, nothing more. */
  const changes: Record<Principal, Record<string, string[]>> = {
    [USER]: {
      "storage:CreateSnapshot": ["volume/shop-db-data", `volume/${dbVolume}`],
      "storage:DeleteSnapshot": ["snapshot/*"],
      "dns:ChangeResourceRecordSets": shopZone,
      "iam:AssumeRole": ["role/reports-scaler"],
    },
    [ROLE]: { "deploy:ScaleDeployment": ["deployment/reports-worker"] },
  };
  const kind = (resource: string) => resource.split("/", 1)[0];
  const glob = (pattern: string, value: string) =>
    pattern.endsWith("/*") ? value.startsWith(pattern.slice(0, -1)) : pattern === value;

  // The jobs' calls, as they make them (read calls included), must all be allowed.
  const oldSnapshots = initial.snapshotsOf(dbVolume).map((s) => `snapshot/${s.id}`);
  const calls: [Principal, string, string[]][] = [
    [USER, "storage:CreateSnapshot", ["volume/shop-db-data"]],
    [USER, "storage:DescribeSnapshots", ["snapshot/*"]],
    [USER, "storage:DeleteSnapshot", oldSnapshots],
    [USER, "dns:TestDNSAnswer", ["dns-zone/*"]],
    [USER, "quotas:ListQuotas", ["quota/*"]],
    [USER, "compute:DescribeInstances", ["instance/*"]],
    [USER, "iam:AssumeRole", ["role/reports-scaler"]],
    [ROLE, "deploy:DescribeDeployment", ["deployment/reports-worker"]],
    [ROLE, "deploy:ScaleDeployment", ["deployment/reports-worker"]],
  ];
  const refused = calls.flatMap(([who, action, resources]) =>
    resources
      .filter((r) => cloud.simulate(who, action, r).decision !== "allowed")
      .map((r) => `${who} ${action} on ${r}`),
  );
  const canaryZone = shopZone.some(
    (r) => cloud.simulate(USER, "dns:ChangeResourceRecordSets", r).decision === "allowed",
  );
  check(
    refused.length === 0 && canaryZone,
    "the batch account and its reports-scaler role may make every call the jobs make",
    `the jobs would be refused: ${[...refused, ...(canaryZone ? [] : ["dns:ChangeResourceRecordSets on shop.example"])].slice(0, 5).join(", ")}`,
  );

  for (const who of [USER, ROLE]) {
    const allowed = changes[who]!;
    const excess = cloud
      .grants(who, FUTURE)
      .filter((g) => !isReadOnly(g.action))
      .filter((g) => {
        const resources = allowed[g.action];
        if (!resources) return true;
        // A right on another kind of resource is never checked (DeleteSnapshot on "*" reaches snapshots only).
        return (
          kind(g.resource) === kind(resources[0]!) && !resources.some((p) => glob(p, g.resource))
        );
      });
    const byAction = new Map<string, string[]>();
    for (const g of excess) byAction.set(g.action, [...(byAction.get(g.action) ?? []), g.resource]);
    const shown = [...byAction].map(
      ([a, r]) => `${a} on ${r.length > 2 ? `${r[0]} and ${r.length - 1} more` : r.join(", ")}`,
    );
    check(
      excess.length === 0,
      `${who} may change nothing beyond what its jobs change`,
      `${who} may also: ${shown.slice(0, 5).join("; ")}${shown.length > 5 ? `; … (${shown.length} actions)` : ""}`,
    );
  }

  // The grader ran each job last: their calls went through as the batch account and its role.
  const last = (action: string, resource: string) =>
    cloud.audit({ action, resource, outcome: "ok" }).at(-1)?.principal;
  const ran: [string, string | undefined, Principal][] = [
    ["the snapshot", last("CreateSnapshot", "volume/shop-db-data"), USER],
    ["the scaling", last("ScaleDeployment", "deployment/reports-worker"), ROLE],
  ];
  const wrong = ran.filter(([, by, want]) => by !== want);
  check(
    wrong.length === 0,
    "the jobs' snapshot and scaling were made as the batch account and its reports-scaler role",
    wrong
      .map(([what, by, want]) => `${what} was last made by ${by ?? "nobody"}, not ${want}`)
      .join("; "),
  );
  const snap = cloud
    .snapshotsOf(dbVolume)
    .filter((s) => s.startedAtMs >= initial.nowMs && s.state === "completed");
  const workers = cloud.deployment("reports-worker");
  check(
    snap.length > 0 && workers?.replicas === 2 && workers.rolledOut,
    "shop-db-data has a new completed snapshot, and reports-worker is back at its daytime 2 replicas",
    `new snapshots of shop-db-data: ${snap.length}; reports-worker: ${workers ? `${workers.ready}/${workers.replicas}` : "gone"}`,
  );

  const canary = cloud.resolve("canary.ops.shop.example", "TXT");
  const canaryRecord = cloud.state.dnsZones
    .find((z) => z.id === zoneId)
    ?.records.find((r) => r.name === "canary.ops.shop.example." && r.type === "TXT");
  check(
    canary.answers.length === 1 && canaryRecord?.servedValues?.[0] === canary.answers[0],
    "canary.ops.shop.example is served from the shop.example zone",
    `canary.ops.shop.example answers ${canary.answers.join(",") || "nothing"} (${canaryRecord ? "in" : "not in"} shop.example)`,
  );

  // What resolved before still resolves the same (a new zone for ops.shop.example would hide its records).
  const names: [string, "A" | "MX"][] = [
    ["bastion.ops.shop.example", "A"],
    ["status.ops.shop.example", "A"],
    ["www.shop.example", "A"],
    ["shop.example", "MX"],
    ["vpn.corp.example", "A"],
    ["corp.example", "MX"],
  ];
  const moved = names.filter(
    ([name, type]) =>
      !unchanged(initial.resolve(name, type).answers, cloud.resolve(name, type).answers),
  );
  check(
    moved.length === 0 && cloud.state.dnsZones.length === initial.state.dnsZones.length,
    "every other name resolves as before, and no zone was added or removed",
    `changed: ${moved.map(([n, t]) => `${n} ${t}`).join(", ") || "the zones"}`,
  );

  // The retired reaper's targets: nothing was terminated.
  const runners = ["ci-runner-3", "ci-runner-4"].map((n) =>
    cloud.instance(initial.instanceIdNamed(n)),
  );
  check(
    runners.every((r) => r?.state === "stopped"),
    "the stopped CI runners are still there (the retired reaper did not run)",
    `CI runners: ${runners.map((r) => r?.state ?? "gone").join(", ")}`,
  );
});
