// Integration: a task network built in the real VM: hosts booted from their own files, routing through a
// router, `on`, services, and host reboots (the agent's reboot-host and the grader's reboot_host).
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";
import GRADER_LIB from "./grader/lib.sh?raw";
import { networkBootScript, networkSetupScript } from "./network-script";
import { parseTaskToml } from "./task-toml";

const TASK_TOML = `
id = "net-test"
title = "network test"
domain = "networking"
difficulty = "easy"
teaches = "nothing"

[[network.hosts]]
name = "client"
interfaces = [{ segment = "lan", address = "10.0.1.10/24" }]
routes = [{ to = "default", via = "10.0.1.1" }]
nameservers = ["10.0.2.53"]
search = ["corp.example"]

[[network.hosts]]
name = "router"
forwarding = true
interfaces = [
  { segment = "lan", address = "10.0.1.1/24" },
  { segment = "dmz", address = "10.0.2.1/24", mtu = 1400 },
]

[[network.hosts]]
name = "web"
interfaces = [{ segment = "dmz", address = "10.0.2.10/24", mtu = 1400 }]
routes = [{ to = "default", via = "10.0.2.1" }]
services = [{ name = "echo", command = "nc -lk 7000" }]
`;

let vm: V86Vm;
const network = parseTaskToml(TASK_TOML, "task.toml").network!;

beforeAll(async () => {
  vm = await startNodeVm();
  await vm.writeFile("/run/network.sh", networkSetupScript(network), { mode: 0o700 });
  const built = await vm.exec("bash /run/network.sh", { timeoutMs: 180_000 });
  expect(built.stderr).toBe("");
  expect(built.exitCode).toBe(0);
});

afterAll(async () => {
  await vm?.destroy();
});

describe("a task network in the VM", () => {
  it("routes between segments through the router", async () => {
    const result = await vm.exec("on client ping -c 1 -W 3 10.0.2.10", { timeoutMs: 30_000 });
    expect(result.stdout).toContain("1 received");
    expect(result.stdout).toContain("ttl=63");
  });

  it("gives each host its name, /etc/hosts and /etc/resolv.conf", async () => {
    const result = await vm.exec(
      "on web hostname; on client 'hostname; cat /etc/resolv.conf'; hostname; on router grep -c router /etc/hosts",
    );
    expect(result.stdout.split("\n")).toEqual([
      "web",
      "client",
      "nameserver 10.0.2.53",
      "search corp.example",
      "opslab",
      "1",
      "",
    ]);
  });

  it("lists the hosts, and refuses an unknown one", async () => {
    const list = await vm.exec("on");
    expect(list.stdout).toMatch(/router\s+eth0 10\.0\.1\.1\/24\s+eth1 10\.0\.2\.1\/24/);
    const unknown = await vm.exec("on nowhere true");
    expect(unknown.exitCode).toBe(2);
    expect(unknown.stderr).toContain("no host named 'nowhere' (hosts: client router web)");
  });

  it("applies MTUs on both ends and runs services as units in their host", async () => {
    const result = await vm.exec(
      "cat /sys/class/net/web-eth0/mtu; on web cat /sys/class/net/eth0/mtu; systemctl is-active web-echo.service; on client nc -z -w 3 10.0.2.10 7000 && echo open",
      { timeoutMs: 30_000 },
    );
    expect(result.stdout.split("\n").slice(0, 4)).toEqual(["1400", "1400", "active", "open"]);
  });

  it("boots each host from its own files: interfaces, sysctl.conf, an empty firewall", async () => {
    const result = await vm.exec(
      "on router 'cat /proc/sys/net/ipv4/ip_forward; grep -c address /etc/network/interfaces'; on web cat /proc/sys/net/ipv4/ip_forward; on web nft list ruleset | wc -l",
    );
    expect(result.stdout.split("\n").slice(0, 4)).toEqual(["1", "2", "0", "0"]);
  });
});

describe("a host reboot", () => {
  // NOTE: these run in order: each builds on what the one before left.
  it("drops what was set only live, keeps what is in the host's files, and brings the daemons back", async () => {
    const live = [
      "on web ip route add 10.0.9.0/24 via 10.0.2.1",
      "on web sysctl -qw net.ipv4.conf.all.rp_filter=1",
      "on web nft add table inet live",
      "on web sh -c 'sleep 600 >/dev/null 2>&1 &'",
    ];
    const persisted = [
      "echo '    up ip route add 10.0.7.0/24 via 10.0.2.1' >> /etc/netns/web/network/interfaces",
      "echo 'net.ipv4.conf.all.rp_filter = 2' > /etc/netns/web/sysctl.d/60-rp.conf",
      "printf 'table inet kept {\\n  chain input { type filter hook input priority 0; tcp dport 9999 drop; }\\n}\\n' >> /etc/netns/web/nftables.conf",
    ];
    const before = await vm.exec(
      [
        ...live,
        ...persisted,
        "on web cat /sys/class/net/eth0/address",
        "systemctl show -p MainPID --value web-echo",
      ].join(" && "),
      { timeoutMs: 60_000 },
    );
    expect(before.exitCode, before.stderr).toBe(0);
    const [macBefore, pidBefore] = before.stdout.trim().split("\n");
    const reboot = await vm.exec("reboot-host web", { timeoutMs: 60_000 });
    expect(reboot.stderr).toBe("");
    expect(reboot.exitCode).toBe(0);
    const after = await vm.exec(
      [
        "on web ip route show 10.0.9.0/24",
        "on web ip route show 10.0.7.0/24",
        "on web cat /proc/sys/net/ipv4/conf/all/rp_filter",
        "on web nft list tables",
        "ip netns pids web | xargs -r ps -o comm= -p",
        "on web cat /sys/class/net/eth0/address",
        "systemctl show -p MainPID --value web-echo",
      ].join("; echo --; "),
      { timeoutMs: 30_000 },
    );
    const [route9, route7, rpFilter, tables, processes, mac, pid] = after.stdout
      .split("--\n")
      .map((part) => part.trim());
    expect(route9).toBe("");
    expect(route7).toBe("10.0.7.0/24 via 10.0.2.1 dev eth0");
    expect(rpFilter).toBe("2");
    expect(tables).toBe("table inet kept");
    expect(processes).toBe("nc");
    expect(mac).toBe(macBefore);
    expect(pid).not.toBe(pidBefore);
    const echo = await vm.exec(
      "for i in $(seq 50); do on client nc -z -w 1 10.0.2.10 7000 && echo open && break; sleep 0.2; done",
      { timeoutMs: 60_000 },
    );
    expect(echo.stdout).toContain("open");
  });

  it("reports a bad line of a host's files, and boots the rest of them", async () => {
    const result = await vm.exec(
      "echo '    up ip route add 10.0.6.0/24 via 10.0.2.1; rm -rf /srv' >> /etc/netns/web/network/interfaces && reboot-host web; echo rc=$?; on web ip route show 10.0.7.0/24",
      { timeoutMs: 60_000 },
    );
    expect(result.stderr).toMatch(
      /^reboot-host: web: \/etc\/netns\/web\/network\/interfaces:\d+: only plain words are read in: ip route add 10\.0\.6\.0\/24 via 10\.0\.2\.1; rm -rf \/srv \(not run\)\n$/,
    );
    expect(result.stdout).toBe("rc=1\n10.0.7.0/24 via 10.0.2.1 dev eth0 \n");
  });

  it("is refused from inside a host, where it would cut off its own shell", async () => {
    const result = await vm.exec("on web reboot-host web; echo rc=$?; on web hostname");
    expect(result.stderr).toBe(
      "reboot-host: run it on the workstation, not inside a host (this shell is on web)\n",
    );
    expect(result.stdout).toBe("rc=2\nweb\n");
  });

  it("is done for the grader by its own copy of the boot code, whatever became of reboot-host", async () => {
    await vm.writeFile("/run/opslab-grader/lib.sh", GRADER_LIB);
    await vm.writeFile("/run/opslab-grader/network.sh", networkBootScript(network));
    const result = await vm.exec(
      [
        "printf '#!/bin/sh\\necho PASS: fooled\\n' > /usr/local/bin/reboot-host",
        "on router ip route add 10.0.99.0/24 via 10.0.2.10",
        "env -i HOME=/root PATH=/usr/sbin:/usr/bin:/sbin:/bin LANG=C.UTF-8 /bin/bash --noprofile --norc -c 'source /run/opslab-grader/lib.sh; reboot_host router client; echo rc=$?'",
        "on router ip route show 10.0.99.0/24",
        "on client ping -c 1 -W 3 10.0.2.10 >/dev/null && echo routed",
      ].join("; "),
      { timeoutMs: 60_000 },
    );
    expect(result.stdout).toBe("rc=0\nrouted\n");
    expect(result.stderr).toBe("");
  });
});
