// Unit tests of the configuration files a host gets from task.toml.
import { describe, expect, it } from "vitest";
import type { NetworkHost } from "../../domain/network";
import { hostConfigFiles, inSubnet, interfacesFile, sysctlConf } from "./host-config";

function makeHost(overrides: Partial<NetworkHost> = {}): NetworkHost {
  return {
    name: "app",
    forwarding: false,
    interfaces: [{ name: "eth0", segment: "lan", address: "10.0.1.20/24" }],
    routes: [],
    nameservers: [],
    search: [],
    services: [],
    ...overrides,
  };
}

describe("inSubnet", () => {
  it("compares the network part of the address only", () => {
    expect(inSubnet("10.0.1.1", "10.0.1.20/24")).toBe(true);
    expect(inSubnet("10.0.2.1", "10.0.1.20/24")).toBe(false);
    expect(inSubnet("10.0.200.1", "10.0.2.10/16")).toBe(true);
    expect(inSubnet("10.9.0.2", "10.9.0.1/30")).toBe(true);
    expect(inSubnet("10.9.0.5", "10.9.0.1/30")).toBe(false);
  });
});

describe("interfacesFile", () => {
  it("puts the default route as gateway and other routes as up lines with the interface they leave by", () => {
    const host = makeHost({
      interfaces: [
        { name: "eth0", segment: "lan", address: "10.0.1.20/24" },
        { name: "eth1", segment: "mgmt", address: "10.0.9.20/24", mtu: 1400 },
        { name: "eth2", segment: "trunk" },
      ],
      routes: [
        { to: "default", via: "10.0.1.1" },
        { to: "10.0.8.0/24", via: "10.0.9.1" },
        { to: "10.0.7.0/24", dev: "eth2" },
      ],
    });
    expect(interfacesFile(host))
      .toBe(`# The network interfaces of this host, brought up at boot (see on --help for what is read).

source /etc/network/interfaces.d/*

auto lo
iface lo inet loopback

auto eth0
iface eth0 inet static
    address 10.0.1.20/24
    gateway 10.0.1.1

auto eth1
iface eth1 inet static
    address 10.0.9.20/24
    up ip route add 10.0.8.0/24 via 10.0.9.1
    mtu 1400

auto eth2
iface eth2 inet manual
    up ip route add 10.0.7.0/24 dev eth2
`);
  });

  it("keeps a second default route, or one whose gateway is on no interface, as an up line", () => {
    const text = interfacesFile(
      makeHost({
        routes: [
          { to: "default", via: "10.0.1.1" },
          { to: "default", via: "10.0.1.2" },
          { to: "10.0.5.0/24", via: "192.168.7.1" },
        ],
      }),
    );
    expect(text).toContain(
      "    gateway 10.0.1.1\n    up ip route add default via 10.0.1.2\n    up ip route add 10.0.5.0/24 via 192.168.7.1\n",
    );
  });
});

describe("sysctlConf", () => {
  it("sets forwarding on a router and leaves Debian's line commented out elsewhere", () => {
    expect(sysctlConf(makeHost({ forwarding: true }))).toContain("\nnet.ipv4.ip_forward=1\n");
    expect(sysctlConf(makeHost())).toContain("\n#net.ipv4.ip_forward=1\n");
  });
});

describe("hostConfigFiles", () => {
  it("gives each host its name, hosts, resolver, interfaces, sysctls and an empty firewall", () => {
    const files = hostConfigFiles(
      makeHost({ nameservers: ["10.0.2.53", "10.0.2.54"], search: ["corp.example"] }),
    );
    expect(files.map((f) => f.path)).toEqual([
      "hostname",
      "hosts",
      "resolv.conf",
      "network/interfaces",
      "sysctl.conf",
      "nftables.conf",
    ]);
    const text = Object.fromEntries(files.map((f) => [f.path, f.text]));
    expect(text.hostname).toBe("app\n");
    expect(text.hosts).toBe("127.0.0.1 localhost\n127.0.1.1 app\n");
    expect(text["resolv.conf"]).toBe(
      "nameserver 10.0.2.53\nnameserver 10.0.2.54\nsearch corp.example\n",
    );
    expect(text["nftables.conf"]).toMatch(/^#!\/usr\/sbin\/nft -f\n(#.*\n|\n)*flush ruleset\n$/);
    expect(hostConfigFiles(makeHost()).find((f) => f.path === "resolv.conf")?.text).toBe("");
  });
});
