// Unit tests of the `cloud` command line, host-side: parsing, help at every level, output formats, errors, exit codes.
import { describe, expect, it } from "vitest";
import { ACTIONS } from "../core/actions";
import { makeCloud } from "../core/fixture";
import { CloudHost } from "./host";
import { INSTANCE_BOOT_MS } from "../core/model";
import { parseArgv } from "./parse";
import { EXIT_API_ERROR, EXIT_USAGE, runCli, type CliResponse } from "./run";

const ADMIN = { accessKeyId: "AKADMIN", secretAccessKey: "admin-secret" };
const VIEWER = { accessKeyId: "AKVIEWER", secretAccessKey: "viewer-secret" };

function cli(argv: string, keys = ADMIN, plane = makeCloud()): CliResponse {
  return runCli(plane, { argv: argv.split(" ").filter(Boolean) }, { kind: "keys", ...keys });
}

describe("parseArgv", () => {
  it("maps words, a positional argument and typed flags onto an action's parameters", () => {
    const parsed = parseArgv([
      "instances",
      "create",
      "--type",
      "small",
      "--image",
      "web",
      "--subnet",
      "public-a",
      "--security-groups=a,b",
      "--security-groups",
      "c",
      "--tag",
      "k=v",
      "--tag",
      "x=y=z",
      "-o",
      "json",
    ]);
    expect(parsed).toMatchObject({
      kind: "call",
      output: "json",
      action: { name: "RunInstances" },
      params: { type: "small", "security-groups": ["a", "b", "c"], tag: { k: "v", x: "y=z" } },
    });
    expect(parseArgv(["volumes", "describe", "vol-1", "--region", "eu-west-1"])).toMatchObject({
      params: { volume: "vol-1" },
      region: "eu-west-1",
    });
    expect(
      parseArgv([
        "subnets",
        "create",
        "--public",
        "--name",
        "n",
        "--network",
        "m",
        "--zone",
        "z",
        "--cidr",
        "c",
      ]),
    ).toMatchObject({
      params: { public: true, name: "n" },
    });
    expect(parseArgv(["volumes", "create", "--size", "10", "--zone", "z"])).toMatchObject({
      params: { size: 10 },
    });
  });

  it("explains usage errors like argparse does", () => {
    const error = (argv: string) => {
      const parsed = parseArgv(argv.split(" ").filter(Boolean));
      return parsed.kind === "usage-error" ? parsed.message : parsed.kind;
    };
    expect(error("")).toBe("the following arguments are required: command");
    expect(error("instance list")).toMatch(
      /invalid choice: 'instance' \(did you mean 'instances'\?\)/,
    );
    expect(error("instances lst")).toMatch(/invalid choice: 'lst' \(did you mean 'list'\?\)/);
    expect(error("instances create --type small")).toBe(
      "the following arguments are required: --image, --subnet",
    );
    expect(error("instances list --verbose")).toBe("unrecognized arguments: --verbose");
    expect(error("instances describe a b")).toBe("unrecognized arguments: b");
    expect(error("volumes create --zone z --size ten")).toBe(
      "argument --size: invalid int value: 'ten'",
    );
    expect(error("instances list -o yaml")).toMatch(
      /invalid choice: 'yaml' \(choose from 'json', 'table', 'text'\)/,
    );
    expect(error("instances tag i-1 --tag novalue")).toBe(
      "argument --tag: expected KEY=VALUE, got 'novalue'",
    );
  });

  it("has help at every level, naming each subcommand's permission", () => {
    const help = (argv: string) => {
      const parsed = parseArgv(argv.split(" "));
      return parsed.kind === "help" ? parsed.text : "";
    };
    expect(help("--help")).toMatch(
      /usage: cloud \[options\] <command>[\s\S]*instances +launch, inspect[\s\S]*Exit codes: 0 success/,
    );
    expect(help("volumes --help")).toMatch(
      /Subcommands:[\s\S]*attach +Attach an available volume to an instance in the same zone/,
    );
    const attach = help("volumes attach -h");
    expect(attach).toMatch(
      /^usage: cloud volumes attach VOLUME --instance VALUE \[--device VALUE\]/,
    );
    expect(attach).toMatch(/needs the permission storage:AttachVolume on volume\/VOLUME/);
    for (const action of ACTIONS)
      expect(help(`${action.group} ${action.verb} --help`)).toContain(action.summary);
  });
});

describe("runCli", () => {
  it("prints lists as tables and objects as fields", () => {
    const list = cli("instances list");
    expect(list.exitCode).toBe(0);
    expect(list.stdout.split("\n")[0]).toMatch(
      /^ID +NAME +TYPE +STATE +ZONE +PRIVATE_IP +PUBLIC_IP$/,
    );
    expect(list.stdout).toMatch(
      /i-web1 +web-1 +small +running +eu-west-1a +10\.0\.1\.10 +198\.51\.100\.10/,
    );
    expect(cli("instances describe web-1").stdout).toMatch(/^id: +i-web1\nname: +web-1\n/);
    expect(cli("deployments describe api").stdout).toMatch(/pods:\n  NAME +REVISION +IMAGE/);
  });

  it("prints JSON that parses, with the same data", () => {
    const out = cli("instances list --output json");
    const parsed = JSON.parse(out.stdout) as { items: { id: string; state: string }[] };
    expect(parsed.items.map((i) => [i.id, i.state])).toEqual([
      ["i-web1", "running"],
      ["i-web2", "running"],
    ]);
  });

  it("selects with --query (JMESPath, on the result as JSON shows it) and prints values only with -o text", () => {
    const run = (...argv: string[]) => runCli(makeCloud(), { argv }, { kind: "keys", ...ADMIN });
    expect(run("instances", "describe", "web-1", "--query", "state", "-o", "text")).toEqual({
      stdout: "running\n",
      stderr: "",
      exitCode: 0,
    });
    expect(
      run("instances", "list", "--query", "items[?name=='web-2'].id | [0]", "-o", "text").stdout,
    ).toBe("i-web2\n");
    // A list of values on one line, tab-separated; rows of values one a line; nothing selected is None.
    expect(run("instances", "list", "--query", "items[].id", "-o", "text").stdout).toBe(
      "i-web1\ti-web2\n",
    );
    expect(run("instances", "list", "--query", "items[].[id, state]", "--output=text").stdout).toBe(
      "i-web1\trunning\ni-web2\trunning\n",
    );
    expect(run("instances", "describe", "web-1", "--query", "nothing", "-o", "text").stdout).toBe(
      "None\n",
    );
    // The same selection as JSON, and as a table.
    expect(
      JSON.parse(run("instances", "list", "--query", "items[].id", "-o", "json").stdout),
    ).toEqual(["i-web1", "i-web2"]);
    expect(run("instances", "list", "--query", "items[].{id: id, zone: zone}").stdout).toMatch(
      /^ID +ZONE\ni-web1 +eu-west-1a\n/,
    );
    expect(run("instances", "list", "--query", "length(items)").stdout).toBe("2\n");
    // Without --query, text prints every value of the result.
    expect(run("instances", "describe", "web-1", "-o", "text").stdout).toMatch(
      /^i-web1\tweb-1\tsmall\trunning\t/,
    );
  });

  it("refuses a --query that is not JMESPath, or has no expression, as a usage error", () => {
    const bad = runCli(
      makeCloud(),
      { argv: ["instances", "list", "--query", "items[?"] },
      undefined,
    );
    expect(bad.exitCode).toBe(EXIT_USAGE);
    expect(bad.stderr).toMatch(/cloud: error: argument --query: not a JMESPath expression: /);
    expect(
      runCli(makeCloud(), { argv: ["instances", "list", "--query"] }, undefined).stderr,
    ).toMatch(/argument --query: expected one argument/);
  });

  it("prints API errors in the cloud's words with exit 1, usage errors with exit 2", () => {
    expect(cli("instances describe i-nope")).toEqual({
      stdout: "",
      stderr:
        "An error occurred (InvalidInstanceID.NotFound) when calling the DescribeInstance operation: The instance ID 'i-nope' does not exist\n",
      exitCode: EXIT_API_ERROR,
    });
    const denied = cli("instances terminate web-1", VIEWER);
    expect(denied.exitCode).toBe(EXIT_API_ERROR);
    expect(denied.stderr).toMatch(
      /^An error occurred \(AccessDenied\) when calling the TerminateInstances operation: User: user\/viewer is not authorized to perform: compute:TerminateInstances on resource: instance\/web-1/,
    );
    expect(cli("instances frobnicate")).toMatchObject({
      exitCode: EXIT_USAGE,
      stderr: expect.stringMatching(
        /^usage: cloud instances <subcommand>[\s\S]*cloud: error: argument subcommand/,
      ),
    });
  });

  it("creates, then describes what it created", () => {
    const plane = makeCloud();
    const created = JSON.parse(
      cli(
        "instances create --name web-3 --type small --image web --subnet public-a --security-groups web -o json",
        ADMIN,
        plane,
      ).stdout,
    ) as { id: string };
    expect(cli(`instances describe ${created.id}`, ADMIN, plane).stdout).toMatch(/state: +pending/);
    plane.advance(INSTANCE_BOOT_MS);
    expect(cli("instances describe web-3", ADMIN, plane).stdout).toMatch(/state: +running/);
  });
});

describe("CloudHost", () => {
  it("advances simulated time with the host's clock", () => {
    let now = 1000;
    const host = new CloudHost(makeCloud(), () => now);
    const start = host.plane.state.nowMs;
    now += 2500;
    host.handle({ argv: ["instances", "list"], credentials: ADMIN });
    expect(host.plane.state.nowMs).toBe(start + 2500);
  });

  it("grants nothing for a profile's name: a call without keys is anonymous, whatever it is called", () => {
    const host = new CloudHost(makeCloud(), () => 0);
    for (const profile of ["grader", "grader-x", "default", "root"]) {
      const response = host.handle({ argv: ["instances", "list"], profile });
      expect(response).toMatchObject({
        exitCode: 1,
        stderr: expect.stringMatching(/MissingAuthenticationToken/),
      });
    }
    expect(host.plane.state.audit.map((e) => e.principal)).toEqual(Array(4).fill("anonymous"));
  });

  it("uses a role from the request, and refuses a malformed request", () => {
    const host = new CloudHost(makeCloud(), () => 0);
    const asRole = host.handle({
      argv: ["iam", "whoami"],
      credentials: { accessKeyId: "AKDEV", secretAccessKey: "dev-secret" },
      role: "deployer",
    });
    expect(asRole.stdout).toMatch(/principal: +role\/deployer/);
    expect(host.handle({ argv: "instances list" })).toMatchObject({
      exitCode: 255,
      stderr: expect.stringMatching(/malformed/),
    });
  });
});
