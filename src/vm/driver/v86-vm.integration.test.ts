// Integration tests: the real image restored from its saved state in v86 under Node, driven through the guest agent.
import { createHash, randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { VmAgentRestartedError, VmUnresponsiveError } from "../errors";
import { GUEST_MEMORY_BYTES } from "../image";
import { JIT_PAGES_PER_MODULE } from "./jit-tuning";
import { startNodeVm } from "./node-vm";
import type { V86Vm } from "./v86-vm";

let vm: V86Vm;

beforeAll(async () => {
  vm = await startNodeVm();
});

afterAll(async () => {
  await vm?.destroy();
});

describe("exec", () => {
  it("runs a command in the i686 guest", async () => {
    const result = await vm.exec("uname -m");
    expect(result).toMatchObject({ exitCode: 0, stdout: "i686\n", stderr: "", timedOut: false });
  });

  it("reports exact exit codes and keeps stderr apart from stdout", async () => {
    const result = await vm.exec("echo out; echo err >&2; exit 42");
    expect(result).toMatchObject({ exitCode: 42, stdout: "out\n", stderr: "err\n" });
    expect((await vm.exec("false")).exitCode).toBe(1);
    expect((await vm.exec("kill -TERM $$")).exitCode).toBe(128 + 15);
  });

  it("carries UTF-8 text and arbitrary bytes", async () => {
    expect((await vm.exec("printf 'h\\xc3\\xa9llo \\xe2\\x9c\\x93'")).stdout).toBe("héllo ✓");
    const binary = await vm.exec("printf '\\x00\\xff\\x80\\x0a\\x0d'");
    expect([...binary.raw.stdout]).toEqual([0x00, 0xff, 0x80, 0x0a, 0x0d]);
    expect((await vm.exec("echo 'ünïcödé ✓ 日本'")).stdout).toBe("ünïcödé ✓ 日本\n");
  });

  it("keeps the directory and exported variables between commands of a session", async () => {
    await vm.exec("cd /etc && export OPSLAB_TEST_VAR='a b' && LOCAL_ONLY=1");
    const result = await vm.exec('pwd; echo "$OPSLAB_TEST_VAR|${LOCAL_ONLY:-unset}"');
    expect(result.stdout).toBe("/etc\na b|unset\n");
    expect(result.cwd).toBe("/etc");
    // Another session has its own state; per-command cwd and env apply to that command.
    expect((await vm.exec("pwd", { session: "other" })).stdout).toBe("/root\n");
    expect(
      (await vm.exec('pwd; echo "$X"', { cwd: "/tmp", env: { X: "y" }, session: "third" })).stdout,
    ).toBe("/tmp\ny\n");
    await vm.exec("cd /root; unset OPSLAB_TEST_VAR");
  });

  it("closes stdin, so programs that read it end at once", async () => {
    const result = await vm.exec("cat; read line; echo read=$?", { timeoutMs: 10_000 });
    expect(result).toMatchObject({ exitCode: 0, stdout: "read=1\n", timedOut: false });
  });

  it("cuts long output at the cap and says so", async () => {
    const result = await vm.exec("head -c 200000 /dev/zero | tr '\\0' x; echo done >&2");
    expect(result.stdout.length).toBe(64 * 1024);
    expect(result).toMatchObject({
      stdoutTruncated: true,
      stdoutTotalBytes: 200_000,
      stderrTruncated: false,
      stderr: "done\n",
    });
  });

  it("kills a command at its time limit, and the next command works", async () => {
    const started = Date.now();
    const result = await vm.exec("sleep 100", { timeoutMs: 2000 });
    expect(Date.now() - started).toBeLessThan(4000);
    expect(result).toMatchObject({ timedOut: true, exitCode: 124 });
    expect((await vm.exec("echo next")).stdout).toBe("next\n");
  });

  it("kills the whole process group, background children included", async () => {
    await vm.exec("(sleep 301 & sleep 301 & wait)", { timeoutMs: 1500 });
    expect((await vm.exec("ps -eo args | grep -c '^sleep 301$' || true")).stdout.trim()).toBe("0");
  });

  it("returns while a background job keeps running and holding the pipes", async () => {
    const result = await vm.exec("sleep 31 & echo started", { timeoutMs: 10_000 });
    expect(result).toMatchObject({ stdout: "started\n", timedOut: false });
    expect(result.durationMs).toBeLessThan(5000);
    await vm.exec("pkill -f '^sleep 31$'; true");
  });

  it("survives a command that prints 100 MB", async () => {
    const result = await vm.exec("head -c 100000000 /dev/zero", { timeoutMs: 15_000 });
    expect(result.stdoutTruncated).toBe(true);
    expect((await vm.exec("echo alive")).stdout).toBe("alive\n");
  });

  it("survives a fork bomb, and its processes are killed", async () => {
    // NOTE: under heavy host load the reply may come after the host's grace period; what matters
    // is that the agent answers afterwards and the bomb's processes are gone.
    await vm.exec("bomb() { bomb | bomb & }; bomb", { timeoutMs: 5000 }).catch(() => undefined);
    expect((await vm.exec("echo alive", { timeoutMs: 30_000 })).stdout).toBe("alive\n");
    const processes = async (): Promise<number> =>
      Number((await vm.exec("ps -e --no-headers | wc -l", { timeoutMs: 30_000 })).stdout);
    await expect.poll(processes, { timeout: 60_000, interval: 2000 }).toBeLessThan(100);
  });

  it("runs each command of sessions started at once in a cgroup of its own, and says nothing of it", async () => {
    const sessions = ["cg-a", "cg-b", "cg-c"];
    const results = await Promise.all(
      sessions.map((session) => vm.exec("cat /proc/self/cgroup", { session })),
    );
    const cgroups = results.map((r) => r.stdout.trim());
    // Each command's cgroup sits in its session's (kill-session kills the session's cgroup).
    for (const cgroup of cgroups) expect(cgroup).toMatch(/^0::\/opslab-commands\/s-\d+\/exec-\d+$/);
    expect(new Set(cgroups.map((c) => c.split("/")[2])).size).toBe(sessions.length);
    expect(results.map((r) => r.stderr)).toEqual(["", "", ""]);
  });
});

describe("files", () => {
  it("writes and reads a binary file of 1 MB exactly", async () => {
    const data = new Uint8Array(randomBytes(1024 * 1024));
    await vm.writeFile("/tmp/blob.bin", data, { mode: 0o600 });
    const sum = (await vm.exec("sha256sum /tmp/blob.bin; stat -c %a /tmp/blob.bin")).stdout.split(
      /\s+/,
    );
    expect(sum[0]).toBe(createHash("sha256").update(data).digest("hex"));
    expect(sum[2]).toBe("600");
    expect(await vm.readFile("/tmp/blob.bin")).toEqual(data);
  });

  it("says what went wrong when a file cannot be read", async () => {
    await expect(vm.readFile("/no/such/file")).rejects.toThrow(
      /reading \/no\/such\/file failed in the guest/,
    );
  });
});

describe("the guest system", () => {
  it("joins two network namespaces with a veth pair that can ping each other", async () => {
    const script = [
      "ip netns add a && ip netns add b",
      "ip link add va type veth peer name vb",
      "ip link set va netns a && ip link set vb netns b",
      "ip -n a addr add 10.9.0.1/24 dev va && ip -n b addr add 10.9.0.2/24 dev vb",
      "ip -n a link set va up && ip -n b link set vb up",
      "ip netns exec a ping -c 2 -W 2 10.9.0.2",
    ].join(" && ");
    const result = await vm.exec(script, { timeoutMs: 30_000 });
    expect(result.stdout).toContain("2 received");
    expect(result.exitCode).toBe(0);
    await vm.exec("ip netns del a; ip netns del b");
  });

  it("has the kernel features the networking tasks need", async () => {
    const script = [
      "iptables -A INPUT -p tcp --dport 2222 -j DROP && iptables -S INPUT | grep -q 2222",
      "nft add table inet t && nft add chain inet t c '{ type filter hook input priority 0; }'",
      "ip link add br-test type bridge && ip link add link br-test name br-test.10 type vlan id 10",
      "ip link add dummy-test type dummy",
      "getent hosts $(hostname) && echo ok",
    ].join(" && ");
    const result = await vm.exec(script, { timeoutMs: 60_000 });
    expect(result.stderr).toBe("");
    expect(result.stdout).toMatch(/opslab\nok\n$/);
    await vm.exec(
      "iptables -F INPUT; nft delete table inet t; ip link del br-test; ip link del dummy-test",
    );
  });

  it("serves a page from nginx", async () => {
    const result = await vm.exec(
      "systemctl start nginx && curl -s -o /dev/null -w '%{http_code}' http://localhost/",
      { timeoutMs: 30_000 },
    );
    expect(result.stdout).toBe("200");
  });

  it("echoes what is typed on the console", async () => {
    const seen: string[] = [];
    const off = vm.console.onData((bytes) => seen.push(new TextDecoder().decode(bytes)));
    vm.console.write("echo console-$((6*7))\n");
    await expect.poll(() => seen.join(""), { timeout: 10_000 }).toContain("console-42");
    off();
  });
});

describe("faults and reset", () => {
  it("reports a restarted guest agent and runs the next command", async () => {
    const killed = vm.exec("kill -9 $(systemctl show -p MainPID --value opslab-agent); sleep 5");
    await expect(killed).rejects.toBeInstanceOf(VmAgentRestartedError);
    expect((await vm.exec("echo back")).stdout).toBe("back\n");
  });

  it("rejects within a bound when the guest stops answering, and reset recovers", async () => {
    // The agent's pid first, with time to spare: only the stopping call is bounded.
    const pid = (await vm.exec("systemctl show -p MainPID --value opslab-agent")).stdout.trim();
    expect(Number(pid)).toBeGreaterThan(1);
    const started = Date.now();
    const hung = vm.exec(`kill -STOP ${pid}`, { timeoutMs: 1000 });
    await expect(hung).rejects.toBeInstanceOf(VmUnresponsiveError);
    expect(Date.now() - started).toBeLessThan(15_000);
    await vm.reset();
    expect((await vm.exec("echo recovered")).stdout).toBe("recovered\n");
  });

  it("reset() brings back the pristine machine", async () => {
    await vm.exec("touch /root/made-before-reset");
    expect((await vm.exec("ls /root/made-before-reset")).exitCode).toBe(0);
    await vm.reset();
    expect((await vm.exec("ls /root/made-before-reset")).exitCode).not.toBe(0);
  });

  it("restores a state saved while v86's 9p fid table had holes", async () => {
    // Fails when a v86 upgrade moves the fid table (fid-table.ts) or saves holes it cannot restore.
    const emulator = (vm as unknown as { emulator: unknown }).emulator as {
      v86: { cpu: { devices: { virtio_9p: { fids: unknown[] } } } };
    };
    const fids = emulator.v86.cpu.devices.virtio_9p.fids;
    expect(Array.isArray(fids)).toBe(true);
    // What a failed Txattrwalk beside a walk leaves: numbers the server never saw below one it did.
    fids[fids.length + 3] = { inodeid: -1, type: -1, uid: 0, dbg_name: "" };
    await vm.exec("echo before > /root/saved-with-holes");
    const state = await vm.saveState();
    await vm.restoreState(state);
    expect((await vm.exec("cat /root/saved-with-holes; ls /etc/hostname")).stdout).toBe(
      "before\n/etc/hostname\n",
    );
  });

  it("rejects a damaged state at once, and the next restore works", async () => {
    // Fails when v86 restores the state inside its own loading again: a damaged state then never
    // loads (the call hangs) and its error is an unhandled rejection (which fails this run too).
    const good = await vm.saveState();
    const damaged = [good.slice(0, good.byteLength / 2), new Uint8Array(4096).fill(7).buffer];
    for (const state of damaged)
      await expect(vm.restoreState(state)).rejects.toThrow(
        /could not be restored .*set the machine up afresh/,
      );
    await vm.restoreState(good);
    expect((await vm.exec("echo restored")).stdout).toBe("restored\n");
  });

  it("restores into the running emulator keeping the JIT, and the guest's clock goes on from the saved uptime", async () => {
    // Fails when a restore starts a new emulator again, when the JIT keeps a page the state changed
    // (wrong answers, a crashed guest), or when the guest's clock is set back (v86's set_tsc adds the
    // old offset: the guest then stalls and the commands below time out).
    await vm.exec("echo saved > /root/warm-restore");
    const uptime = async () => Number((await vm.exec("cut -d' ' -f1 /proc/uptime")).stdout);
    // Read before the save: the saved machine's uptime is at least this.
    const savedUptime = await uptime();
    const saved = await vm.saveState();
    await vm.reset();
    const check = "python3 -c 'print(sum(range(100000)))'; sha256sum /etc/services | cut -c1-16";
    const expected = (await vm.exec(check)).stdout;
    for (let round = 0; round < 3; round++) {
      // Other code in the page cache and a different file system in between.
      await vm.exec(
        "echo other > /root/warm-restore; python3 -c 'import json, email'; ls -R /usr/lib >/dev/null",
      );
      await vm.restoreState(saved);
      expect(vm.lastRestoreKind?.warm).toBe(true);
      expect(vm.lastRestoreKind?.changedPages).toBeLessThan(GUEST_MEMORY_BYTES / 4096 / 4);
      expect((await vm.exec("cat /root/warm-restore")).stdout).toBe("saved\n");
      const now = await uptime();
      expect(now).toBeGreaterThanOrEqual(savedUptime);
      expect(now).toBeLessThan(savedUptime + 30);
      expect((await vm.exec(check, { timeoutMs: 60_000 })).stdout).toBe(expected);
      await vm.reset();
      expect((await vm.exec("cat /root/warm-restore 2>/dev/null || echo none")).stdout).toBe(
        "none\n",
      );
      expect((await vm.exec(check, { timeoutMs: 60_000 })).stdout).toBe(expected);
    }
    const started = Date.now();
    await vm.exec("sleep 1");
    expect(Date.now() - started).toBeLessThan(10_000);
  });

  it("never runs code the JIT compiled from a page the restored state changes", async () => {
    // Fails when a restore into the running emulator keeps the JIT's code of a page whose bytes the
    // state changes: the probe would then exit as the program the JIT compiled, not the one restored.
    await vm.writeFile("/run/jit-probe", loopProgram(2), { mode: 0o755 });
    expect((await vm.exec("/run/jit-probe")).exitCode).toBe(LOOP_EXIT(2));
    const state = await vm.saveState();
    // The same page of memory (tmpfs), rewritten in place with the other program, run until compiled.
    await vm.writeFile("/run/jit-probe.other", loopProgram(1));
    await vm.exec("dd if=/run/jit-probe.other of=/run/jit-probe conv=notrunc status=none");
    for (let i = 0; i < 3; i++)
      expect((await vm.exec("/run/jit-probe")).exitCode).toBe(LOOP_EXIT(1));
    await vm.restoreState(state);
    expect(vm.lastRestoreKind?.warm).toBe(true);
    expect((await vm.exec("/run/jit-probe")).exitCode).toBe(LOOP_EXIT(2));
  });

  it("tunes the JIT of every emulator, the one a reset starts too", async () => {
    // Fails when a v86 upgrade renames or moves the JIT settings (jit-tuning.ts).
    expect(vm.jitPagesPerModule).toBe(JIT_PAGES_PER_MODULE);
    await vm.reset();
    expect(vm.jitPagesPerModule).toBe(JIT_PAGES_PER_MODULE);
  });
});

describe("yielding on the same thread (as the page does)", () => {
  it("runs and idles the guest through emulator-yield.ts, after a reset too", async () => {
    // Fails when a v86 upgrade reshapes its main loop (emulator-yield.ts).
    const sameThread = await startNodeVm({ yieldOnSameThread: true });
    try {
      expect(sameThread.yieldsOnSameThread).toBe(true);
      const busyThenIdle = "i=0; while [ $i -lt 2000 ]; do i=$((i+1)); done; sleep 0.3; echo $i";
      expect((await sameThread.exec(busyThenIdle)).stdout).toBe("2000\n");
      await sameThread.reset();
      expect(sameThread.yieldsOnSameThread).toBe(true);
      expect((await sameThread.exec(busyThenIdle)).stdout).toBe("2000\n");
    } finally {
      await sameThread.destroy();
    }
  });
});

/** Iterations of loopProgram's loop: enough for v86 to compile it. */
const LOOP_TIMES = 3_000_000;
/** What loopProgram(step) exits with: the sum's low byte. */
const LOOP_EXIT = (step: number) => (LOOP_TIMES * step) & 0xff;

/**
 * A static i386 ELF that adds `step` to a sum LOOP_TIMES times and exits with the sum's low byte: two
 * steps make two programs that differ in one byte of the hot loop's code.
 */
function loopProgram(step: number): Uint8Array {
  const code = [
    [0xb9, ...le32(LOOP_TIMES)], // mov ecx, LOOP_TIMES
    [0x31, 0xc0], // xor eax, eax
    [0x83, 0xc0, step], // loop: add eax, step
    [0x49], // dec ecx
    [0x75, 0xfa], // jnz loop
    [0x89, 0xc3], // mov ebx, eax
    [0xb8, ...le32(1)], // mov eax, 1 (exit)
    [0xcd, 0x80], // int 0x80
  ].flat();
  const base = 0x08048000;
  const headers = 52 + 32;
  const size = headers + code.length;
  const elf = [
    [0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0, ...Array<number>(8).fill(0)], // ELF32, little-endian
    [...le16(2), ...le16(3), ...le32(1)], // executable, i386, version 1
    [...le32(base + headers), ...le32(52), ...le32(0), ...le32(0)], // entry, program headers, no sections
    [...le16(52), ...le16(32), ...le16(1), ...le16(40), ...le16(0), ...le16(0)],
    [...le32(1), ...le32(0), ...le32(base), ...le32(base)], // PT_LOAD from offset 0
    [...le32(size), ...le32(size), ...le32(5), ...le32(0x1000)], // sizes, R+X, alignment
    code,
  ].flat();
  return Uint8Array.from(elf);
}

function le16(value: number): number[] {
  return [value & 0xff, (value >>> 8) & 0xff];
}

function le32(value: number): number[] {
  return [...le16(value & 0xffff), ...le16(value >>> 16)];
}
