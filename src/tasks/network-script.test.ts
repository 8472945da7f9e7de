// Unit tests of the script that builds a task's network, and of the `on` command it installs.
import { describe, expect, it } from "vitest";
import type { NetworkHost, TaskNetwork } from "../domain/network";
import { networkSetupScript, ON_SCRIPT } from "./network-script";

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

  it("is a strict bash script that installs the on command first", () => {
    expect(script.startsWith("#!/usr/bin/env bash\n")).toBe(true);
    expect(script).toContain("set -euo pipefail\n");
    expect(block(script, "cat > /usr/local/bin/on <<'ON'", "ON").join("\n")).toBe(
      ON_SCRIPT.trimEnd(),
    );
  });

  it("makes one namespace per host and one bridge per segment, in one ip batch", () => {
    const batch = block(script, "ip -batch - <<'IP'", "IP");
    expect(batch.filter((l) => l.startsWith("netns add"))).toEqual([
      "netns add client",
      "netns add router",
      "netns add web",
    ]);
    expect(batch.filter((l) => l.includes("type bridge"))).toEqual([
      "link add br-lan type bridge",
      "link add br-dmz type bridge",
    ]);
    expect(batch).toContain("link add router-eth1 type veth peer name eth1 netns router");
    expect(batch).toContain("link set router-eth1 mtu 1400");
    expect(batch).toContain("link set router-eth1 master br-dmz up");
    expect(batch).toContain("link set web-eth0 master br-dmz up");
  });

  it("addresses, routes and forwarding go into each host", () => {
    const router =
      "nsenter --net=/run/netns/router unshare --uts=/run/opslab-net/uts/router sh -c 'echo router > /proc/sys/kernel/hostname; echo 1 > /proc/sys/net/ipv4/ip_forward; exec ip -batch -' <<'IP'";
    expect(block(script, router, "IP")).toEqual([
      "link set lo up",
      "addr add 10.0.1.1/24 dev eth0",
      "link set eth0 up",
      "link set eth1 mtu 1400",
      "addr add 10.0.2.1/24 dev eth1",
      "link set eth1 up",
    ]);
    expect(script).toMatch(
      /--uts=\/run\/opslab-net\/uts\/client .*<<'IP'\n(.+\n)*route add default via 10.0.1.1\nIP\n/,
    );
    expect(script).toContain(
      "echo web > /proc/sys/kernel/hostname; echo 0 > /proc/sys/net/ipv4/ip_forward",
    );
  });

  it("gives each host its name, /etc/hosts and /etc/resolv.conf", () => {
    expect(script).toContain(
      "mkdir -p /run/opslab-net/uts /run/systemd/system /etc/netns/client /etc/netns/router /etc/netns/web\n",
    );
    expect(script).toContain(": > /run/opslab-net/uts/web\n");
    expect(script).toContain(
      "printf '%s\\n' '127.0.0.1 localhost' '127.0.1.1 web' > /etc/netns/web/hosts",
    );
    expect(script).toContain(
      "printf '%s\\n' 'nameserver 10.0.2.53' 'search corp.example' > /etc/netns/client/resolv.conf",
    );
    expect(script).toContain(": > /etc/netns/web/resolv.conf");
  });

  it("runs services as systemd units inside their host, with the command escaped for systemd", () => {
    const unit = block(script, "cat > /run/systemd/system/web-http.service <<'UNIT'", "UNIT");
    expect(unit).toContain(
      'ExecStart=/usr/bin/nsenter --uts=/run/opslab-net/uts/web /usr/bin/ip netns exec web /bin/sh -c "exec python3 -c \\"print(\'100%%\')\\" $$HOME"',
    );
    expect(unit).toContain("Restart=on-failure");
    expect(script.trimEnd().split("\n").at(-1)).toBe("systemctl start web-http.service");
  });

  it("starts no unit when no host has a service", () => {
    const quiet = networkSetupScript({ hosts: [makeHost({ name: "solo" })] });
    expect(quiet).not.toContain("systemctl");
  });
});
