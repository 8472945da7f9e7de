// Unit tests of tool-call parsing, running tools and what the model is shown.
import { describe, expect, it } from "vitest";
import { GuestOpError, VmAgentRestartedError, VmUnresponsiveError } from "../vm/errors";
import { FakeVm } from "../vm/fake-vm";
import { describeOutcome, headAndTail, parseToolCall, runTool } from "./tools";

const call = (name: string, argumentsJson: string) => ({ id: "c1", name, argumentsJson });

describe("parseToolCall", () => {
  it("reads each tool's arguments", () => {
    expect(parseToolCall(call("run_command", '{"command":"ls","timeout_seconds":5}'))).toEqual({
      tool: "run_command",
      command: "ls",
      timeoutSeconds: 5,
    });
    expect(parseToolCall(call("write_file", '{"path":"/a","content":"x"}'))).toEqual({
      tool: "write_file",
      path: "/a",
      content: "x",
    });
    expect(parseToolCall(call("finish", '{"summary":"ok"}'))).toEqual({
      tool: "finish",
      summary: "ok",
    });
  });

  it("turns malformed calls into a problem the model can act on", () => {
    expect(parseToolCall(call("run_command", "{oops"))).toMatchObject({
      tool: "invalid",
      problem: "the arguments are not valid JSON",
    });
    expect(parseToolCall(call("run_command", '{"command":" "}'))).toMatchObject({
      tool: "invalid",
    });
    expect(parseToolCall(call("write_file", '{"path":"rel","content":""}'))).toMatchObject({
      problem: '"path" must be an absolute path',
    });
    expect(parseToolCall(call("browse", "{}"))).toMatchObject({ tool: "invalid" });
  });
});

describe("runTool", () => {
  it("caps the command's time limit at the task's", async () => {
    const vm = new FakeVm();
    await runTool(vm, { tool: "run_command", command: "x", timeoutSeconds: 999 }, 60);
    await runTool(vm, { tool: "run_command", command: "y", timeoutSeconds: 5 }, 60);
    expect(vm.commands.map((c) => c.options.timeoutMs)).toEqual([60_000, 5_000]);
  });

  it("writes files and reports their size in bytes", async () => {
    const vm = new FakeVm();
    const outcome = await runTool(vm, { tool: "write_file", path: "/etc/x", content: "é\n" }, 60);
    expect(outcome).toMatchObject({ kind: "file-written", bytes: 3 });
    expect(new TextDecoder().decode(vm.files.get("/etc/x"))).toBe("é\n");
  });
});

/** A VM whose file writes fail as the guest agent refuses them. */
class RefusingVm extends FakeVm {
  constructor(private readonly writeError: Error) {
    super();
  }
  override writeFile(): Promise<void> {
    return Promise.reject(this.writeError);
  }
}

describe("a tool the guest refuses", () => {
  it("comes back as that tool's error, with the guest's message", async () => {
    const refusal = new GuestOpError("writing /etc", "[Errno 21] Is a directory: '/etc'");
    const outcome = await runTool(
      new RefusingVm(refusal),
      { tool: "write_file", path: "/etc", content: "x" },
      60,
    );
    expect(outcome).toMatchObject({ kind: "failed", message: refusal.message });
    expect(describeOutcome(outcome)).toBe(
      "error: writing /etc failed in the guest: [Errno 21] Is a directory: '/etc'",
    );
    const restarted = await runTool(
      new FakeVm(() => Promise.reject(new VmAgentRestartedError())),
      { tool: "run_command", command: "pkill -f opslab-agent" },
      60,
    );
    expect(restarted).toMatchObject({ kind: "failed", message: /agent restarted/ });
  });

  it("still throws when the VM itself is lost", async () => {
    const lost = new VmUnresponsiveError("writing /x", 30_000);
    await expect(
      runTool(new RefusingVm(lost), { tool: "write_file", path: "/x", content: "" }, 60),
    ).rejects.toBe(lost);
  });
});

describe("what the model sees", () => {
  it("keeps the head and the tail of a long output and says how much was cut", () => {
    const text = "a".repeat(50) + "b".repeat(100) + "c".repeat(50);
    expect(headAndTail(text, 50, 50)).toBe(
      `${"a".repeat(50)}\n[… 100 characters cut …]\n${"c".repeat(50)}`,
    );
    expect(headAndTail("short", 50, 50)).toBe("short");
  });

  it("says when a command was killed at its time limit", () => {
    const text = describeOutcome({
      kind: "command",
      exitCode: 124,
      stdout: "",
      stderr: "",
      durationMs: 30_000,
      timedOut: true,
      truncated: false,
    });
    expect(text).toContain("exit code: 124");
    expect(text).toContain("killed after 30 s");
  });
});
