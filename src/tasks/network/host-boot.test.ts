// Unit tests of the hosts' boot code (host-boot.sh) as bash runs it: how a host's files are read.
import { execFileSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import HOST_BOOT from "./host-boot.sh?raw";

let root: string;

beforeEach(() => {
  root = mkdtempSync(join(tmpdir(), "host-boot-"));
  writeFileSync(join(root, "host-boot.sh"), HOST_BOOT);
});

afterEach(() => {
  rmSync(root, { recursive: true, force: true });
});

/** Writes files of host web's own /etc (paths under it). */
function files(byPath: Record<string, string>): void {
  for (const [path, text] of Object.entries(byPath)) {
    const full = join(root, "netns/web", path);
    mkdirSync(dirname(full), { recursive: true });
    writeFileSync(full, text);
  }
}

/** What the boot reads of host web: its ip batch, its sysctls, and what it reported. */
function boot(): { batch: string[]; sysctls: string[]; messages: string[] } {
  const driver = `source ${root}/host-boot.sh
NET_ETC=${root}/netns
net_sysctls web 2>&1
net_interfaces web 2>&1
printf 'B %s\\n' "\${NET_BATCH[@]}"
printf 'S %s\\n' "\${NET_SYSCTL[@]}"`;
  const out = execFileSync("bash", ["--noprofile", "--norc", "-c", driver], { encoding: "utf8" });
  const lines = out.trimEnd().split("\n");
  return {
    batch: lines.filter((l) => l.startsWith("B ")).map((l) => l.slice(2)),
    sysctls: lines.filter((l) => l.startsWith("S ")).map((l) => l.slice(2)),
    messages: lines.filter((l) => l.startsWith("reboot-host: ")),
  };
}

describe("host boot: /etc/network/interfaces", () => {
  it("brings up the auto interfaces in order: addresses, MTU, gateway, up commands", () => {
    files({
      "network/interfaces": `# comment
source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto eth0 eth1
iface eth0 inet static
    address 10.0.1.10/24
    gateway 10.0.1.1
    mtu 1400
    up ip route add 10.0.9.0/24 via 10.0.1.2 dev $IFACE || true

iface eth1 inet static
    address 10.0.2.10
    netmask 255.255.255.0
    post-up /sbin/ip -4 route add 10.0.8.0/24 via 10.0.2.1

iface eth2 inet static
    address 10.0.3.10/24
`,
      "network/interfaces.d/extra": "auto eth3\niface eth3 inet manual\n",
    });
    expect(boot().batch).toEqual([
      "link set lo up",
      "link set eth3 up",
      "link set eth0 mtu 1400",
      "address add 10.0.1.10/24 brd + dev eth0",
      "link set eth0 up",
      "route add default via 10.0.1.1 dev eth0",
      "route add 10.0.9.0/24 via 10.0.1.2 dev eth0",
      "address add 10.0.2.10/24 brd + dev eth1",
      "link set eth1 up",
      "route add 10.0.8.0/24 via 10.0.2.1",
    ]);
  });

  it("makes VLAN interfaces from vlan-raw-device and vlan-id, or from a name IF.ID", () => {
    files({
      "network/interfaces": `auto eth0.20 vlan30
iface eth0.20 inet static
    address 10.0.20.1/24
iface vlan30 inet static
    vlan-raw-device eth0
    vlan-id 20
    address 10.0.30.20/24
    gateway 10.0.30.1
`,
    });
    expect(boot().batch).toEqual([
      "link set lo up",
      "link set eth0 up",
      "link add link eth0 name eth0.20 type vlan id 20",
      "address add 10.0.20.1/24 brd + dev eth0.20",
      "link set eth0.20 up",
      "link set eth0 up",
      "link add link eth0 name vlan30 type vlan id 20",
      "address add 10.0.30.20/24 brd + dev vlan30",
      "link set vlan30 up",
      "route add default via 10.0.30.1 dev vlan30",
    ]);
  });

  it("runs only plain ip commands from up lines, and says what it ignored", () => {
    files({
      "network/interfaces": `auto eth0
iface eth0 inet static
    address 10.0.1.10/24
    up ip netns exec other sh
    up iptables -F
    up ip route add 10.0.5.0/24 via 10.0.1.1; touch /tmp/x
    up ip route add $(id) via 10.0.1.1
    dns-nameservers 10.0.2.53
    bogus yes
    address 10.0.1.300/24
auto eth9
`,
    });
    const result = boot();
    expect(result.batch).toEqual([
      "link set lo up",
      "address add 10.0.1.10/24 brd + dev eth0",
      "link set eth0 up",
    ]);
    const interfaces = `${root}/netns/web/network/interfaces`;
    expect(result.messages).toEqual([
      `reboot-host: web: ${interfaces}:4: ip netns is not run at boot (ip route, address, link, rule and neighbour are)`,
      `reboot-host: web: ${interfaces}:5: only ip commands run here: iptables -F (not run)`,
      `reboot-host: web: ${interfaces}:6: only plain words are read in: ip route add 10.0.5.0/24 via 10.0.1.1; touch /tmp/x (not run)`,
      `reboot-host: web: ${interfaces}:7: only plain words are read in: ip route add $(id) via 10.0.1.1 (not run)`,
      `reboot-host: web: ${interfaces}:8: dns-nameservers is ignored here (no resolvconf): the resolver is /etc/resolv.conf`,
      `reboot-host: web: ${interfaces}:9: option bogus is not supported (ignored)`,
      `reboot-host: web: ${interfaces}:10: address 10.0.1.300/24 is not an IPv4 address (A.B.C.D/N)`,
      `reboot-host: web: auto eth9: no "iface eth9" stanza`,
    ]);
  });

  it("brings up only lo, and says so, when the host has no interfaces file", () => {
    files({ "sysctl.conf": "" });
    const result = boot();
    expect(result.batch).toEqual(["link set lo up"]);
    expect(result.messages).toEqual([
      "reboot-host: web: no /etc/network/interfaces: only lo is up",
    ]);
  });
});

describe("host boot: sysctl", () => {
  it("reads sysctl.d/*.conf in name order, then sysctl.conf, after the kernel's forwarding default", () => {
    files({
      "network/interfaces": "",
      "sysctl.d/60-b.conf": "net.ipv4.conf.all.rp_filter = 1\n",
      "sysctl.d/10-a.conf": "# first\n-net.ipv4.conf.eth0/30.rp_filter=2 ; comment\n",
      "sysctl.d/README": "net.ipv4.ip_forward = 1\n",
      "sysctl.conf":
        "#net.ipv4.ip_forward=1\nnet.ipv4.ip_forward = 1\nnet/ipv4/tcp_syncookies = 0\n",
    });
    expect(boot().sysctls).toEqual([
      "net/ipv4/ip_forward=0",
      "-net/ipv4/conf/eth0.30/rp_filter=2",
      "net/ipv4/conf/all/rp_filter=1",
      "net/ipv4/ip_forward=1",
      "net/ipv4/tcp_syncookies=0",
    ]);
  });

  it("reads only the host's own net.* keys, never a path out of /proc/sys/net", () => {
    files({
      "network/interfaces": "",
      "sysctl.conf":
        "kernel.core_pattern = |/tmp/x\nnet./../kernel.core_pattern = |/tmp/x\nnet.ipv4.ip_forward\n",
    });
    const result = boot();
    expect(result.sysctls).toEqual(["net/ipv4/ip_forward=0"]);
    const conf = `${root}/netns/web/sysctl.conf`;
    expect(result.messages).toEqual([
      `reboot-host: web: ${conf}:1: kernel.core_pattern is not a key of the host's network (only net.* keys are read)`,
      `reboot-host: web: ${conf}:2: net./../kernel.core_pattern is not a key of the host's network (only net.* keys are read)`,
      `reboot-host: web: ${conf}:3: not a "key = value" line`,
    ]);
  });
});
