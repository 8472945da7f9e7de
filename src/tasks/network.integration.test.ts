// Integration: a task network built in the real VM: hosts, routing through a router, `on`, per-host files, services.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startNodeVm } from "../vm/node-vm";
import type { V86Vm } from "../vm/v86-vm";
import { networkSetupScript } from "./network-script";
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

beforeAll(async () => {
  vm = await startNodeVm();
  const meta = parseTaskToml(TASK_TOML, "task.toml");
  await vm.writeFile("/run/network.sh", networkSetupScript(meta.network!), { mode: 0o700 });
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
});
