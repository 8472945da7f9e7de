// Unit tests of the agent loop with a scripted LlmClient and a fake VM.
import { describe, expect, it } from "vitest";
import type { ApprovalAnswer, ApprovalRequest, Approver } from "../domain/approval";
import type { RunLimits } from "../domain/run";
import { GuestOpError, VmUnresponsiveError } from "../vm/errors";
import { execResult, FakeVm, type FakeCommandHandler } from "../vm/fake-vm";
import type { Clock } from "./clock";
import { authError, rateLimitError, serverError } from "./errors";
import { runAgent, type AgentEvent, type AgentRunOptions } from "./loop";
import { ScriptedClient, type ScriptStep } from "./scripted-client";

const LIMITS: RunLimits = {
  maxSteps: 10,
  maxSeconds: 600,
  maxTokens: 0,
  maxCostUsd: 0,
  commandSeconds: 30,
};

/** A clock that only moves when the loop sleeps or a test advances it. */
function fakeClock() {
  const clock = {
    time: 0,
    sleeps: [] as number[],
    now: () => clock.time,
    sleep: (ms: number) => {
      clock.sleeps.push(ms);
      clock.time += ms;
      return Promise.resolve();
    },
  };
  return clock satisfies Clock;
}

const run = (cmd: string) => ({ toolCalls: [{ name: "run_command", args: { command: cmd } }] });
const finish = (summary = "done") => ({ toolCalls: [{ name: "finish", args: { summary } }] });

async function play(
  script: ScriptStep[],
  handler?: FakeCommandHandler,
  options: Partial<AgentRunOptions> = {},
) {
  const client = options.client ?? new ScriptedClient(script);
  const vm = new FakeVm(handler ?? ((command) => ({ stdout: `ran ${command}\n` })));
  const events: AgentEvent[] = [];
  for await (const event of runAgent({
    client,
    vm,
    instruction: "Fix the web server.",
    limits: LIMITS,
    clock: fakeClock(),
    ...options,
  }))
    events.push(event);
  return { events, vm, client: client as ScriptedClient, last: events.at(-1) };
}

const ofType = <T extends AgentEvent["type"]>(events: AgentEvent[], type: T) =>
  events.filter((e): e is Extract<AgentEvent, { type: T }> => e.type === type);

describe("runAgent", () => {
  it("runs the commands the model asks for, shows it the real results, and finishes", async () => {
    const { events, vm, client, last } = await play(
      [{ text: "Let me look.", ...run("systemctl status nginx") }, finish("nginx fixed")],
      () => ({ exitCode: 3, stdout: "inactive\n", stderr: "warn\n" }),
    );
    expect(vm.commands.map((c) => c.command)).toEqual(["systemctl status nginx"]);
    expect(vm.commands[0]?.options.session).toBe("agent");
    expect(vm.commands[0]?.options.timeoutMs).toBe(30_000);
    const toolMessage = client.requests[1]?.messages.at(-1);
    expect(toolMessage).toMatchObject({ role: "tool", toolName: "run_command" });
    expect(toolMessage?.role === "tool" && toolMessage.content).toBe(
      "exit code: 3\nstdout:\ninactive\n\nstderr:\nwarn\n",
    );
    expect(events.map((e) => e.type)).toEqual([
      "started",
      "text-delta",
      "usage",
      "reasoning",
      "tool-call",
      "tool-result",
      "usage",
      "tool-call",
      "tool-result",
      "finished",
    ]);
    expect(last).toMatchObject({ type: "finished", reason: "finished", summary: "nginx fixed" });
  });

  it("stops at the step limit when the model never finishes", async () => {
    const script = Array.from({ length: 20 }, (_, i) => run(`echo ${i}`));
    const { events, last } = await play(script, undefined, {
      limits: { ...LIMITS, maxSteps: 4 },
    });
    expect(ofType(events, "tool-call")).toHaveLength(4);
    expect(ofType(events, "limit")[0]).toMatchObject({ limit: "steps" });
    expect(last).toMatchObject({ type: "finished", reason: "limit" });
  });

  it("tells the model about a malformed tool call and goes on", async () => {
    const { events, client, last } = await play([
      { toolCalls: [{ name: "run_command", args: '{"command": "ls' }] },
      finish(),
    ]);
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({ kind: "rejected" });
    const told = client.requests[1]?.messages.at(-1);
    expect(told?.role === "tool" && told.content).toContain("not valid JSON");
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("retries a rate limit after the wait the provider asked for", async () => {
    const clock = fakeClock();
    const { events, last } = await play(
      [rateLimitError("openai", "429", 7_000), finish()],
      undefined,
      { clock },
    );
    expect(ofType(events, "retry")).toMatchObject([{ attempt: 1, waitMs: 7_000 }]);
    expect(clock.sleeps).toEqual([7_000]);
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("ends the run as a provider error on a rejected key, without retrying", async () => {
    const { events, last } = await play([authError("openai", "401"), finish()]);
    expect(ofType(events, "retry")).toHaveLength(0);
    expect(ofType(events, "error")[0]).toMatchObject({ kind: "auth" });
    expect(ofType(events, "error")[0]?.message).toContain("check the API key in Settings");
    expect(last).toMatchObject({ reason: "provider-error" });
  });

  it("retries server errors with back-off, then gives up", async () => {
    const clock = fakeClock();
    const failure = serverError("openai", "503");
    const { events, last } = await play([failure, failure, failure, failure], undefined, {
      clock,
    });
    expect(clock.sleeps).toEqual([1_000, 2_000]);
    expect(ofType(events, "retry")).toHaveLength(2);
    expect(last).toMatchObject({ reason: "provider-error" });
  });

  it("stops at once when the person presses stop during a command, and cancels the command", async () => {
    const controller = new AbortController();
    const never = new Promise<never>(() => {});
    const { last, vm } = await play(
      [run("sleep 1000")],
      () => {
        setTimeout(() => controller.abort(), 5);
        return never;
      },
      { signal: controller.signal },
    );
    expect(last).toMatchObject({ type: "finished", reason: "stopped" });
    expect(vm.commands[0]?.options.signal?.aborted).toBe(true);
  });

  it("ends a stopped run only once the cancelled command has ended in the guest", async () => {
    const controller = new AbortController();
    let commandEnded = false;
    const vm = new FakeVm();
    vm.exec = (_command, options) =>
      new Promise((resolve) => {
        setTimeout(() => controller.abort(), 5);
        options?.signal?.addEventListener("abort", () =>
          setTimeout(() => {
            commandEnded = true;
            resolve(execResult({ exitCode: 130, cancelled: true }));
          }, 30),
        );
      });
    const seen: boolean[] = [];
    for await (const event of runAgent({
      client: new ScriptedClient([run("sleep 1000")]),
      vm,
      instruction: "x",
      limits: LIMITS,
      clock: fakeClock(),
      signal: controller.signal,
    })) {
      if (event.type === "finished") seen.push(commandEnded);
    }
    expect(seen).toEqual([true]);
  });

  it("cancels the running command when the run's time is up", async () => {
    const never = new Promise<never>(() => {});
    const { last, vm } = await play([run("sleep 1000")], () => never, {
      limits: { ...LIMITS, maxSeconds: 0.05 },
    });
    expect(last).toMatchObject({ type: "finished", reason: "limit" });
    expect(vm.commands[0]?.options.signal?.aborted).toBe(true);
  });

  it("stops at the time limit", async () => {
    const clock = fakeClock();
    const { events, last } = await play(
      [run("a"), run("b"), run("c")],
      () => {
        clock.time += 400_000;
        return {};
      },
      { clock },
    );
    expect(ofType(events, "tool-call")).toHaveLength(2);
    expect(ofType(events, "limit")[0]).toMatchObject({ limit: "time" });
    expect(last).toMatchObject({ reason: "limit" });
  });

  it("waits out a time limit longer than a timer can hold instead of ending at once", async () => {
    // 30 days: past the 2^31-1 ms a setTimeout holds (which then fires at once).
    const { events, last } = await play(
      [run("a"), finish()],
      () => new Promise((resolve) => setTimeout(() => resolve({}), 30)),
      { limits: { ...LIMITS, maxSeconds: 30 * 86_400 } },
    );
    expect(ofType(events, "limit")).toEqual([]);
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("stops at the token and cost limits, with the running totals in usage events", async () => {
    const usage = { inputTokens: 600, outputTokens: 100 };
    const script = [
      { ...run("a"), usage },
      { ...run("b"), usage },
      { ...run("c"), usage },
    ];
    const tokens = await play(script, undefined, { limits: { ...LIMITS, maxTokens: 1_000 } });
    expect(ofType(tokens.events, "usage").map((u) => u.totalTokens)).toEqual([700, 1_400]);
    expect(ofType(tokens.events, "limit")[0]).toMatchObject({ limit: "tokens" });

    const cost = await play(script, undefined, {
      client: new ScriptedClient(script, "gpt-4o"),
      limits: { ...LIMITS, maxCostUsd: 0.003 },
    });
    // gpt-4o: 600 in at $2.50/M + 100 out at $10/M = $0.0025 per step.
    expect(ofType(cost.events, "usage").map((u) => u.costUsd)).toEqual([0.0025, 0.005]);
    expect(ofType(cost.events, "limit")[0]).toMatchObject({ limit: "cost" });
  });

  it("warns about a repeated command, and stops on it when asked", async () => {
    const script = Array.from({ length: 5 }, () => run("systemctl restart nginx"));
    const { events } = await play(script, () => ({ exitCode: 1, stderr: "failed\n" }));
    expect(ofType(events, "warning")).toMatchObject([
      { label: "repeated-command", steps: [1, 2, 3] },
    ]);
    const stopped = await play(script, () => ({ exitCode: 1, stderr: "failed\n" }), {
      stopOnWarning: true,
    });
    expect(ofType(stopped.events, "tool-call")).toHaveLength(3);
    expect(stopped.last).toMatchObject({ reason: "stuck" });
  });

  it("plays the plain-text protocol for models without tool calls", async () => {
    const client = new ScriptedClient(
      [
        { text: "Check the unit.\n```bash\nsystemctl is-active nginx\n```" },
        { text: "All good.\nFINISH: nginx runs again" },
      ],
      "plain",
      "text",
    );
    const { vm, last } = await play([], () => ({ stdout: "active\n" }), { client });
    expect(client.requests[0]?.tools).toEqual([]);
    expect(client.requests[0]?.system).toContain("FINISH:");
    expect(vm.commands.map((c) => c.command)).toEqual(["systemctl is-active nginx"]);
    expect(client.requests[1]?.messages.at(-1)).toEqual({
      role: "user",
      content: "exit code: 0\nstdout:\nactive\n",
    });
    expect(last).toMatchObject({ reason: "finished", summary: "nginx runs again" });
  });

  it("reminds a model that does not act, then ends the run as no action", async () => {
    const { client, last } = await play([{ text: "Hmm." }, { text: "Thinking." }, { text: "?" }]);
    expect(client.requests[1]?.messages.at(-1)).toMatchObject({ role: "user" });
    expect(last).toMatchObject({ reason: "no-action" });
  });

  it("ends as a VM error when the VM stops answering", async () => {
    const { events, last } = await play([run("ls")], () => {
      throw new VmUnresponsiveError("exec", 60_000);
    });
    expect(ofType(events, "error")[0]).toMatchObject({ kind: "vm" });
    expect(last).toMatchObject({ reason: "vm-error" });
  });

  it("goes on after a tool the guest refuses, telling the model the guest's error", async () => {
    const client = new ScriptedClient([
      { toolCalls: [{ name: "write_file", args: { path: "/etc/passwd/x", content: "y" } }] },
      run("ls /etc"),
      finish(),
    ]);
    const vm = new FakeVm(() => ({ stdout: "passwd\n" }));
    vm.writeFile = () =>
      Promise.reject(new GuestOpError("writing /etc/passwd/x", "[Errno 20] Not a directory"));
    const events: AgentEvent[] = [];
    for await (const event of runAgent({
      client,
      vm,
      instruction: "x",
      limits: LIMITS,
      clock: fakeClock(),
    }))
      events.push(event);
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({
      kind: "failed",
      message: expect.stringContaining("Not a directory"),
    });
    expect(client.requests[1]?.messages.at(-1)).toMatchObject({
      role: "tool",
      toolName: "write_file",
      content: expect.stringMatching(/^error: .*\[Errno 20\] Not a directory/),
    });
    expect(vm.commands.map((c) => c.command)).toEqual(["ls /etc"]);
    expect(ofType(events, "error")).toEqual([]);
    expect(events.at(-1)).toMatchObject({ reason: "finished" });
  });

  it("never lets a secret into an event", async () => {
    const key = "sk-test-0123456789abcdef";
    const { events } = await play(
      [authError("openai", `Incorrect API key provided: ${key}`)],
      undefined,
      { secrets: [key] },
    );
    expect(JSON.stringify(events)).not.toContain(key);
    expect(JSON.stringify(events)).toContain("[redacted]");
  });

  it("refuses a call its command policy refuses: nothing runs, the model reads why and goes on", async () => {
    const limits: RunLimits = { ...LIMITS, policy: { preset: "read-only" } };
    const write = { toolCalls: [{ name: "write_file", args: { path: "/etc/x", content: "y" } }] };
    const { events, vm, client, last } = await play(
      [run("chmod 600 /etc/app.conf"), write, run("ls -l /etc/app.conf"), finish()],
      undefined,
      { limits },
    );
    expect(vm.commands.map((c) => c.command)).toEqual(["ls -l /etc/app.conf"]);
    expect(vm.files.has("/etc/x")).toBe(false);
    const results = ofType(events, "tool-result").map((e) => e.outcome);
    expect(results[0]).toEqual({
      kind: "refused",
      part: "chmod 600 /etc/app.conf",
      reason: "chmod may change the machine: the read-only policy allows inspection commands only",
      unjudged: false,
    });
    expect(results[1]).toMatchObject({ kind: "refused", part: "write_file /etc/x" });
    const told = client.requests[1]?.messages.at(-1);
    expect(told?.role === "tool" && told.content).toMatch(
      /^refused by the run's command policy: `chmod 600 \/etc\/app.conf`: .*Nothing was run/,
    );
    expect(ofType(events, "started")[0]?.limits.policy).toEqual({ preset: "read-only" });
    expect(last).toMatchObject({ type: "finished", reason: "finished" });
  });

  it("refuses what the policy cannot judge, saying so, since no person is there to ask", async () => {
    const limits: RunLimits = { ...LIMITS, policy: { preset: "no-destructive" } };
    const { events, vm, client } = await play([run('eval "$FIX"'), finish()], undefined, {
      limits,
    });
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({
      kind: "refused",
      unjudged: true,
    });
    const told = client.requests[1]?.messages.at(-1);
    expect(told?.role === "tool" && told.content).toContain(
      "the policy cannot judge this command (eval runs text built as the command runs)",
    );
  });

  it("does not start a run whose policy has a rule that does not read", async () => {
    const limits: RunLimits = { ...LIMITS, policy: { preset: "none", deny: ["rm | x"] } };
    const { events, client } = await play([finish()], undefined, { limits });
    expect(client.requests).toEqual([]);
    expect(ofType(events, "error")[0]?.message).toMatch(/deny rule is wrong/);
    expect(events.at(-1)).toMatchObject({ type: "finished", reason: "internal-error" });
  });

  it("judges a script the agent wrote by its text, until a command may have changed it", async () => {
    const limits: RunLimits = { ...LIMITS, policy: { preset: "no-destructive" } };
    const write = (content: string) => ({
      toolCalls: [{ name: "write_file", args: { path: "/root/fix.sh", content } }],
    });
    const { events, vm } = await play(
      [
        write("systemctl restart nginx\n"),
        run("bash /root/fix.sh"),
        write("rm -rf /etc\n"),
        run("bash /root/fix.sh"),
        write("ls\n"),
        run("touch /tmp/x"),
        run("bash /root/fix.sh"),
        finish(),
      ],
      undefined,
      { limits },
    );
    expect(vm.commands.map((c) => c.command)).toEqual(["bash /root/fix.sh", "touch /tmp/x"]);
    const refusals = ofType(events, "tool-result")
      .map((e) => e.outcome)
      .filter((o) => o.kind === "refused");
    expect(refusals).toMatchObject([
      { part: "rm -rf /etc", unjudged: false },
      { part: "bash /root/fix.sh", unjudged: true },
    ]);
  });

  it("warns about a model that keeps asking for a refused command, and stops on it when asked", async () => {
    const limits: RunLimits = { ...LIMITS, policy: { preset: "read-only" } };
    const chmod = run("chmod 600 /etc/app.conf");
    const { events, vm, last } = await play([chmod, chmod, chmod, chmod, finish()], undefined, {
      limits,
      stopOnWarning: true,
    });
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "warning")[0]?.label).toBe("repeated-command");
    expect(last).toMatchObject({ type: "finished", reason: "stuck" });
  });
});

describe("runAgent in approval mode", () => {
  const every: RunLimits = {
    ...LIMITS,
    approval: { mode: "every", autoApprove: [], timeoutSeconds: 120 },
  };
  /** An approver that answers from a list, in order, and keeps what it was asked. */
  function person(...answers: ApprovalAnswer[]) {
    const asked: ApprovalRequest[] = [];
    const approve: Approver = (request) => {
      asked.push(request);
      const answer = answers.shift();
      return answer ? Promise.resolve(answer) : new Promise<never>(() => {});
    };
    return { approve, asked };
  }
  const toolText = (client: ScriptedClient, request: number) => {
    const told = client.requests[request]?.messages.at(-1);
    return told?.role === "tool" ? told.content : "";
  };

  it("runs an approved call and records that the person approved it, and how long they took", async () => {
    const clock = fakeClock();
    const { approve, asked } = person({ decision: "approve" });
    const slowApprove: Approver = async (request, signal) => {
      clock.time += 4_000;
      return approve(request, signal);
    };
    const { events, vm } = await play([run("systemctl restart nginx"), finish()], undefined, {
      limits: every,
      approve: slowApprove,
      clock,
    });
    expect(vm.commands.map((c) => c.command)).toEqual(["systemctl restart nginx"]);
    expect(asked).toMatchObject([
      {
        step: 1,
        input: { command: "systemctl restart nginx" },
        asked: { because: "every" },
        timeoutSeconds: 120,
      },
    ]);
    expect(ofType(events, "approval")).toMatchObject([
      { step: 1, decision: "approved", by: "person", waitedMs: 4_000 },
    ]);
    const types = events.map((e) => e.type);
    expect(types.slice(types.indexOf("tool-call"))).toEqual([
      "tool-call",
      "approval",
      "tool-result",
      "usage",
      "tool-call",
      "tool-result",
      "finished",
    ]);
  });

  it("runs the person's edit instead, tells the model plainly, and records both", async () => {
    const { approve } = person({ decision: "edit", text: "systemctl reload nginx" });
    const { events, vm, client } = await play(
      [run("systemctl restart nginx"), finish()],
      undefined,
      { limits: every, approve },
    );
    expect(vm.commands.map((c) => c.command)).toEqual(["systemctl reload nginx"]);
    expect(ofType(events, "approval")[0]).toMatchObject({
      decision: "edited",
      by: "person",
      input: { command: "systemctl restart nginx" },
      edited: { tool: "run_command", command: "systemctl reload nginx" },
    });
    expect(ofType(events, "tool-call")[0]?.input).toMatchObject({
      command: "systemctl restart nginx",
    });
    expect(toolText(client, 1)).toMatch(
      /^The person supervising you changed your command before it ran\. You asked for: `systemctl restart nginx`\. What ran instead: `systemctl reload nginx`\. Its result:\nexit code: 0\nstdout:\nran systemctl reload nginx/,
    );
  });

  it("writes the person's text of a file instead of the agent's", async () => {
    const { approve } = person({ decision: "edit", text: "listen 80;\n" });
    const write = { toolCalls: [{ name: "write_file", args: { path: "/etc/x", content: "y" } }] };
    const { vm, client } = await play([write, finish()], undefined, { limits: every, approve });
    expect(new TextDecoder().decode(vm.files.get("/etc/x"))).toBe("listen 80;\n");
    expect(toolText(client, 1)).toContain("changed the text you asked to write to /etc/x");
  });

  it("runs nothing for a rejected call and gives the model the person's message", async () => {
    const { approve } = person({ decision: "reject", message: " Do not restart in work hours. " });
    const { events, vm, client, last } = await play(
      [run("systemctl restart nginx"), finish()],
      undefined,
      { limits: every, approve },
    );
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "approval")[0]).toMatchObject({
      decision: "rejected",
      by: "person",
      message: "Do not restart in work hours.",
    });
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({ kind: "rejected" });
    expect(toolText(client, 1)).toBe(
      "The person supervising you rejected this call; nothing was run. Their message: Do not restart in work hours.",
    );
    expect(last).toMatchObject({ reason: "finished" });
  });

  it("approves by rule what only reads or what the policy's allow rules match, asking about the rest", async () => {
    const limits: RunLimits = {
      ...every,
      policy: { preset: "none", allow: ["systemctl restart nginx"] },
      approval: { ...every.approval!, autoApprove: ["read-only", "policy-allow"] },
    };
    const { approve, asked } = person({ decision: "approve" });
    const { events, vm } = await play(
      [
        run("cat /etc/nginx/nginx.conf | grep listen"),
        run("systemctl restart nginx"),
        run("rm /tmp/x"),
        finish(),
      ],
      undefined,
      { limits, approve },
    );
    expect(vm.commands).toHaveLength(3);
    expect(asked.map((r) => r.input)).toMatchObject([{ command: "rm /tmp/x" }]);
    expect(ofType(events, "approval")).toMatchObject([
      { step: 1, decision: "approved", by: "rule", rule: "read-only", waitedMs: 0 },
      { step: 2, decision: "approved", by: "rule", rule: "policy-allow" },
      { step: 3, decision: "approved", by: "person" },
    ]);
  });

  it("rejects a call nobody answers within the time-out, telling the model", async () => {
    const { approve } = person();
    const limits: RunLimits = { ...every, approval: { ...every.approval!, timeoutSeconds: 0.02 } };
    const { events, vm, client } = await play([run("reboot"), finish()], undefined, {
      limits,
      approve,
    });
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "approval")[0]).toMatchObject({
      decision: "timed-out",
      by: "time-out",
    });
    expect(toolText(client, 1)).toMatch(/^No person approved this call within 0.02 s/);
  });

  it("ends the wait at once when the person stops the run, and tells the approver", async () => {
    const controller = new AbortController();
    let approverSignal: AbortSignal | undefined;
    const approve: Approver = (_request, signal) => {
      approverSignal = signal;
      setTimeout(() => controller.abort(), 5);
      return new Promise<never>(() => {});
    };
    const limits: RunLimits = { ...every, approval: { ...every.approval!, timeoutSeconds: 0 } };
    const { events, vm, last } = await play([run("reboot")], undefined, {
      limits,
      approve,
      signal: controller.signal,
    });
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "approval")).toEqual([]);
    expect(approverSignal?.aborted).toBe(true);
    expect(last).toMatchObject({ type: "finished", reason: "stopped" });
  });

  it("does not count the wait for a person against the run's time limit", async () => {
    const clock = fakeClock();
    const approve: Approver = () => {
      clock.time += 700_000;
      return Promise.resolve({ decision: "approve" });
    };
    const { events, last } = await play(
      [run("touch /tmp/a"), run("touch /tmp/b"), finish()],
      undefined,
      {
        limits: every,
        approve,
        clock,
      },
    );
    expect(ofType(events, "approval")).toHaveLength(2);
    expect(ofType(events, "limit")).toEqual([]);
    expect(last).toMatchObject({ type: "finished", reason: "finished" });
  });

  it("never asks about a call the policy refuses", async () => {
    const { approve, asked } = person();
    const limits: RunLimits = { ...every, policy: { preset: "read-only" } };
    const { events, vm } = await play([run("chmod 600 /etc/app.conf"), finish()], undefined, {
      limits,
      approve,
    });
    expect(asked).toEqual([]);
    expect(vm.commands).toEqual([]);
    expect(ofType(events, "tool-result")[0]?.outcome).toMatchObject({
      kind: "refused",
      unjudged: false,
    });
  });

  it("asks only about what the policy cannot judge in mode unjudged, saying why, and runs it when approved", async () => {
    const { approve, asked } = person({ decision: "approve" });
    const limits: RunLimits = {
      ...LIMITS,
      policy: { preset: "no-destructive" },
      approval: { mode: "unjudged", autoApprove: ["read-only"], timeoutSeconds: 120 },
    };
    const { events, vm } = await play(
      [run("systemctl restart nginx"), run('eval "$FIX"'), finish()],
      undefined,
      { limits, approve },
    );
    expect(vm.commands.map((c) => c.command)).toEqual(["systemctl restart nginx", 'eval "$FIX"']);
    expect(asked).toMatchObject([
      {
        step: 2,
        asked: {
          because: "unjudged",
          part: "eval $FIX",
          reason: "eval runs text built as the command runs",
        },
      },
    ]);
    expect(ofType(events, "approval")).toMatchObject([{ step: 2, decision: "approved" }]);
  });

  it("does not start in approval mode with nobody to ask", async () => {
    const { events, client } = await play([finish()], undefined, { limits: every });
    expect(client.requests).toEqual([]);
    expect(ofType(events, "error")[0]?.message).toMatch(/nobody is there to answer/);
    expect(events.at(-1)).toMatchObject({ type: "finished", reason: "internal-error" });
  });
});
