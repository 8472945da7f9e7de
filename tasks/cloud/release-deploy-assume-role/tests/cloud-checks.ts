// release-deploy-assume-role's grader, host-side: the runner (and nobody else) may switch to the deployer role,
// whose rights are unchanged, and its deploy went through as the role; Jenkins can deploy nothing, the runner
// and the preview runner gained no rights beyond the switch, the staging pipeline still works.
import { cloudChecks, isReadOnly, unchanged, type CloudView } from "../../../../src/cloud/queries";

/** Resources that do not exist yet: a right on them shows how far a policy reaches. */
const FUTURE = [
  "role/admin",
  "role/deployer-v2",
  "deployment/new-service",
  "user/new",
  "policy/new",
];

/** Whether a user may switch to a role: an active key, the role's trust, and iam:AssumeRole on it. */
function canAssume(cloud: CloudView, user: string, role: string): boolean {
  const u = cloud.state.users.find((x) => x.name === user);
  const r = cloud.state.roles.find((x) => x.name === role);
  return (
    u !== undefined &&
    r !== undefined &&
    u.accessKeys.some((k) => k.active) &&
    r.trustedUsers.includes(user) &&
    cloud.simulate(`user/${user}`, "iam:AssumeRole", `role/${role}`).decision === "allowed"
  );
}

export default cloudChecks(({ cloud, initial, check }) => {
  check(
    canAssume(cloud, "ci-runner", "deployer"),
    "ci-runner may switch to the deployer role",
    "ci-runner still may not switch to the deployer role (its trust and ci-runner's iam:AssumeRole on it)",
  );
  const others = cloud.state.users
    .map((u) => u.name)
    .filter((u) => u !== "ci-runner" && canAssume(cloud, u, "deployer"));
  check(
    others.length === 0,
    "no other account may switch to the deployer role",
    `these accounts may switch to the deployer role too: ${others.join(", ")}`,
  );

  const jenkinsRoles = cloud.state.roles
    .map((r) => r.name)
    .filter((r) => canAssume(cloud, "jenkins", r));
  const jenkinsKey = cloud.state.users
    .find((u) => u.name === "jenkins")
    ?.accessKeys.some((k) => k.active);
  const jenkinsDeploys = jenkinsKey
    ? cloud
        .grants("user/jenkins", FUTURE)
        .filter((g) => g.action.startsWith("deploy:") && !isReadOnly(g.action))
    : [];
  check(
    cloud.state.users.some((u) => u.name === "jenkins") &&
      jenkinsRoles.length === 0 &&
      jenkinsDeploys.length === 0,
    "the jenkins account is kept and can deploy nothing (no role to switch to, no deploy rights)",
    cloud.state.users.some((u) => u.name === "jenkins")
      ? `jenkins can still deploy: ${[...jenkinsRoles.map((r) => `switch to ${r}`), ...jenkinsDeploys.slice(0, 3).map((g) => `${g.action} on ${g.resource}`)].join(", ")}`
      : "the jenkins account was deleted (it is kept for the audit trail)",
  );

  const runnerGained = cloud
    .grantsGainedSince(initial, "user/ci-runner", FUTURE)
    .filter((g) => !(g.action === "iam:AssumeRole" && g.resource === "role/deployer"));
  check(
    runnerGained.length === 0,
    "ci-runner gained no right but switching to the deployer role",
    `ci-runner also gained: ${runnerGained
      .slice(0, 5)
      .map((g) => `${g.action} on ${g.resource}`)
      .join(", ")}`,
  );
  const previewGained = cloud.grantsGainedSince(initial, "user/ci-preview", FUTURE);
  check(
    previewGained.length === 0 && !canAssume(cloud, "ci-preview", "deployer"),
    "the preview runner gained nothing and cannot switch to the deployer role",
    `ci-preview gained: ${
      previewGained
        .slice(0, 5)
        .map((g) => `${g.action} on ${g.resource}`)
        .join(", ") || "the deployer role"
    }`,
  );
  const roleGained = ["deployer", "deployer-staging"].flatMap((r) =>
    cloud
      .grantsGainedSince(initial, `role/${r}`, FUTURE)
      .map((g) => `${r}: ${g.action} on ${g.resource}`),
  );
  const staging = ["ci-runner", "ci-preview"].filter(
    (u) => !canAssume(cloud, u, "deployer-staging"),
  );
  check(
    roleGained.length === 0 && staging.length === 0,
    "the deploy roles' rights are unchanged, and both runners may still switch to the staging role",
    `changed: ${[...roleGained.slice(0, 3), ...staging.map((u) => `${u} may no longer switch to deployer-staging`)].join(", ")}`,
  );

  const last = cloud
    .audit({ action: "UpdateDeploymentImage", resource: "deployment/shop-api", outcome: "ok" })
    .at(-1);
  const api = cloud.deployment("shop-api");
  check(
    last?.principal === "role/deployer" && api?.image === "shop/api:3.3.0" && api.rolledOut,
    "shop-api 3.3.0 is rolled out, deployed last through the deployer role",
    `shop-api: ${api ? `${api.image}, ${api.rollout}` : "gone"}; last deployed by ${last?.principal ?? "nobody"}`,
  );
  const untouched = ["shop-web", "staging-shop-api"].filter(
    (n) =>
      !unchanged(
        initial.deployment(n)?.deployment.revisions,
        cloud.deployment(n)?.deployment.revisions,
      ),
  );
  check(
    untouched.length === 0,
    "shop-web and staging are untouched",
    `changed: ${untouched.join(", ")}`,
  );
});
