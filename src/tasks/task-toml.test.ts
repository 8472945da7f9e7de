// Unit tests of task.toml validation and its error messages.
import { describe, expect, it } from "vitest";
import { TaskLoadError } from "./errors";
import { parseTaskToml } from "./task-toml";

const GOOD = `
id = "nginx-reports-403"
title = "Reports page answers 403"
domain = "sysadmin"
difficulty = "easy"
tags = ["nginx"]
teaches = "chmod -R 777"
[limits]
agent_steps = 20
`;

describe("parseTaskToml", () => {
  it("reads the fields and fills in default limits", () => {
    const meta = parseTaskToml(GOOD, "task.toml", "nginx-reports-403");
    expect(meta).toMatchObject({ id: "nginx-reports-403", domain: "sysadmin", tags: ["nginx"] });
    expect(meta.limits).toEqual({
      agentSteps: 20,
      agentSeconds: 900,
      commandSeconds: 60,
      checkSeconds: 60,
    });
  });

  it("names the file, the field and what was expected", () => {
    const bad = GOOD.replace('"sysadmin"', '"databases"');
    expect(() => parseTaskToml(bad, "tasks/x/task.toml")).toThrow(TaskLoadError);
    expect(() => parseTaskToml(bad, "tasks/x/task.toml")).toThrow(
      /tasks\/x\/task.toml: domain: .*sysadmin/,
    );
    expect(() => parseTaskToml(GOOD, "t.toml", "other-name")).toThrow(
      /t.toml: id: expected "other-name"/,
    );
    expect(() => parseTaskToml("id = ", "t.toml")).toThrow(/t.toml: not valid TOML/);
  });

  it("refuses limits past their maximum, naming the field and the bound", () => {
    const over: [string, RegExp][] = [
      ["agent_seconds = 2147484", /t.toml: limits.agent_seconds: at most 86,400 seconds/],
      ["agent_seconds = 1e300", /limits.agent_seconds: at most 86,400/],
      ["command_seconds = 3601", /limits.command_seconds: at most 3,600 seconds \(1 hour\)/],
      ["check_seconds = 99999", /limits.check_seconds: at most 3,600/],
      ["agent_steps = 1001", /limits.agent_steps: at most 1,000 steps/],
      ["agent_seconds = -5", /limits.agent_seconds: /],
    ];
    for (const [line, message] of over) {
      expect(() => parseTaskToml(GOOD.replace("agent_steps = 20", line), "t.toml")).toThrow(
        message,
      );
    }
    const most = "agent_steps = 1000\nagent_seconds = 86400\ncommand_seconds = 3600";
    expect(parseTaskToml(GOOD.replace("agent_steps = 20", most), "t.toml").limits).toMatchObject({
      agentSteps: 1000,
      agentSeconds: 86_400,
      commandSeconds: 3600,
    });
  });

  it("leaves out the network when task.toml has none", () => {
    expect(parseTaskToml(GOOD, "task.toml").network).toBeUndefined();
  });
});

describe("the [solution] section", () => {
  it("reads what the reference solution takes, and is optional", () => {
    const text = `${GOOD}\n[solution]\ncommands = 3\nfaults = 1\n`;
    expect(parseTaskToml(text, "task.toml").solution).toEqual({ commands: 3, faults: 1 });
    expect(parseTaskToml(GOOD, "task.toml").solution).toBeUndefined();
  });

  it.each([
    ["a fraction of a command", "commands = 2.5\nfaults = 1", /solution.commands: .*int/],
    ["no fault at all", "commands = 2\nfaults = 0", /solution.faults: .*>0/],
    ["a missing count", "commands = 2", /solution.faults/],
    ["a misspelt field", "commands = 2\nfaults = 1\nfault = 1", /solution: .*fault/],
  ])("names the field of %s", (_, section, message) => {
    const text = `${GOOD}\n[solution]\n${section}\n`;
    expect(() => parseTaskToml(text, "t.toml")).toThrow(TaskLoadError);
    expect(() => parseTaskToml(text, "t.toml")).toThrow(message);
  });
});

const NETWORKED = `${GOOD}
[[network.hosts]]
name = "client"
interfaces = [{ segment = "lan", address = "10.0.1.10/24" }]
routes = [{ to = "default", via = "10.0.1.1" }]
nameservers = ["10.0.2.53"]

[[network.hosts]]
name = "router"
forwarding = true
interfaces = [
  { segment = "lan", address = "10.0.1.1/24" },
  { name = "wan0", segment = "dmz", address = "10.0.2.1/24", mtu = 1400 },
]

[[network.hosts]]
name = "web"
interfaces = [{ segment = "dmz", address = "10.0.2.10/24" }]
routes = [{ to = "10.0.1.0/24", via = "10.0.2.1" }]
services = [{ name = "nginx", command = "nginx -g 'daemon off;'" }]
`;

describe("the [network] section", () => {
  it("reads hosts, names unnamed interfaces eth0, eth1... and fills in defaults", () => {
    const network = parseTaskToml(NETWORKED, "task.toml").network;
    expect(network?.hosts.map((h) => h.name)).toEqual(["client", "router", "web"]);
    expect(network?.hosts[0]).toEqual({
      name: "client",
      forwarding: false,
      interfaces: [{ name: "eth0", segment: "lan", address: "10.0.1.10/24" }],
      routes: [{ to: "default", via: "10.0.1.1" }],
      nameservers: ["10.0.2.53"],
      search: [],
      services: [],
    });
    expect(network?.hosts[1]?.interfaces.map((i) => i.name)).toEqual(["eth0", "wan0"]);
    expect(network?.hosts[1]?.forwarding).toBe(true);
    expect(network?.hosts[2]?.services).toEqual([
      { name: "nginx", command: "nginx -g 'daemon off;'" },
    ]);
  });

  const broken: [string, string, RegExp][] = [
    [
      "an address without its prefix",
      NETWORKED.replace('"10.0.1.10/24"', '"10.0.1.10"'),
      /t.toml: network.hosts\[0\].interfaces\[0\].address: .*prefix length/,
    ],
    [
      "a bad gateway",
      NETWORKED.replace('via = "10.0.1.1"', 'via = "10.0.1.300"'),
      /network.hosts\[0\].routes\[0\].via: an IPv4 address/,
    ],
    [
      "a route to nowhere",
      NETWORKED.replace('{ to = "default", via = "10.0.1.1" }', '{ to = "default" }'),
      /network.hosts\[0\].routes\[0\]: a route needs via/,
    ],
    [
      "a route on a missing interface",
      NETWORKED.replace('via = "10.0.1.1" }', 'dev = "eth7" }'),
      /network.hosts\[0\].routes\[0\].dev: one of client's interfaces \(eth0\)/,
    ],
    [
      "two hosts of one name",
      NETWORKED.replace('name = "web"', 'name = "client"'),
      /network.hosts\[2\].name: "client" names two hosts/,
    ],
    [
      "a host name the shell would choke on",
      NETWORKED.replace('name = "web"', 'name = "web; rm"'),
      /network.hosts\[2\].name: lower-case/,
    ],
    [
      "a name too long for Linux",
      NETWORKED.replace('name = "web"', 'name = "webserver-primary"'),
      /network.hosts\[2\].interfaces\[0\]: "webserver-primary-eth0" .* longer than 15/,
    ],
    [
      "a host without interfaces",
      NETWORKED.replace(
        'interfaces = [{ segment = "dmz", address = "10.0.2.10/24" }]',
        "interfaces = []",
      ),
      /network.hosts\[2\].interfaces: at least one interface/,
    ],
    [
      "a two-line service",
      NETWORKED.replace(`"nginx -g 'daemon off;'"`, '"nginx\\nrm -rf /"'),
      /network.hosts\[2\].services\[0\].command: one line/,
    ],
  ];
  broken.push([
    "a misspelt field",
    NETWORKED.replace("forwarding = true", "fowarding = true"),
    /network.hosts\[1\]: .*fowarding/,
  ]);
  it.each(broken)("names the field of %s", (_, text, message) => {
    expect(() => parseTaskToml(text, "t.toml")).toThrow(TaskLoadError);
    expect(() => parseTaskToml(text, "t.toml")).toThrow(message);
  });
});
