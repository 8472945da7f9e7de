// A host's configuration files as task.toml declares it: what the build writes into the host's own /etc.
import type { NetworkHost, NetworkInterface, NetworkRoute } from "../../domain/network";

/** One file of a host's /etc: its path under /etc (bound over /etc/<path> inside the host). */
export interface HostFile {
  path: string;
  text: string;
}

/** What a host's firewall is until someone writes one: nothing, so the boot does not even run nft. */
export const EMPTY_NFTABLES_CONF = `#!/usr/sbin/nft -f
# This host's firewall, loaded at boot with nft -f. No rules: everything is allowed.

flush ruleset
`;

function ipv4Number(address: string): number {
  return address.split(".").reduce((n, octet) => n * 256 + Number(octet), 0);
}

/** Whether `address` is in the subnet of `cidr` (an interface's address with its prefix length). */
export function inSubnet(address: string, cidr: string): boolean {
  const [base = "", bits = "32"] = cidr.split("/");
  const size = 2 ** (32 - Number(bits));
  return Math.floor(ipv4Number(address) / size) === Math.floor(ipv4Number(base) / size);
}

/** The interface a route belongs with: the one its gateway is on, else its dev, else the first. */
function routeInterface(host: NetworkHost, route: NetworkRoute): NetworkInterface | undefined {
  const via = route.via;
  const onLink =
    via !== undefined
      ? host.interfaces.find((i) => i.address !== undefined && inSubnet(via, i.address))
      : undefined;
  return onLink ?? host.interfaces.find((i) => i.name === route.dev) ?? host.interfaces[0];
}

function routeCommand(route: NetworkRoute): string {
  const via = route.via !== undefined ? ` via ${route.via}` : "";
  const dev = route.dev !== undefined ? ` dev ${route.dev}` : "";
  return `ip route add ${route.to}${via}${dev}`;
}

/** /etc/network/interfaces in Debian's syntax: a stanza per interface, routes with the interface they leave by. */
export function interfacesFile(host: NetworkHost): string {
  const lines = [
    "# The network interfaces of this host, brought up at boot (see on --help for what is read).",
    "",
    "source /etc/network/interfaces.d/*",
    "",
    "auto lo",
    "iface lo inet loopback",
  ];
  let gatewaySet = false;
  for (const iface of host.interfaces) {
    const options: string[] = [];
    if (iface.address !== undefined) options.push(`address ${iface.address}`);
    for (const route of host.routes) {
      if (routeInterface(host, route) !== iface) continue;
      const plainDefault = route.to === "default" && route.via !== undefined && !route.dev;
      if (plainDefault && !gatewaySet && iface.address !== undefined) {
        options.push(`gateway ${route.via}`);
        gatewaySet = true;
      } else {
        options.push(`up ${routeCommand(route)}`);
      }
    }
    if (iface.mtu !== undefined) options.push(`mtu ${iface.mtu}`);
    const method = iface.address !== undefined ? "static" : "manual";
    lines.push("", `auto ${iface.name}`, `iface ${iface.name} inet ${method}`);
    lines.push(...options.map((option) => `    ${option}`));
  }
  return `${lines.join("\n")}\n`;
}

/** /etc/sysctl.conf: Debian's forwarding line, set on a router and commented out elsewhere. */
export function sysctlConf(host: NetworkHost): string {
  return [
    "# Kernel settings of this host, applied at boot after /etc/sysctl.d/*.conf (net.* keys only).",
    "",
    "# Uncomment the next line to enable packet forwarding for IPv4",
    `${host.forwarding ? "" : "#"}net.ipv4.ip_forward=1`,
    "",
  ].join("\n");
}

function resolvConf(host: NetworkHost): string {
  const lines = [
    ...host.nameservers.map((ns) => `nameserver ${ns}`),
    ...(host.search.length ? [`search ${host.search.join(" ")}`] : []),
  ];
  return lines.length ? `${lines.join("\n")}\n` : "";
}

/**
 * Every file a host boots from or reads, as task.toml declares the host. NOTE: a task's fixture at the
 * same path (files/etc/netns/<host>/...) takes the place of the generated file.
 */
export function hostConfigFiles(host: NetworkHost): HostFile[] {
  return [
    { path: "hostname", text: `${host.name}\n` },
    { path: "hosts", text: `127.0.0.1 localhost\n127.0.1.1 ${host.name}\n` },
    { path: "resolv.conf", text: resolvConf(host) },
    { path: "network/interfaces", text: interfacesFile(host) },
    { path: "sysctl.conf", text: sysctlConf(host) },
    { path: "nftables.conf", text: EMPTY_NFTABLES_CONF },
  ];
}

/** Folders every host has of its own, even empty (its drop-ins and its iptables rules go there). */
export const HOST_DIRS = ["network/interfaces.d", "sysctl.d", "iptables"];
