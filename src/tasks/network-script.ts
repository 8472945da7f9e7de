// Turns a task's network into the scripts that build it in the VM and reboot its hosts, and the `on` command.
import { serviceUnitName, type TaskNetwork } from "../domain/network";
import { HOST_DIRS, hostConfigFiles } from "./network/host-config";
import HOST_BOOT from "./network/host-boot.sh?raw";

/** Where the network keeps its state in the VM: one persistent UTS namespace (host name) per host. */
export const NETWORK_STATE_DIR = "/run/opslab-net";
/** The administrator's way onto a host: `on <host> <command>` (see README, "Networking tasks"). */
export const ON_COMMAND_PATH = "/usr/local/bin/on";
/** The agent's (and the person's) way to reboot a host: `reboot-host <host>...`. */
export const REBOOT_COMMAND_PATH = "/usr/local/bin/reboot-host";
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
  [ "\${1-}" = --help ] || [ "\${1-}" = -h ] || exit 0
  cat <<'HELP'

Each host keeps its configuration in its own files, which it reads when it boots
(on the workstation they are under /etc/netns/HOST/; everything else is shared):
  /etc/hostname
  /etc/sysctl.d/*.conf, then /etc/sysctl.conf   net.* settings ("key = value")
  /etc/network/interfaces   Debian's interfaces(5), in part: auto and allow-hotplug;
      iface IF inet static|manual|loopback with address A/N (or address and netmask),
      gateway, metric, mtu, hwaddress, vlan-raw-device and vlan-id (or a name IF.ID),
      pre-up/up/post-up with one ip route|address|link|rule|neighbour command;
      source and source-directory (interfaces.d/). ifupdown itself is not installed.
  /etc/nftables.conf        loaded with nft -f
  /etc/iptables/rules.v4    loaded with iptables-restore
then its daemons (systemd units <host>-<daemon>) start. /etc/hosts and /etc/resolv.conf
are its own too. A file of these can be rewritten in place but not replaced from inside
the host (sed -i fails with "Device or resource busy"; the folders are fine): edit it
as /etc/netns/HOST/... on the workstation instead.
reboot-host HOST... reboots hosts: what was set only live is gone, their files stay.
HELP
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

/**
 * A host interface's MAC address: the same at every build and reboot, as a real NIC's (locally
 * administered, from an FNV-1a hash of host and interface).
 */
export function interfaceMac(host: string, iface: string): string {
  let hash = 0x811c9dc5;
  for (const char of `${host}/${iface}`)
    hash = Math.imul(hash ^ char.charCodeAt(0), 0x01000193) >>> 0;
  const bytes = [0x02, 0x4f, hash >>> 24, (hash >>> 16) & 0xff, (hash >>> 8) & 0xff, hash & 0xff];
  return bytes.map((b) => b.toString(16).padStart(2, "0")).join(":");
}

/** The cabling from task.toml, as bash declarations the boot code reads (see host-boot.sh). */
function cablingDeclarations(network: TaskNetwork): string[] {
  const cables = network.hosts.map((host) => {
    const ends = host.interfaces.map((i) =>
      [i.name, i.segment, interfaceMac(host.name, i.name), i.mtu ?? ""].join(","),
    );
    return `[${host.name}]="${ends.join(" ")}"`;
  });
  const units = network.hosts
    .filter((host) => host.services.length > 0)
    .map(
      (host) =>
        `[${host.name}]="${host.services.map((s) => serviceUnitName(host.name, s.name)).join(" ")}"`,
    );
  return [
    `NET_HOSTS=(${network.hosts.map((h) => h.name).join(" ")})`,
    "# Each host's interfaces: name,segment,MAC address,MTU of the workstation's end (the cables of task.toml).",
    `declare -A NET_CABLES=(${cables.join(" ")})`,
    `declare -A NET_UNITS=(${units.join(" ")})`,
  ];
}

/**
 * The boot code of the network's hosts with its cabling: `reboot-host HOST...` for the agent, and
 * the grader's own copy (written beside lib.sh at grading, so the agent cannot have changed it).
 */
export function networkBootScript(network: TaskNetwork): string {
  return [
    "#!/bin/bash",
    "# reboot-host HOST...: reboots hosts of the task network from their own files (generated from",
    "# task.toml by src/tasks/network-script.ts).",
    ...cablingDeclarations(network),
    "",
    HOST_BOOT.trimEnd(),
    "",
  ].join("\n");
}

/** One single-quoted shell word. */
function shellQuote(text: string): string {
  return `'${text.replace(/'/g, `'\\''`)}'`;
}

/** Writes a host's files from task.toml, each unless a fixture of the task is already there. */
function hostFileCommands(network: TaskNetwork): string[] {
  const out: string[] = [];
  for (const host of network.hosts) {
    const etc = `/etc/netns/${host.name}`;
    out.push(`# host ${host.name}`, `mkdir -p ${HOST_DIRS.map((d) => `${etc}/${d}`).join(" ")}`);
    for (const file of hostConfigFiles(host)) {
      // printf is a builtin: no process per file (each costs tens of ms in the VM)
      out.push(
        `[ -e ${etc}/${file.path} ] || printf %s ${shellQuote(file.text)} > ${etc}/${file.path}`,
      );
    }
  }
  return out;
}

/**
 * The script that builds the network at set-up: the `on` and `reboot-host` commands, each host's
 * files (its own /etc under /etc/netns/<host>/), its daemons as systemd units, then the segments
 * (bridges on the workstation) and every host booted from its files, daemons started.
 */
export function networkSetupScript(network: TaskNetwork): string {
  const units = network.hosts.flatMap((host) =>
    host.services.map((service) => ({
      name: serviceUnitName(host.name, service.name),
      text: serviceUnit(host.name, service.name, service.command),
    })),
  );
  return [
    "#!/usr/bin/env bash",
    "# Builds the task's network (generated from task.toml by src/tasks/network-script.ts).",
    "set -euo pipefail",
    // NOTE: ip netns exec binds /etc/netns/<host>/X over /etc/X only where /etc/X exists.
    `mkdir -p ${NETWORK_STATE_DIR}/uts ${UNIT_DIR} /etc/network /etc/iptables`,
    `cat > ${ON_COMMAND_PATH} <<'ON'`,
    ON_SCRIPT.trimEnd(),
    "ON",
    `cat > ${REBOOT_COMMAND_PATH} <<'BOOT'`,
    networkBootScript(network).trimEnd(),
    "BOOT",
    `chmod 755 ${ON_COMMAND_PATH} ${REBOOT_COMMAND_PATH}`,
    ...hostFileCommands(network),
    ...units.flatMap((unit) => [`cat > ${UNIT_DIR}/${unit.name} <<'UNIT'`, unit.text, "UNIT"]),
    "# The boot code runs as it would on a reboot: a bad line of a host's files is reported, not fatal.",
    "set +eu",
    `source ${REBOOT_COMMAND_PATH}`,
    "NET_PROG=network",
    "net_build",
    "",
  ].join("\n");
}
