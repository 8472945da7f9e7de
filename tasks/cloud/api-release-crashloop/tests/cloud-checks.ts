// api-release-crashloop's grader, host-side: api serves 2.3.0 on every replica, repaired in place, with the
// production cache and its other settings as they were; the worker is untouched.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const before = initial.deployment("api")!;
  const api = cloud.deployment("api");
  check(
    api?.image === "shop/api:2.3.0" && api.rolledOut && api.ready === before.replicas,
    `api runs release 2.3.0 on all ${before.replicas} replicas, rolled out`,
    `api: ${api ? `${api.image}, ${api.ready}/${api.replicas} ready, ${api.rollout}` : "gone"}`,
  );
  const history = before.deployment.revisions;
  check(
    api !== undefined && unchanged(history, api.deployment.revisions.slice(0, history.length)),
    "api was repaired in place (its revision history goes on)",
    "api was deleted and created again (its replicas all restarted; the rollout history is gone)",
  );

  // The production cache: the host the worker uses, or any name or address that resolves to the same.
  const cache = new URL(initial.deployment("worker")!.env.REDIS_URL!);
  const address = (host: string) => cloud.resolve(host).answers[0] ?? host;
  const url = api?.env.REDIS_URL ? URL.parse(api.env.REDIS_URL) : null;
  check(
    url?.protocol === "redis:" &&
      address(url.hostname) === address(cache.hostname) &&
      (url.port || "6379") === (cache.port || "6379") &&
      ["", "/", "/0"].includes(url.pathname),
    "api uses the production cache",
    `api's REDIS_URL is '${api?.env.REDIS_URL ?? ""}', not the production cache (${cache.host})`,
  );
  const rest = Object.fromEntries(
    Object.entries(api?.env ?? {}).filter(([k]) => k !== "REDIS_URL"),
  );
  check(
    api !== undefined &&
      unchanged(before.env, rest) &&
      api.port === before.port &&
      api.healthPath === before.healthPath,
    "api's other settings are unchanged",
    `api's settings changed: ${JSON.stringify(rest)}, port ${api?.port}, probe ${api?.healthPath}`,
  );

  const worker = cloud.deployment("worker");
  check(
    unchanged(initial.deployment("worker")!.deployment, worker?.deployment) &&
      worker?.ready === worker?.replicas,
    "the worker is untouched and ready",
    "the worker changed",
  );
});
