// search-scale-quota's grader, host-side: search runs 8 ready replicas, scaled in place; every other production
// deployment kept its replicas, release and settings (the load test against staging may go).
import { cloudChecks, unchanged, type CloudView } from "../../../../src/cloud/queries";

/** Not production: the finished load test against staging. */
const MAY_GO = ["lt-0305"];

/** Same release and settings as before, ready, and never deleted and created again. */
function keptAsItWas(initial: CloudView, cloud: CloudView, name: string): boolean {
  const before = initial.deployment(name)!;
  const now = cloud.deployment(name);
  const history = before.deployment.revisions;
  return (
    now !== undefined &&
    unchanged(history, now.deployment.revisions) &&
    now.rolledOut &&
    now.ready === now.replicas
  );
}

export default cloudChecks(({ cloud, initial, check }) => {
  const search = cloud.deployment("search");
  check(
    search?.replicas === 8 && search.ready === 8,
    "search runs 8 ready replicas",
    `search: ${search ? `${search.ready}/${search.replicas} ready` : "gone"}`,
  );
  check(
    keptAsItWas(initial, cloud, "search"),
    "search still runs its release with its production index, scaled in place",
    "search's release or settings changed, or it was created again",
  );

  const production = initial.state.deployments
    .map((d) => d.name)
    .filter((name) => name !== "search" && !MAY_GO.includes(name));
  for (const name of production) {
    const before = initial.deployment(name)!;
    const now = cloud.deployment(name);
    check(
      keptAsItWas(initial, cloud, name) && now?.replicas === before.replicas,
      `${name} keeps ${before.replicas} ready replicas of ${before.image}`,
      `${name} changed: ${now ? `${now.image}, ${now.ready}/${now.replicas} ready` : "deleted"}`,
    );
  }
});
