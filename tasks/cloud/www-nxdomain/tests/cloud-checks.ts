// www-nxdomain's grader, host-side: www.shop.example resolves through the load balancer that serves the web
// servers; the rest of the zone answers as it did.
import { cloudChecks, unchanged } from "../../../../src/cloud/queries";

export default cloudChecks(({ cloud, initial, check }) => {
  const web = ["web-1", "web-2"].map((n) => initial.instanceIdNamed(n));

  const www = cloud.resolve("www.shop.example");
  const lb = www.loadBalancer;
  const group = lb && cloud.listenerTarget(lb.name, 80);
  const health = group ? cloud.targetHealth(group.name) : [];
  const healthy = health.filter((t) => t.state === "healthy").map((t) => t.instanceId);
  check(
    lb?.state === "active" && www.answers.length > 0 && web.every((w) => healthy.includes(w)),
    `www.shop.example resolves to ${lb?.name}, which serves web-1 and web-2, healthy`,
    `www.shop.example resolves as ${www.chain.join(" -> ") || "nothing"} (${www.answers.join(", ") || "no answer"}), not to the load balancer of the web servers`,
  );

  const api = cloud.resolve("api.shop.example");
  check(
    api.loadBalancer?.name === initial.resolve("api.shop.example").loadBalancer?.name,
    "api.shop.example still resolves to its load balancer",
    `api.shop.example changed: ${api.chain.join(" -> ")}`,
  );
  const mail = (["MX", "TXT"] as const).filter(
    (type) =>
      !unchanged(
        initial.resolve("shop.example", type).answers,
        cloud.resolve("shop.example", type).answers,
      ),
  );
  check(
    mail.length === 0,
    "the zone's mail records answer as before",
    `the zone's ${mail.join(" and ")} changed`,
  );
});
