// Integration: the in-VM `cloud` program against the host-side control plane, through the guest agent's host socket.
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { CloudHost } from "../cloud/cli/host";
import { makeCloud } from "../cloud/core/fixture";
import { startNodeVm } from "../vm/driver/node-vm";
import type { V86Vm } from "../vm/driver/v86-vm";

const CREDENTIALS = `[default]
access_key_id = AKADMIN
secret_access_key = admin-secret

[viewer]
access_key_id = AKVIEWER
secret_access_key = viewer-secret
`;

let vm: V86Vm;
let host: CloudHost;

beforeAll(async () => {
  vm = await startNodeVm();
  host = new CloudHost(makeCloud(), () => Date.now());
  vm.handleHostCalls("cloud", (body) => host.handle(body));
  await vm.writeFile("/root/.cloud/credentials", CREDENTIALS, { mode: 0o600 });
});

afterAll(async () => {
  await vm?.destroy();
});

describe("cloud in the VM", () => {
  it("creates an instance, then describes it", async () => {
    const created = await vm.exec(
      "cloud instances create --name web-3 --type small --image web --subnet public-a --security-groups web -o json",
    );
    expect(created).toMatchObject({ exitCode: 0, stderr: "" });
    const { id } = JSON.parse(created.stdout) as { id: string };
    expect(host.plane.state.instances.find((i) => i.id === id)?.tags.Name).toBe("web-3");
    const described = await vm.exec(`cloud instances describe ${id}`);
    expect(described.exitCode).toBe(0);
    expect(described.stdout).toMatch(new RegExp(`^id: +${id}\\nname: +web-3\\n`));
  });

  it("prints JSON that jq can read", async () => {
    const result = await vm.exec(
      "cloud instances list --output json | jq -r '.items[] | select(.name == \"web-1\") | .state'",
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: "running\n" });
  });

  it("selects with --query and prints values with -o text, the expression passed through whole", async () => {
    const result = await vm.exec(
      `cloud instances list --query "items[?name == 'web-1' || name == 'web-2'].[name, state]" -o text`,
    );
    expect(result).toMatchObject({ exitCode: 0, stdout: "web-1\trunning\nweb-2\trunning\n" });
  });

  it("reports an API error with its code and exit 1", async () => {
    const result = await vm.exec("cloud volumes attach data --instance web-2 --device /dev/sdg");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /^An error occurred \(VolumeInUse\) when calling the AttachVolume operation: vol-data is already attached/,
    );
  });

  it("refuses a call the profile's policy does not allow, naming the permission", async () => {
    const result = await vm.exec("cloud --profile viewer instances terminate web-1");
    expect(result.exitCode).toBe(1);
    expect(result.stderr).toMatch(
      /\(AccessDenied\).*User: user\/viewer is not authorized to perform: compute:TerminateInstances on resource: instance\/web-1/,
    );
    const again = await vm.exec("CLOUD_PROFILE=viewer cloud instances list");
    expect(again.exitCode).toBe(0);
  });

  it("shows help and usage errors with their exit codes", async () => {
    expect((await vm.exec("cloud --help")).stdout).toMatch(/^usage: cloud \[options\]/);
    const usage = await vm.exec("cloud instances lst");
    expect(usage).toMatchObject({
      exitCode: 2,
      stderr: expect.stringMatching(/did you mean 'list'/),
    });
  });

  it("says plainly when no control plane runs, and keeps its handler across a reset", async () => {
    const timings: number[] = [];
    for (let i = 0; i < 5; i++) {
      const started = Date.now();
      expect((await vm.exec("cloud instances list")).exitCode).toBe(0);
      timings.push(Date.now() - started);
    }
    console.log(`cloud instances list wall time (ms): ${timings.join(", ")}`);
    await vm.reset();
    // The reset dropped the credentials file; keys from the environment work too.
    const env = "CLOUD_ACCESS_KEY_ID=AKVIEWER CLOUD_SECRET_ACCESS_KEY=viewer-secret";
    expect((await vm.exec(`${env} cloud iam whoami`)).stdout).toMatch(/principal: +user\/viewer/);
    // A newer handler replaces the control plane's; removing it leaves the service without one.
    vm.handleHostCalls("cloud", () => ({ stdout: "", stderr: "", exitCode: 0 }))();
    const none = await vm.exec("cloud instances list");
    expect(none).toMatchObject({
      exitCode: 255,
      stderr: "cloud: the cloud control plane is not running for this task\n",
    });
  });
});
