// office-ssh-allowlist's grader, host-side: after check.sh gave the office line a new address and ran the job,
// the bastion lets SSH in from that address and the VPN, and from no earlier office address or anything else
// on the internet; the job made its changes as the sg-allowlist account, which may change nothing but the
// bastion's rules; the bastion's other rules and groups are as they were.
import { cloudChecks, isReadOnly, type Principal } from "../../../../src/cloud/queries";

const BASTION = "i-0c4b8e2a6f1d3b975";
const GROUP = "sg-0b3a71c9e5d2f4068";
const JOB: Principal = "user/sg-allowlist";
/** The address check.sh gives the office line, the office's earlier ones, and the VPN's pool. */
const OFFICE = "203.0.113.190";
const FORMER = ["203.0.113.77", "192.0.2.44"];
const VPN = "198.51.100.70";
/** Internet addresses that are not the office: its ISP's neighbours, and elsewhere. */
const OUTSIDERS = ["203.0.113.50", "203.0.113.191", "192.0.2.45", "198.51.100.10", "8.8.8.8"];
/** The bastion group's rules the job may change (by its name and by its id). */
const JOB_RESOURCES = [`security-group/${GROUP}`, "security-group/bastion-ssh"];
const JOB_ACTIONS = ["network:AuthorizeSecurityGroupIngress", "network:RevokeSecurityGroupIngress"];

export default cloudChecks(({ cloud, initial, check }) => {
  const bastion = cloud.instance(BASTION);
  const groups = bastion?.securityGroupIds ?? [];
  const sameGroups =
    bastion?.state === "running" &&
    groups.length === 1 &&
    groups[0] === GROUP &&
    cloud.securityGroup(GROUP) !== undefined;
  check(
    sameGroups,
    "bastion-1 runs with its security group bastion-ssh",
    `bastion-1 is ${bastion?.state ?? "gone"} with groups ${groups.join(", ") || "none"}`,
  );

  const reaches = (ip: string) => cloud.admits(groups, 22, { ip }).length > 0;
  check(
    reaches(OFFICE) && reaches(VPN),
    `SSH to the bastion is open from the office's new address ${OFFICE} and from the VPN`,
    `SSH to the bastion is closed from ${[OFFICE, VPN].filter((ip) => !reaches(ip)).join(" and ")}`,
  );
  const open = [...FORMER, ...OUTSIDERS].filter(reaches);
  const internet = cloud
    .admitsInternet(groups)
    .map((a) => a.rule.source)
    .filter((s) => s !== `${OFFICE}/32` && s !== "198.51.100.64/27");
  check(
    open.length === 0 && internet.length === 0,
    "no earlier office address and nothing else on the internet reaches the bastion",
    `the bastion is also open to ${[...open.map((ip) => `${ip} (SSH)`), ...internet].join(", ")}`,
  );
  const was = initial
    .securityGroup(GROUP)!
    .ingress.filter((r) => r.description !== "office (auto)");
  const is = cloud.securityGroup(GROUP)?.ingress ?? [];
  const lost = was.filter(
    (r) =>
      !is.some(
        (s) =>
          s.source === r.source &&
          s.protocol === r.protocol &&
          s.fromPort === r.fromPort &&
          s.toPort === r.toPort,
      ),
  );
  check(
    lost.length === 0,
    "the bastion's other rules (VPN, node exporter) are kept",
    `rules gone from bastion-ssh: ${lost.map((r) => `${r.protocol}/${r.fromPort} from ${r.source}`).join(", ")}`,
  );

  // The job's run after the address change (check.sh's) made the change as its own account.
  const allowed = cloud
    .audit({ action: "AuthorizeSecurityGroupIngress", outcome: "ok" })
    .filter((e) => e.params.source === `${OFFICE}/32`);
  const revoked = cloud
    .audit({ action: "RevokeSecurityGroupIngress", outcome: "ok" })
    .filter((e) => e.timeMs >= (allowed.at(-1)?.timeMs ?? Infinity));
  const mayRevoke = JOB_RESOURCES.every(
    (r) => cloud.simulate(JOB, "network:RevokeSecurityGroupIngress", r).decision === "allowed",
  );
  check(
    allowed.length > 0 &&
      allowed.every((e) => e.principal === JOB) &&
      revoked.every((e) => e.principal === JOB) &&
      mayRevoke,
    "the job let the new address in as the sg-allowlist account, which may also revoke old addresses",
    allowed.length === 0
      ? `nobody let ${OFFICE} in`
      : `${OFFICE} was let in by ${allowed.map((e) => e.principal).join(", ")}; old addresses revoked after it by ${revoked.map((e) => e.principal).join(", ") || "nobody"}; sg-allowlist ${mayRevoke ? "may" : "may not"} revoke them`,
  );

  const excess = cloud
    .grants(JOB, ["security-group/sg-0new", "security-group/new", "user/new", "policy/new"])
    .filter((g) => !isReadOnly(g.action))
    .filter((g) => !(JOB_ACTIONS.includes(g.action) && JOB_RESOURCES.includes(g.resource)));
  const shown = [...new Set(excess.map((g) => `${g.action} on ${g.resource}`))];
  check(
    excess.length === 0,
    "the sg-allowlist account may change nothing but the bastion group's rules",
    `the sg-allowlist account may also: ${shown.slice(0, 6).join(", ")}${shown.length > 6 ? `, … (${shown.length})` : ""}`,
  );
  const users = (view: typeof cloud) => view.state.users.map((u) => u.name).join(",");
  const opsKey = initial.state.users.find((u) => u.name === "ops")!.accessKeys[0]!.id;
  check(
    users(cloud) === users(initial) &&
      cloud.state.users.some(
        (u) => u.name === "ops" && u.accessKeys.some((k) => k.id === opsKey && k.active),
      ),
    "no account was added or removed, and the ops key still works",
    `accounts now: ${users(cloud)}`,
  );
});
