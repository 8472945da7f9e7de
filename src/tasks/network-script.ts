// Turns a task's network into the shell script that builds it in the VM, and the `on` command that reaches its hosts.
import {
  bridgeName,
  serviceUnitName,
  uplinkName,
  type NetworkHost,
  type TaskNetwork,
} from "../domain/network";

/** Where the network keeps its state in the VM: one persistent UTS namespace (host name) per host. */
export const NETWORK_STATE_DIR = "/run/opslab-net";
/** The administrator's way onto a host: `on <host> <command>` (see README, "Networking tasks"). */
export const ON_COMMAND_PATH = "/usr/local/bin/on";
/** Runtime units: systemd loads a new unit from here on first use, without a slow daemon-reload. */
const UNIT_DIR = "/run/systemd/system";

// NOTE: every value put into the script below was checked by the task.toml schema (names, addresses,
// one-line commands), so none needs shell quoting; the service command only goes into a unit file.

/**
 * `on HOST [COMMAND...]`: runs a command as root on a host. Written for dash (bash takes ~0.4 s to
 * start in the VM): the words run as they are, and one argument with shell syntax runs in bash.
 */
export const ON_SCRIPT = `#!/bin/sh
# on HOST [COMMAND...]: runs COMMAND as root on a host of the task network (console access).
set -eu
if [ $# -eq 0 ] || [ "$1" = -h ] || [ "$1" = --help ]; then
  echo "usage: on HOST [COMMAND...]   run COMMAND as root on HOST (a shell without COMMAND)"
  echo "       on HOST 'CMD1; CMD2 | CMD3'   one quoted argument runs in HOST's bash"
  echo "hosts and their IPv4 addresses:"
  for h in $(ls /run/netns 2>/dev/null); do
    printf '  %-10s %s\\n' "$h" "$(ip -n "$h" -br -4 addr show | awk '$1 != "lo" { sub(/@.*/, "", $1); printf "%s %s  ", $1, $3 }')"
  done
  exit 0
fi
host=$1
shift
if [ ! -e "/run/netns/$host" ]; then
  echo "on: no host named '$host' (hosts: $(ls /run/netns 2>/dev/null | paste -sd ' '))" >&2
  exit 2
fi
enter="nsenter --uts=${NETWORK_STATE_DIR}/uts/$host ip netns exec $host"
if [ $# -eq 0 ]; then exec $enter bash -l; fi
if [ $# -eq 1 ]; then
  case "$1" in *[!A-Za-z0-9_./=:,+@%-]*) exec $enter bash -c "$1" ;; esac
fi
exec $enter "$@"
`;

/** Escapes a command line for a double-quoted argument of a systemd ExecStart= line. */
function systemdQuote(command: string): string {
  const escaped = command
    .replace(/\\/g, "\\\\")
    .replace(/"/g, '\\"')
    .replace(/%/g, "%%")
    .replace(/\$/g, "$$$$");
  return `"${escaped}"`;
}

function serviceUnit(host: string, name: string, command: string): string {
  return [
    "[Unit]",
    `Description=${name} on host ${host}`,
    "",
    "[Service]",
    `ExecStart=/usr/bin/nsenter --uts=${NETWORK_STATE_DIR}/uts/${host} /usr/bin/ip netns exec ${host} /bin/sh -c ${systemdQuote(`exec ${command}`)}`,
    "Restart=on-failure",
    "RestartSec=1",
  ].join("\n");
}

function hostLinks(host: NetworkHost): string[] {
  const lines = ["link set lo up"];
  for (const iface of host.interfaces) {
    if (iface.mtu !== undefined) lines.push(`link set ${iface.name} mtu ${iface.mtu}`);
    if (iface.address !== undefined) lines.push(`addr add ${iface.address} dev ${iface.name}`);
    lines.push(`link set ${iface.name} up`);
  }
  for (const route of host.routes) {
    const via = route.via !== undefined ? ` via ${route.via}` : "";
    const dev = route.dev !== undefined ? ` dev ${route.dev}` : "";
    lines.push(`route add ${route.to}${via}${dev}`);
  }
  return lines;
}

function hostFiles(host: NetworkHost): string[] {
  const etc = `/etc/netns/${host.name}`;
  const resolv = [
    ...host.nameservers.map((ns) => `nameserver ${ns}`),
    ...(host.search.length ? [`search ${host.search.join(" ")}`] : []),
  ];
  return [
    `printf '%s\\n' '127.0.0.1 localhost' '127.0.1.1 ${host.name}' > ${etc}/hosts`,
    resolv.length
      ? `printf '%s\\n' ${resolv.map((l) => `'${l}'`).join(" ")} > ${etc}/resolv.conf`
      : `: > ${etc}/resolv.conf`,
    `: > ${NETWORK_STATE_DIR}/uts/${host.name}`,
  ];
}

/** Enters the host's network namespace and a new UTS namespace kept at uts/<host>, names the host, sets forwarding, and applies its ip batch. */
function hostCommand(host: NetworkHost): string {
  const inside = [
    `echo ${host.name} > /proc/sys/kernel/hostname`,
    `echo ${host.forwarding ? 1 : 0} > /proc/sys/net/ipv4/ip_forward`,
    "exec ip -batch -",
  ].join("; ");
  return `nsenter --net=/run/netns/${host.name} unshare --uts=${NETWORK_STATE_DIR}/uts/${host.name} sh -c '${inside}' <<'IP'`;
}

/**
 * The script that builds the network: every host a network namespace with its own host name,
 * /etc/hosts and /etc/resolv.conf; every segment a bridge on the workstation with a veth per
 * interface plugged in; then addresses, routes, forwarding, and the hosts' services as systemd units.
 */
export function networkSetupScript(network: TaskNetwork): string {
  const segments = [...new Set(network.hosts.flatMap((h) => h.interfaces.map((i) => i.segment)))];
  const out: string[] = [
    "#!/usr/bin/env bash",
    "# Builds the task's network (generated from task.toml by src/tasks/network-script.ts).",
    "set -euo pipefail",
    `mkdir -p ${NETWORK_STATE_DIR}/uts ${UNIT_DIR} ${network.hosts.map((h) => `/etc/netns/${h.name}`).join(" ")}`,
    `cat > ${ON_COMMAND_PATH} <<'ON'`,
    ON_SCRIPT.trimEnd(),
    "ON",
    `chmod 755 ${ON_COMMAND_PATH}`,
    "ip -batch - <<'IP'",
    ...network.hosts.map((host) => `netns add ${host.name}`),
    ...segments.flatMap((s) => [
      `link add ${bridgeName(s)} type bridge`,
      `link set ${bridgeName(s)} up`,
    ]),
    ...network.hosts.flatMap((host) =>
      host.interfaces.flatMap((iface) => {
        const uplink = uplinkName(host.name, iface.name);
        return [
          `link add ${uplink} type veth peer name ${iface.name} netns ${host.name}`,
          ...(iface.mtu !== undefined ? [`link set ${uplink} mtu ${iface.mtu}`] : []),
          `link set ${uplink} master ${bridgeName(iface.segment)} up`,
        ];
      }),
    ),
    "IP",
  ];
  for (const host of network.hosts) {
    out.push(
      `# host ${host.name}`,
      ...hostFiles(host),
      hostCommand(host),
      ...hostLinks(host),
      "IP",
    );
  }
  const units = network.hosts.flatMap((host) =>
    host.services.map((service) => ({
      name: serviceUnitName(host.name, service.name),
      text: serviceUnit(host.name, service.name, service.command),
    })),
  );
  for (const unit of units) out.push(`cat > ${UNIT_DIR}/${unit.name} <<'UNIT'`, unit.text, "UNIT");
  if (units.length) out.push(`systemctl start ${units.map((u) => u.name).join(" ")}`);
  return `${out.join("\n")}\n`;
}
