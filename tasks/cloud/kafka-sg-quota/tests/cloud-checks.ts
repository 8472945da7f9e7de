// kafka-sg-quota's grader, host-side: the three Kafka groups exist exactly as designed; every flow between our
// machines (running or stopped, the proof of concept's broker aside), our load balancers and the internet is
// let in now exactly when it was before; every machine and load balancer is as it was.
import { CloudView, cloudChecks, unchanged } from "../../../../src/cloud/queries";

const NETWORK = "net-0prod";
const POC = "i-06f4b6d8a1c3e5abc";
/** Addresses outside our machines: the office, a partner, the internet, a new machine inside the network. */
const OUTSIDE = ["203.0.113.50", "192.0.2.10", "198.51.100.99", "10.80.99.9"];

/** Where a load balancer's node sits in a subnet of it: the subnet's fifth address. */
function nodeIp(cidr: string): string {
  const [a = 0, b = 0, c = 0, d = 0] = cidr.split("/")[0]!.split(".").map(Number);
  const n = ((a * 256 + b) * 256 + c) * 256 + d + 5;
  return [n >>> 24, (n >>> 16) & 255, (n >>> 8) & 255, n & 255].join(".");
}

/** Every flow the groups let in, as "source -> destination port/protocol", for the machines of `ids`. */
function flows(view: CloudView, ids: string[], lbNames: string[]): Set<string> {
  const out = new Set<string>();
  const sources: { name: string; ips: string[]; groupIds: string[] }[] = [
    ...ids.map((id) => {
      const i = view.instance(id)!;
      return { name: i.tags.Name ?? id, ips: [i.privateIp], groupIds: i.securityGroupIds };
    }),
    ...lbNames.map((name) => {
      const s = view.loadBalancerSources(name);
      return { name: `lb ${name}`, ips: s.cidrs.map(nodeIp), groupIds: s.groupIds };
    }),
    ...OUTSIDE.map((ip) => ({ name: ip, ips: [ip], groupIds: [] })),
  ];
  for (const id of ids) {
    const dst = view.instance(id)!;
    const image = view.state.images.find((m) => m.id === dst.imageId);
    for (const listener of image?.listens ?? []) {
      for (const src of sources) {
        const let_in =
          (src.groupIds.length > 0 &&
            view.admits(
              dst.securityGroupIds,
              listener.port,
              { groupIds: src.groupIds },
              listener.protocol,
            ).length > 0) ||
          src.ips.some(
            (ip) =>
              view.admits(dst.securityGroupIds, listener.port, { ip }, listener.protocol).length >
              0,
          );
        if (let_in)
          out.add(`${src.name} -> ${dst.tags.Name ?? id} ${listener.port}/${listener.protocol}`);
      }
    }
  }
  return out;
}

export default cloudChecks(({ cloud, initial, check }) => {
  // The design.
  const named = (name: string) =>
    cloud.state.securityGroups.filter((g) => g.networkId === NETWORK && g.name === name);
  const [brokers, zookeeper, clients] = ["kafka-brokers", "kafka-zookeeper", "kafka-clients"].map(
    named,
  );
  const rules = (g: (typeof cloud.state.securityGroups)[number]) =>
    g.ingress.map((r) => `${r.protocol} ${r.fromPort}-${r.toPort} ${r.source}`).sort();
  const one = [brokers, zookeeper, clients].every((list) => list?.length === 1);
  const b = brokers?.[0];
  const z = zookeeper?.[0];
  const c = clients?.[0];
  check(
    one &&
      unchanged(rules(b!), [`tcp 9092-9092 ${c!.id}`, `tcp 9093-9093 ${b!.id}`].sort()) &&
      unchanged(rules(z!), [`tcp 2181-2181 ${b!.id}`]) &&
      rules(c!).length === 0,
    "kafka-brokers, kafka-zookeeper and kafka-clients exist in prod, each letting in exactly what DATA-120 says",
    one
      ? `as made: kafka-brokers ${rules(b!).join(", ") || "nothing"}; kafka-zookeeper ${rules(z!).join(", ") || "nothing"}; kafka-clients ${rules(c!).join(", ") || "nothing"}`
      : `groups in prod: ${
          cloud.state.securityGroups
            .filter((g) => g.networkId === NETWORK && g.name.includes("kafka"))
            .map((g) => g.name)
            .join(", ") || "no kafka group"
        }`,
  );

  // Our machines and load balancers.
  const ours = initial.state.instances.filter((i) => i.id !== POC);
  const changed = ours
    .filter((i) => {
      const is = cloud.instance(i.id);
      return !is || is.state !== i.state;
    })
    .map((i) => `${i.tags.Name} (${cloud.instance(i.id)?.state ?? "gone"})`);
  const lbs = initial.state.loadBalancers
    .filter((l) => {
      const is = cloud.loadBalancer(l.name);
      return !is || !unchanged(l.listeners, is.listeners);
    })
    .map((l) => `load balancer ${l.name}`);
  check(
    changed.length === 0 && lbs.length === 0,
    "every machine (the stopped DR standby too) is in its state, and every load balancer keeps its listeners",
    `changed: ${[...changed, ...lbs].join(", ")}`,
  );

  // Every flow as before.
  const ids = ours.map((i) => i.id).filter((id) => cloud.instance(id));
  const lbNames = initial.state.loadBalancers
    .map((l) => l.name)
    .filter((n) => cloud.loadBalancer(n));
  const before = flows(initial, ids, lbNames);
  const after = flows(cloud, ids, lbNames);
  const lost = [...before].filter((f) => !after.has(f));
  const gained = [...after].filter((f) => !before.has(f));
  check(
    lost.length === 0 && gained.length === 0,
    `every flow to our machines is let in exactly as before (${before.size} flows)`,
    `${lost.length ? `no longer let in: ${lost.slice(0, 4).join(", ")}${lost.length > 4 ? ", …" : ""}` : ""}${lost.length && gained.length ? "; " : ""}${gained.length ? `now also let in: ${gained.slice(0, 4).join(", ")}${gained.length > 4 ? ", …" : ""}` : ""}`,
  );
});
