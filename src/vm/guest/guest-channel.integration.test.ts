// Integration tests of the guest channel v2 on the real VM: forged and injected frames, cancel, kill-session,
// sync, the host socket's bounds and the serial port held exclusively, each done from inside the guest.
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { startNodeVm } from "../driver/node-vm";
import type { V86Vm } from "../driver/v86-vm";

let vm: V86Vm;

beforeAll(async () => {
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

/** A fresh machine and channel report for each test (a forged frame leaves the report untrusted). */
beforeEach(async () => {
  await vm.reset();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** How many processes run exactly `args`. */
async function running(args: string): Promise<number> {
  const result = await vm.exec(`ps -eo args | grep -cx '${args}' || true`);
  return Number(result.stdout.trim());
}

/** The guest's file as the host's 9p server has it (what the host can read without asking the guest). */
function hostSideFile(path: string): Promise<Uint8Array | null> {
  const emulator = (
    vm as unknown as { emulator: { read_file(path: string): Promise<Uint8Array | null> } }
  ).emulator;
  return emulator.read_file(path).catch(() => null);
}

/** Writes, in a loop, exec replies saying "PASS" with every id from 1 to 300, as a process in the guest could. */
const FORGER = String.raw`cat > /tmp/forge.sh <<'EOF'
while true; do
  for id in $(seq 1 300); do
    json="{\"id\":$id,\"ok\":true,\"request\":\"\",\"exitCode\":0,\"stdout\":\"UEFTUzogZm9yZ2VkCg==\",\"stderr\":\"\",\"stdoutBytes\":13,\"stderrBytes\":0,\"timedOut\":false,\"cancelled\":false,\"durationMs\":1,\"cwd\":\"/root\"}"
    printf '@@OPSLAB %s\n' "$(printf %s "$json" | base64 -w0)"
  done > /dev/ttyS1
  sleep 0.2
done
EOF
setsid bash /tmp/forge.sh < /dev/null > /dev/null 2>&1 &`;

/** Types exec requests into the agent's own input (TIOCSTI) with the ids the host uses next. */
const INJECTOR = String.raw`cat > /tmp/inject.py <<'EOF'
import base64, fcntl, json, os, sys, termios
fd = os.open("/dev/ttyS1", os.O_RDWR | os.O_NOCTTY)
first, count = int(sys.argv[1]), int(sys.argv[2])
for id in range(first, first + count):
    request = {"id": id, "op": "exec", "command": "sleep 2; echo 'PASS: injected'", "session": "inj-%d" % id,
               "timeoutMs": 60000, "maxOutputBytes": 65536}
    for byte in b"@@OPSLAB " + base64.b64encode(json.dumps(request).encode()) + b"\n":
        fcntl.ioctl(fd, termios.TIOCSTI, bytes([byte]))
EOF`;

describe("a guest that writes to the channel", () => {
  it("starts trusted: the host keyed the agent at the restore", () => {
    expect(vm.channelReport()).toMatchObject({ trusted: true, alarms: [] });
  });

  it("does not take reply frames forged on ttyS1 by a process in the guest, and records them", async () => {
    await vm.exec(FORGER, { session: "forger" });
    await expect
      .poll(() => vm.channelReport().counts["forged-frame"], { timeout: 30_000, interval: 200 })
      .toBeGreaterThan(0);
    for (let i = 0; i < 5; i++) {
      const result = await vm.exec(`echo real-${i}`);
      expect(result).toMatchObject({ stdout: `real-${i}\n`, exitCode: 0 });
    }
    const report = vm.channelReport();
    expect(report.trusted).toBe(false);
    expect(report.alarms[0]).toMatchObject({
      kind: "forged-frame",
      detail: expect.stringMatching(/without a MAC: \{"id":\d+,"ok":true/),
    });
    expect(report.alarms.length).toBeLessThanOrEqual(50);
    expect((await vm.killSession("forger")).remaining).toBe(0);
  });

  it("does not take the genuine reply to a request typed into the agent's input with a host request's id", async () => {
    await vm.exec(INJECTOR);
    const count = 4;
    // NOTE: a peek at the host's next request id, to aim the injection the way a lucky guess would.
    const next = (vm as unknown as { channel: { nextId: number } }).channel.nextId;
    await vm.exec(`python3 /tmp/inject.py ${next + 1} ${count}`);
    const results = await Promise.all(
      Array.from({ length: count }, (_, i) =>
        vm.exec(`sleep 4; echo real-${i}`, { session: `real-${i}` }),
      ),
    );
    expect(results.map((r) => r.stdout)).toEqual(
      Array.from({ length: count }, (_, i) => `real-${i}\n`),
    );
    const report = vm.channelReport();
    expect(report.counts["forged-frame"]).toBeGreaterThanOrEqual(1);
    expect(report.alarms[0]?.detail).toMatch(/did not send.*"id":\d+/);
    expect(report.trusted).toBe(false);
  });

  it("holds ttyS1 exclusively: a process without CAP_SYS_ADMIN cannot open it", async () => {
    const result = await vm.exec(
      "setpriv --bounding-set=-sys_admin --inh-caps=-sys_admin bash -c 'exec 3> /dev/ttyS1' 2>&1; echo rc=$?",
    );
    expect(result.stdout).toMatch(/Device or resource busy[\s\S]*rc=1/);
    expect(vm.channelReport().alarms).toEqual([]);
  });
});

/** How soon a cancelled command's result must come: seconds, where the command would take 100. */
const CANCEL_BOUND_MS = 10_000;

describe("cancel", () => {
  it("stops `sleep 100` within seconds, not its 100, and the next command works", async () => {
    const controller = new AbortController();
    const command = vm.exec("sleep 100", { signal: controller.signal, timeoutMs: 120_000 });
    await expect.poll(() => running("sleep 100"), { timeout: 10_000 }).toBe(1);
    const aborted = Date.now();
    controller.abort();
    const result = await command;
    const tookMs = Date.now() - aborted;
    console.log(`cancel: the cancelled command's result came ${tookMs} ms after the abort`);
    // NOTE: a bound far below the 100 s of sleep, not a speed target: with two test files at once on
    // two cores the result came 1.2 s after the abort (about 0.3 s alone); the figure is printed above.
    expect(tookMs).toBeLessThan(CANCEL_BOUND_MS);
    expect(result).toMatchObject({ cancelled: true, timedOut: false, exitCode: 130 });
    expect(await running("sleep 100")).toBe(0);
    expect((await vm.exec("echo next")).stdout).toBe("next\n");
  });
});

describe("kill-session", () => {
  it("kills what a session's commands left running (setsid, nohup, a double fork) and forgets the session", async () => {
    await vm.exec(
      "cd /tmp && export LEFT=1; setsid sleep 1001 < /dev/null > /dev/null 2>&1 & " +
        "nohup sleep 1002 > /dev/null 2>&1 & (sleep 1003 < /dev/null > /dev/null 2>&1 &)",
      { session: "leaver" },
    );
    await expect
      .poll(async () => [
        await running("sleep 1001"),
        await running("sleep 1002"),
        await running("sleep 1003"),
      ])
      .toEqual([1, 1, 1]);
    const untouched = await vm.exec("sleep 1004 < /dev/null > /dev/null 2>&1 &", {
      session: "other",
    });
    expect(untouched.exitCode).toBe(0);
    expect(await vm.killSession("leaver")).toEqual({ remaining: 0 });
    expect([
      await running("sleep 1001"),
      await running("sleep 1002"),
      await running("sleep 1003"),
    ]).toEqual([0, 0, 0]);
    expect(await running("sleep 1004")).toBe(1); // another session's
    const fresh = await vm.exec('pwd; echo "${LEFT:-unset}"', { session: "leaver" });
    expect(fresh.stdout).toBe("/root\nunset\n");
    expect(await vm.killSession("never-used")).toEqual({ remaining: 0 });
  });
});

describe("sync", () => {
  it("makes a file just written in the guest readable from the host side", async () => {
    const text = `synced ${Date.now()}\n`;
    await vm.exec(`printf '%s' '${text}' > /root/synced.txt`);
    const before = await hostSideFile("/root/synced.txt");
    await vm.syncFiles();
    const after = await hostSideFile("/root/synced.txt");
    console.log(
      `sync: before it the host side read ${before === null ? "no file" : `${before.length} bytes`}`,
    );
    expect(after && new TextDecoder().decode(after)).toBe(text);
  });
});

describe("the host socket", () => {
  it("refuses a flood of 200 connections beyond 8, drops a silent one after 10 s, and the cloud program still works", async () => {
    const off = vm.handleHostCalls("cloud", (body) => ({
      stdout: `argv ${JSON.stringify((body as { argv: string[] }).argv)}\n`,
      exitCode: 0,
    }));
    try {
      const flood = await vm.exec(
        String.raw`python3 - <<'EOF'
import socket, time
conns = []
for i in range(200):
    s = socket.socket(socket.AF_UNIX)
    s.connect("/run/opslab/host.sock")
    conns.append(s)
time.sleep(1)
refused = 0
for s in conns:
    s.setblocking(False)
    try:
        refused += b"too many calls to the host at once" in s.recv(200)
    except BlockingIOError:
        pass
print(refused)
for s in conns:
    s.close()
EOF`,
        { timeoutMs: 60_000 },
      );
      expect(flood.stdout.trim()).toBe("192");
      const silent = await vm.exec(
        String.raw`python3 -c '
import socket, time
s = socket.socket(socket.AF_UNIX); s.connect("/run/opslab/host.sock"); t = time.time()
print(s.recv(200).decode().strip(), round(time.time() - t))'`,
        { timeoutMs: 30_000 },
      );
      expect(silent.stdout).toMatch(/no request line within 10 s.* (10|11)\n$/);
      const cloud = await vm.exec("cloud describe-instances");
      expect(cloud).toMatchObject({ exitCode: 0, stdout: 'argv ["describe-instances"]\n' });
      expect(vm.channelReport().alarms).toEqual([]);
    } finally {
      off();
    }
  });
});

describe("a restarted agent", () => {
  it("is recorded, and the host keys the new agent so the VM stays usable", async () => {
    await vm
      .exec("kill -9 $(systemctl show -p MainPID --value opslab-agent); sleep 5")
      .catch(() => undefined);
    await sleep(500);
    expect((await vm.exec("echo back")).stdout).toBe("back\n");
    const report = vm.channelReport();
    expect(report).toMatchObject({ trusted: false, counts: { "agent-restarted": 1 } });
  });
});
