// The [network] section of task.toml: its schema, the checks across hosts, and the TaskNetwork it gives.
import { z } from "zod";
import { bridgeName, uplinkName, type TaskNetwork } from "../domain/network";

/** Linux refuses interface names longer than this (IFNAMSIZ - 1). */
const MAX_IFNAME_CHARS = 15;
const NAME = /^[a-z][a-z0-9-]*$/;
const NAME_HINT = "lower-case letters, digits and dashes, starting with a letter";
const IFNAME = /^[a-z][a-z0-9.]*$/;
const OCTET = "(25[0-5]|2[0-4]\\d|1\\d\\d|[1-9]?\\d)";
const IPV4 = new RegExp(`^${OCTET}(\\.${OCTET}){3}$`);
const PREFIX = /^(3[0-2]|[12]?\d)$/;

function isIpv4(text: string): boolean {
  return IPV4.test(text);
}

function isCidr(text: string): boolean {
  const [address, prefix, ...rest] = text.split("/");
  return rest.length === 0 && isIpv4(address ?? "") && PREFIX.test(prefix ?? "");
}

const ipv4 = z.string().refine(isIpv4, "an IPv4 address such as 10.0.1.1");
const cidr = z
  .string()
  .refine(isCidr, "an IPv4 address with its prefix length, such as 10.0.1.10/24");

const InterfaceSchema = z.strictObject({
  name: z.string().regex(IFNAME, "an interface name such as eth0").optional(),
  segment: z.string().regex(NAME, NAME_HINT),
  address: cidr.optional(),
  mtu: z.number().int().min(68).max(65535).optional(),
});

const RouteSchema = z
  .strictObject({
    to: z
      .string()
      .refine((to) => to === "default" || isCidr(to), '"default" or a prefix such as 10.0.2.0/24'),
    via: ipv4.optional(),
    dev: z.string().optional(),
  })
  .refine((route) => route.via !== undefined || route.dev !== undefined, {
    message: "a route needs via (a gateway) or dev (an interface of the host)",
  });

const ServiceSchema = z.strictObject({
  name: z.string().regex(NAME, NAME_HINT),
  command: z
    .string()
    .min(1)
    .refine((command) => !command.includes("\n"), "one line"),
});

const HostSchema = z.strictObject({
  name: z.string().regex(NAME, NAME_HINT),
  forwarding: z.boolean().default(false),
  interfaces: z.array(InterfaceSchema).min(1, "at least one interface"),
  routes: z.array(RouteSchema).default([]),
  nameservers: z.array(ipv4).default([]),
  search: z
    .array(z.string().regex(/^[a-z0-9.-]+$/, "a domain name such as corp.example"))
    .default([]),
  services: z.array(ServiceSchema).default([]),
});

export const NetworkTomlSchema = z
  .strictObject({ hosts: z.array(HostSchema).min(1, "at least one host") })
  .superRefine((network, ctx) => {
    const seen = new Set<string>();
    network.hosts.forEach((host, h) => {
      const at = (...path: (string | number)[]) => ["hosts", h, ...path];
      if (seen.has(host.name))
        ctx.addIssue({
          code: "custom",
          path: at("name"),
          message: `"${host.name}" names two hosts`,
        });
      seen.add(host.name);
      const names = host.interfaces.map((iface, i) => iface.name ?? `eth${i}`);
      names.forEach((name, i) => {
        if (names.indexOf(name) !== i)
          ctx.addIssue({
            code: "custom",
            path: at("interfaces", i, "name"),
            message: `"${name}" names two interfaces of ${host.name}`,
          });
        const uplink = uplinkName(host.name, name);
        if (uplink.length > MAX_IFNAME_CHARS)
          ctx.addIssue({
            code: "custom",
            path: at("interfaces", i),
            message: `"${uplink}" (host-interface, the workstation's end) is longer than ${MAX_IFNAME_CHARS} characters: shorten the host or interface name`,
          });
        const segment = host.interfaces[i]?.segment ?? "";
        if (bridgeName(segment).length > MAX_IFNAME_CHARS)
          ctx.addIssue({
            code: "custom",
            path: at("interfaces", i, "segment"),
            message: `at most ${MAX_IFNAME_CHARS - 3} characters`,
          });
      });
      host.routes.forEach((route, r) => {
        if (route.dev !== undefined && !names.includes(route.dev))
          ctx.addIssue({
            code: "custom",
            path: at("routes", r, "dev"),
            message: `one of ${host.name}'s interfaces (${names.join(", ")})`,
          });
      });
      const services = host.services.map((service) => service.name);
      services.forEach((name, s) => {
        if (services.indexOf(name) !== s)
          ctx.addIssue({
            code: "custom",
            path: at("services", s, "name"),
            message: `"${name}" names two services of ${host.name}`,
          });
      });
    });
  });

export type NetworkToml = z.infer<typeof NetworkTomlSchema>;

export function toTaskNetwork(toml: NetworkToml): TaskNetwork {
  return {
    hosts: toml.hosts.map((host) => ({
      name: host.name,
      forwarding: host.forwarding,
      interfaces: host.interfaces.map((iface, i) => ({
        name: iface.name ?? `eth${i}`,
        segment: iface.segment,
        ...(iface.address !== undefined ? { address: iface.address } : {}),
        ...(iface.mtu !== undefined ? { mtu: iface.mtu } : {}),
      })),
      routes: host.routes.map((route) => ({
        to: route.to,
        ...(route.via !== undefined ? { via: route.via } : {}),
        ...(route.dev !== undefined ? { dev: route.dev } : {}),
      })),
      nameservers: host.nameservers,
      search: host.search,
      services: host.services,
    })),
  };
}
