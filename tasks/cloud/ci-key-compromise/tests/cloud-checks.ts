// ci-key-compromise's grader, host-side: what the intruder made with the ci account's key (files/root/SEC-IR-412) is
// shut: no key of ci or of the account it made works, its machines are stopped (not terminated), its rule is
// gone; everything else (rules, machines, accounts, policies) is as it was.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

/** What the intruder made (see files/root/SEC-IR-412/api-activity.jsonl): an account, machines, a rule. */
const ACCOUNT = "svc-backup";
const MACHINES = ["i-0f83a2c6e1d94b517", "i-06d1e9b4a7c25f038"];
const RULE = { group: "sg-0c1e7a5d3f9b2e846", protocol: "tcp", fromPort: 22, source: "0.0.0.0/0" };

export default cloudChecks(({ cloud, initial, check }) => {
  const user = (view: typeof cloud, name: string) => view.state.users.find((u) => u.name === name);
  const activeKeys = (view: typeof cloud, name: string) =>
    user(view, name)?.accessKeys.filter((k) => k.active) ?? [];

  check(
    activeKeys(cloud, "ci").length === 0,
    "no access key of the ci account works",
    `the ci account's key ${activeKeys(cloud, "ci")
      .map((k) => k.id)
      .join(", ")} still works`,
  );
  const keys = activeKeys(cloud, ACCOUNT);
  check(
    user(cloud, ACCOUNT) === undefined || keys.length === 0,
    `no key of the account the intruder made (${ACCOUNT}) works`,
    `${ACCOUNT}'s key ${keys.map((k) => k.id).join(", ")} still works`,
  );

  const theirs = MACHINES.map((id) => cloud.instance(id));
  check(
    theirs.every((i) => i?.state === "stopped"),
    "the intruder's machines are powered off and kept for forensics",
    `the intruder's machines: ${theirs.map((i, k) => `${i?.tags.Name ?? MACHINES[k]} ${i?.state ?? "gone"}`).join(", ")}`,
  );
  const ours = initial.state.instances
    .filter((i) => !MACHINES.includes(i.id))
    .filter((i) => {
      const is = cloud.instance(i.id);
      return !is || is.state !== "running" || !unchanged(i.securityGroupIds, is.securityGroupIds);
    });
  check(
    ours.length === 0,
    "our own machines (the shop, the build caches, the bastion) run as before",
    `changed: ${ours.map((i) => i.tags.Name ?? i.id).join(", ")}`,
  );

  // Before the intrusion: as the task began, without the intruder's rule.
  const before = initial.state.securityGroups.map((g) => ({
    ...g,
    ingress: g.ingress.filter(
      (r) =>
        !(
          g.id === RULE.group &&
          r.protocol === RULE.protocol &&
          r.fromPort === RULE.fromPort &&
          r.source === RULE.source
        ),
    ),
  }));
  const rules = before.filter((g) => !unchanged(g.ingress, cloud.securityGroup(g.id)?.ingress));
  check(
    rules.length === 0,
    "every security group lets in exactly what it did before the intrusion",
    `changed: ${rules
      .map((g) => {
        const now = cloud.securityGroup(g.id)?.ingress ?? [];
        const extra = now.filter((r) => !g.ingress.some((s) => unchanged(s, r)));
        const lost = g.ingress.filter((r) => !now.some((s) => unchanged(s, r)));
        return `${g.name}${extra.length ? ` lets in ${extra.map((r) => `${r.protocol}/${r.fromPort} from ${r.source}`).join(", ")}` : ""}${lost.length ? ` lost ${lost.map((r) => `${r.protocol}/${r.fromPort} from ${r.source}`).join(", ")}` : ""}`;
      })
      .join("; ")}`,
  );

  const kept = initial.state.users
    .filter((u) => u.name !== "ci" && u.name !== ACCOUNT)
    .filter((u) => !unchanged(u, user(cloud, u.name)))
    .map((u) => u.name);
  const ci = user(cloud, "ci");
  const policies = initial.state.policies
    .filter((p) => !unchanged(p, cloud.policy(p.name)))
    .map((p) => `policy ${p.name}`);
  check(
    kept.length === 0 &&
      ci !== undefined &&
      unchanged(ci.policies, user(initial, "ci")!.policies) &&
      policies.length === 0,
    "the ops, backups and break-glass accounts, the ci account's permissions and every policy are as they were",
    `changed: ${[...kept, ...(ci && unchanged(ci.policies, user(initial, "ci")!.policies) ? [] : ["ci's policies"]), ...policies].join(", ")}`,
  );
});
