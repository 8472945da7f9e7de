// DNS zones and records: changes are PENDING until they propagate, and resolvers answer what has.
import { int, list, str, type ActionDef } from "../core/action";
import { CloudError, invalidParameter } from "../core/errors";
import { newId } from "../core/ids";
import {
  DNS_PROPAGATION_MS,
  type CloudState,
  type DnsRecord,
  type DnsZone,
  type RecordType,
} from "../core/model";

const RECORD_TYPES: RecordType[] = ["A", "AAAA", "CNAME", "TXT", "MX"];
const MAX_CNAME_CHAIN = 8;

/** "www.Shop.example" -> "www.shop.example." */
export const fqdn = (name: string): string =>
  (name.endsWith(".") ? name : `${name}.`).toLowerCase();

export function findZone(state: CloudState, name: string): DnsZone {
  const zone = state.dnsZones.find((z) => z.id === name || z.name === fqdn(name));
  if (!zone)
    throw new CloudError("NoSuchHostedZone", `No hosted zone found with ID or name: ${name}`, 404);
  return zone;
}

const recordView = (state: CloudState, r: DnsRecord) => ({
  name: r.name,
  type: r.type,
  ttl: r.ttl,
  values: (r.values ?? []).join(","),
  status: state.nowMs - r.changedAtMs >= DNS_PROPAGATION_MS ? "INSYNC" : "PENDING",
});

/** The fully qualified `name` is the zone's apex or a name under it (label by label: not notshop.example. in shop.example.). */
export function inZone(name: string, zone: string): boolean {
  return name === zone || name.endsWith(`.${zone}`);
}

/** What a resolver answers for `name`: follows CNAMEs (and load balancer names) through propagated records. */
export function resolveName(
  state: CloudState,
  name: string,
  type: RecordType = "A",
): { chain: string[]; answers: string[] } {
  const chain: string[] = [];
  let current = fqdn(name);
  for (let hop = 0; hop < MAX_CNAME_CHAIN; hop++) {
    chain.push(current);
    const lb = state.loadBalancers.find((l) => fqdn(l.dnsName) === current);
    if (lb)
      return {
        chain,
        answers: lb.state === "active" ? lb.subnetIds.map((_, i) => `10.255.${i}.10`) : [],
      };
    const zone = state.dnsZones
      .filter((z) => inZone(current, z.name))
      .sort((a, b) => b.name.length - a.name.length)[0];
    const served = zone?.records.filter((r) => r.name === current && r.servedValues !== null);
    const cname = served?.find((r) => r.type === "CNAME");
    if (cname && type !== "CNAME") {
      current = fqdn(cname.servedValues?.[0] ?? "");
      continue;
    }
    return { chain, answers: served?.find((r) => r.type === type)?.servedValues ?? [] };
  }
  throw new CloudError("ResolutionLoop", `CNAME chain longer than ${MAX_CNAME_CHAIN} from ${name}`);
}

export const dnsActions: ActionDef[] = [
  {
    name: "ListHostedZones",
    permission: "dns:ListHostedZones",
    group: "dns",
    verb: "zones",
    summary: "List DNS zones.",
    params: {},
    resource: () => "dns-zone/*",
    columns: ["id", "name", "private", "records"],
    run: ({ state }) => ({
      items: state.dnsZones.map((z) => ({
        id: z.id,
        name: z.name,
        private: z.private,
        records: z.records.filter((r) => r.values !== null).length,
      })),
    }),
  },
  {
    name: "CreateHostedZone",
    permission: "dns:CreateHostedZone",
    group: "dns",
    verb: "create-zone",
    summary: "Create a DNS zone.",
    params: {
      name: {
        kind: "string",
        required: true,
        positional: true,
        help: "zone name, e.g. shop.example",
      },
      private: { kind: "bool", help: "only resolvable inside the networks" },
    },
    resource: (p) => `dns-zone/${String(p.name)}`,
    run: ({ state }, params) => {
      const name = fqdn(str(params, "name"));
      if (!/^([a-z0-9-]+\.)+$/.test(name))
        throw invalidParameter(`The domain name '${name}' is invalid.`);
      if (state.dnsZones.some((z) => z.name === name))
        throw new CloudError(
          "HostedZoneAlreadyExists",
          `A hosted zone has already been created with the specified name ${name}`,
          409,
        );
      const zone: DnsZone = {
        id: newId(state, "zone").toUpperCase().replace("ZONE-", "Z"),
        name,
        private: params.private === true,
        records: [],
      };
      state.dnsZones.push(zone);
      return { id: zone.id, name: zone.name, private: zone.private };
    },
  },
  {
    name: "ListResourceRecordSets",
    permission: "dns:ListResourceRecordSets",
    group: "dns",
    verb: "records",
    summary: "List a zone's records (STATUS PENDING until a change has propagated).",
    params: { zone: { kind: "string", required: true, positional: true, help: "zone name or id" } },
    resource: (p) => `dns-zone/${String(p.zone)}`,
    columns: ["name", "type", "ttl", "values", "status"],
    run: ({ state }, params) => {
      const zone = findZone(state, str(params, "zone"));
      return {
        items: zone.records.filter((r) => r.values !== null).map((r) => recordView(state, r)),
      };
    },
  },
  {
    name: "UpsertRecord",
    permission: "dns:ChangeResourceRecordSets",
    group: "dns",
    verb: "upsert",
    summary: "Create or replace a record: --name www.shop.example --type A --values 10.0.1.5[,…].",
    params: {
      zone: { kind: "string", required: true, positional: true, help: "zone name or id" },
      name: { kind: "string", required: true, help: "record name (inside the zone)" },
      type: { kind: "string", required: true, help: RECORD_TYPES.join(", ") },
      values: { kind: "list", required: true, help: "values, comma-separated" },
      ttl: { kind: "int", help: "seconds (default 300)" },
    },
    resource: (p) => `dns-zone/${String(p.zone)}`,
    run: ({ state }, params) => {
      const zone = findZone(state, str(params, "zone"));
      const name = fqdn(str(params, "name"));
      if (!inZone(name, zone.name))
        throw new CloudError(
          "InvalidChangeBatch",
          `RRSet with DNS name ${name} is not permitted in zone ${zone.name}`,
        );
      const type = str(params, "type").toUpperCase() as RecordType;
      if (!RECORD_TYPES.includes(type))
        throw new CloudError(
          "InvalidChangeBatch",
          `Invalid record type '${type}': use ${RECORD_TYPES.join(", ")}`,
        );
      const values = list(params, "values", true);
      if (type === "CNAME" && values.length !== 1)
        throw new CloudError("InvalidChangeBatch", "A CNAME record has exactly one value");
      if (type === "A" && values.some((v) => !/^\d{1,3}(\.\d{1,3}){3}$/.test(v)))
        throw new CloudError(
          "InvalidChangeBatch",
          `Invalid Resource Record: ARRDATAIllegalIPv4Address (Value is not a valid IPv4 address) encountered with '${values.join(",")}'`,
        );
      const others = zone.records.filter(
        (r) => r.name === name && r.type !== type && r.values !== null,
      );
      if (others.length > 0 && (type === "CNAME" || others.some((r) => r.type === "CNAME")))
        throw new CloudError(
          "InvalidChangeBatch",
          `RRSet of type CNAME with DNS name ${name} is not permitted as it conflicts with other records with the same DNS name in zone ${zone.name}`,
        );
      const record = zone.records.find((r) => r.name === name && r.type === type);
      const ttl = int(params, "ttl", 300);
      if (record) Object.assign(record, { values, ttl, changedAtMs: state.nowMs });
      else
        zone.records.push({
          name,
          type,
          ttl,
          values,
          servedValues: null,
          changedAtMs: state.nowMs,
        });
      return {
        changeId: newId(state, "change"),
        status: "PENDING",
        name,
        type,
        values: values.join(","),
      };
    },
  },
  {
    name: "DeleteRecord",
    permission: "dns:ChangeResourceRecordSets",
    group: "dns",
    verb: "delete-record",
    summary: "Delete a record.",
    params: {
      zone: { kind: "string", required: true, positional: true, help: "zone name or id" },
      name: { kind: "string", required: true, help: "record name" },
      type: { kind: "string", required: true, help: "record type" },
    },
    resource: (p) => `dns-zone/${String(p.zone)}`,
    run: ({ state }, params) => {
      const zone = findZone(state, str(params, "zone"));
      const name = fqdn(str(params, "name"));
      const type = str(params, "type").toUpperCase();
      const record = zone.records.find(
        (r) => r.name === name && r.type === type && r.values !== null,
      );
      if (!record)
        throw new CloudError(
          "InvalidChangeBatch",
          `Tried to delete resource record set [name='${name}', type='${type}'] but it was not found`,
        );
      record.values = null;
      record.changedAtMs = state.nowMs;
      return { changeId: newId(state, "change"), status: "PENDING" };
    },
  },
  {
    name: "TestDnsAnswer",
    permission: "dns:TestDNSAnswer",
    group: "dns",
    verb: "resolve",
    summary: "What resolvers answer now for a name (changes show once propagated).",
    params: {
      name: { kind: "string", required: true, positional: true, help: "name to resolve" },
      type: { kind: "string", help: "record type (default A)" },
    },
    resource: () => "dns-zone/*",
    run: ({ state }, params) => {
      const type = (
        params.type === undefined ? "A" : str(params, "type").toUpperCase()
      ) as RecordType;
      const { chain, answers } = resolveName(state, str(params, "name"), type);
      return {
        name: fqdn(str(params, "name")),
        type,
        chain: chain.join(" -> "),
        answers: answers.join(","),
        responseCode: answers.length ? "NOERROR" : "NXDOMAIN",
      };
    },
  },
];
