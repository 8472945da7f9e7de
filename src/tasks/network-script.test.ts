// Unit tests of the scripts that build a task's network and reboot its hosts, and of the commands they install.
import { describe, expect, it } from "vitest";
import type { NetworkHost, TaskNetwork } from "../domain/network";
import { interfaceMac, networkBootScript, networkSetupScript, ON_SCRIPT } from "./network-script";

function makeHost(overrides: Partial<NetworkHost> & { name: string }): NetworkHost {
  return {
    forwarding: false,
    interfaces: [{ name: "eth0", segment: "lan", address: "10.0.1.10/24" }],
    routes: [],
    nameservers: [],
    search: [],
    services: [],
    ...overrides,
  };
}

const NETWORK: TaskNetwork = {
  hosts: [
    makeHost({
      name: "client",
      routes: [{ to: "default", via: "10.0.1.1" }],
      nameservers: ["10.0.2.53"],
      search: ["corp.example"],
    }),
    makeHost({
      name: "router",
      forwarding: true,
      interfaces: [
        { name: "eth0", segment: "lan", address: "10.0.1.1/24" },
        { name: "eth1", segment: "dmz", address: "10.0.2.1/24", mtu: 1400 },
      ],
    }),
    makeHost({
      name: "web",
      interfaces: [{ name: "eth0", segment: "dmz", address: "10.0.2.10/24" }],
      routes: [{ to: "10.0.1.0/24", via: "10.0.2.1" }],
      services: [{ name: "http", command: `python3 -c "print('100%')" $HOME` }],
    }),
  ],
};

/** The lines of one heredoc that starts with `opener`. */
function block(script: string, opener: string, end: string): string[] {
  const lines = script.split("\n");
  const start = lines.indexOf(opener);
  expect(start, `no line "${opener}"`).toBeGreaterThanOrEqual(0);
  return lines.slice(start + 1, lines.indexOf(end, start + 1));
}

describe("networkSetupScript", () => {
  const script = networkSetupScript(NETWORK);

  it("is a strict bash script that installs the on and reboot-host commands first", () => {
    expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail\n");
    expect(block(script, "cat > /usr/local/bin/on <<'ON'", "ON").join("\n")).toBe(
      ON_SCRIPT.trimEnd(),
    );
    expect(block(script, "cat > /usr/local/bin/reboot-host <<'BOOT'", "BOOT").join("\n")).toBe(
      networkBootScript(NETWORK).trimEnd(),
    );
    expect(script).toContain(
      "mkdir -p /run/opslab-net/uts /run/systemd/system /etc/network /etc/iptables\n",
    );
  });

  it("writes each host's files under /etc/netns/<host>/, each unless a fixture is there", () => {
    expect(script).toContain(
      "mkdir -p /etc/netns/web/network/interfaces.d /etc/netns/web/sysctl.d /etc/netns/web/iptables\n",
    );
    expect(script).toContain(
      "[ -e /etc/netns/web/hosts ] || printf %s '127.0.0.1 localhost\n127.0.1.1 web\n' > /etc/netns/web/hosts\n",
    );
    expect(script).toContain(
      "[ -e /etc/netns/client/resolv.conf ] || printf %s 'nameserver 10.0.2.53\nsearch corp.example\n' > /etc/netns/client/resolv.conf\n",
    );
    expect(script).toMatch(
      /\[ -e \/etc\/netns\/router\/sysctl\.conf \] \|\| printf %s '(.|\n)*\nnet\.ipv4\.ip_forward=1\n' > \/etc\/netns\/router\/sysctl\.conf\n/,
    );
    // a quote in a file's text is kept: the firewall's comment has one
    expect(script).toContain("# This host'\\''s firewall");
  });

  it("runs services as systemd units inside their host, with the command escaped for systemd", () => {
    const unit = block(script, "cat > /run/systemd/system/web-http.service <<'UNIT'", "UNIT");
    expect(unit).toContain(
      'ExecStart=/usr/bin/nsenter --uts=/run/opslab-net/uts/web /usr/bin/ip netns exec web /bin/sh -c "exec python3 -c \\"print(\'100%%\')\\" $$HOME"',
    );
    expect(unit).toContain("Restart=on-failure");
  });

  it("ends by booting the whole network with the boot code it installed", () => {
    expect(script.trimEnd().split("\n").slice(-4)).toEqual([
      "set +eu",
      "source /usr/local/bin/reboot-host",
      "NET_PROG=network",
      "net_build",
    ]);
  });
});

describe("networkBootScript", () => {
  const boot = networkBootScript(NETWORK);

  it("declares the cabling: hosts, interfaces on segments with stable MACs, and units", () => {
    expect(boot.startsWith("#!/bin/bash\n")).toBe(true);
    expect(boot).toContain("NET_HOSTS=(client router web)\n");
    expect(boot).toContain(
      `[router]="eth0,lan,${interfaceMac("router", "eth0")}, eth1,dmz,${interfaceMac("router", "eth1")},1400"`,
    );
    expect(boot).toContain('declare -A NET_UNITS=([web]="web-http.service")\n');
  });

  it("holds none of the hosts' initial files (they could give a task's answer away)", () => {
    expect(boot).not.toContain("10.0.1.10/24");
    expect(boot).not.toContain("nameserver");
  });

  it("is quiet about services when no host has one", () => {
    expect(networkBootScript({ hosts: [makeHost({ name: "solo" })] })).toContain(
      "declare -A NET_UNITS=()\n",
    );
  });
});

describe("interfaceMac", () => {
  it("is stable, locally administered and differs between interfaces", () => {
    expect(interfaceMac("web", "eth0")).toBe(interfaceMac("web", "eth0"));
    expect(interfaceMac("web", "eth0")).toMatch(/^02:4f(:[0-9a-f]{2}){4}$/);
    const macs = ["web/eth0", "web/eth1", "db/eth0", "router/eth0"].map((n) =>
      interfaceMac(n.split("/")[0]!, n.split("/")[1]!),
    );
    expect(new Set(macs).size).toBe(macs.length);
  });
});
