// catalog-probe-port's grader, host-side: catalog serves 4.2.0 on every replica, repaired in place with its
// settings unchanged; search is untouched.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const before = initial.deployment("catalog")!;
  const catalog = cloud.deployment("catalog");
  check(
    catalog?.image === "shop/catalog:4.2.0" &&
      catalog.rolledOut &&
      catalog.replicas === before.replicas &&
      catalog.ready === before.replicas,
    `catalog runs release 4.2.0 on all ${before.replicas} replicas, rolled out`,
    `catalog: ${catalog ? `${catalog.image}, ${catalog.ready}/${catalog.replicas} ready, ${catalog.rollout}` : "gone"}`,
  );
  const history = before.deployment.revisions;
  check(
    catalog !== undefined &&
      unchanged(history, catalog.deployment.revisions.slice(0, history.length)),
    "catalog was repaired in place (its revision history goes on)",
    "catalog was deleted and created again (its replicas all restarted; the rollout history is gone)",
  );
  check(
    unchanged(before.env, catalog?.env),
    "catalog's environment is unchanged",
    `catalog's environment changed: ${JSON.stringify(catalog?.env)}`,
  );

  const search = cloud.deployment("search");
  check(
    unchanged(initial.deployment("search")!.deployment, search?.deployment) &&
      search?.ready === search?.replicas,
    "search is untouched and ready",
    "search changed",
  );
});
