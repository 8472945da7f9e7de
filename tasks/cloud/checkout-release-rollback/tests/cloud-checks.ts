// checkout-release-rollback's grader, host-side: checkout is rolled out, all replicas ready, on the template that
// last served in production (2.8.0 with Monday's payment endpoint: revision 3), with its history kept; the
// other deployments are untouched.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const before = initial.deployment("checkout")!;
  const served = before.deployment.revisions.find(
    (r) => r.revision === before.deployment.stableRevision,
  )!.template;
  const now = cloud.deployment("checkout");
  const template = now && {
    image: now.image,
    env: now.env,
    port: now.port,
    healthPath: now.healthPath,
  };

  check(
    now !== undefined &&
      now.rolledOut &&
      now.replicas === before.replicas &&
      now.ready === before.replicas,
    `checkout's rollout has finished: ${before.replicas} of ${before.replicas} replicas ready on the current revision`,
    now ? `checkout: ${now.ready}/${now.replicas} ready; ${now.rollout}` : "checkout is gone",
  );
  check(
    template !== undefined && template.image === served.image,
    `checkout runs ${served.image}, the last release that ran in production`,
    `checkout runs ${template?.image ?? "nothing"}, not ${served.image}`,
  );
  const diff = template
    ? [...new Set([...Object.keys(served.env), ...Object.keys(template.env)])].filter(
        (k) => served.env[k] !== template.env[k],
      )
    : [];
  check(
    template !== undefined &&
      diff.length === 0 &&
      template.port === served.port &&
      template.healthPath === served.healthPath,
    "checkout's environment and probe are exactly those it last served with (the new payment API included)",
    template
      ? `checkout's configuration differs from what served: ${[...diff.map((k) => `${k}=${template.env[k] ?? "(unset)"}`), ...(template.healthPath === served.healthPath ? [] : [`probe ${template.healthPath}`]), ...(template.port === served.port ? [] : [`port ${template.port}`])].join(", ")}`
      : "checkout is gone",
  );
  const kept = now?.deployment.revisions.slice(0, before.deployment.revisions.length) ?? [];
  check(
    unchanged(before.deployment.revisions, kept),
    "checkout's revision history is kept (not deleted and recreated)",
    "checkout was recreated: its earlier revisions are gone",
  );
  const others = ["cart", "search"].filter((name) => {
    const a = initial.deployment(name)!;
    const b = cloud.deployment(name);
    return (
      !b ||
      !b.rolledOut ||
      b.replicas !== a.replicas ||
      !unchanged(a.deployment.revisions, b.deployment.revisions)
    );
  });
  check(
    others.length === 0,
    "cart and search are untouched and fully rolled out",
    `changed: ${others.join(", ")}`,
  );
});
