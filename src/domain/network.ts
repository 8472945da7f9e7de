// The in-VM network a networking task declares: hosts (network namespaces) on segments (bridges).

export interface NetworkInterface {
  /** The interface's name inside its host, for example "eth0". */
  name: string;
  /** The segment (a bridge on the workstation) the interface is plugged into. */
  segment: string;
  /** IPv4 address with its prefix length, for example "10.0.1.10/24"; none leaves it unaddressed. */
  address?: string;
  mtu?: number;
}

export interface NetworkRoute {
  /** "default" or an IPv4 prefix, for example "10.0.2.0/24". */
  to: string;
  via?: string;
  /** One of the host's interfaces. */
  dev?: string;
}

/** A long-lived daemon of a host: the systemd unit `<host>-<name>.service`. */
export interface NetworkService {
  name: string;
  /** The command line, run by the host's shell in the host's network namespace. */
  command: string;
}

export interface NetworkHost {
  name: string;
  /** net.ipv4.ip_forward: a router forwards, any other host does not. */
  forwarding: boolean;
  interfaces: NetworkInterface[];
  routes: NetworkRoute[];
  /** The host's own /etc/resolv.conf. */
  nameservers: string[];
  search: string[];
  services: NetworkService[];
}

export interface TaskNetwork {
  hosts: NetworkHost[];
}

/** The systemd unit that runs a host's service. */
export function serviceUnitName(host: string, service: string): string {
  return `${host}-${service}.service`;
}

/** The workstation's end of a host's interface (a veth plugged into the segment's bridge). */
export function uplinkName(host: string, iface: string): string {
  return `${host}-${iface}`;
}

/** The bridge that is a segment, on the workstation. */
export function bridgeName(segment: string): string {
  return `br-${segment}`;
}
