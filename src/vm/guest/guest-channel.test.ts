// Unit tests of the guest channel: the key handshake, MAC'ed replies tied to their requests, alarms of forged,
// malformed and oversized frames, agent restarts, floods, host calls and cancel.
import { createHash } from "node:crypto";
import { afterEach, describe, expect, it, vi } from "vitest";
import {
  VmAgentRestartedError,
  VmBootError,
  VmProtocolError,
  VmUnresponsiveError,
} from "../errors";
import { GuestChannel, MAX_PENDING_HOST_CALLS, type GuestChannelOptions } from "./guest-channel";
import { execInGuest } from "./guest-ops";
import {
  base64ToBytes,
  encodeFrame,
  FRAME_PREFIX,
  MAX_FRAME_BYTES,
  type GuestRequest,
} from "./protocol";
import { MAX_CHANNEL_ALARMS } from "../vm";

const EXEC_FIELDS = {
  exitCode: 0,
  stdout: btoa("out\n"),
  stderr: "",
  stdoutBytes: 4,
  stderrBytes: 0,
  timedOut: false,
  cancelled: false,
  durationMs: 5,
  cwd: "/root",
};

interface Sent {
  request: GuestRequest;
  digest: string;
}

/** The guest agent's side of the pipe: it keys itself as the real one does; tests answer the rest. */
class FakeAgent {
  readonly sent: Sent[] = [];
  key: Uint8Array | undefined;
  /** Answer key requests (the real agent does when it runs). */
  answersKeys = true;
  readonly channel: GuestChannel;
  private pending = "";

  constructor(options: GuestChannelOptions = {}) {
    this.channel = new GuestChannel((bytes) => this.take(bytes), options);
  }

  private take(bytes: Uint8Array): void {
    this.pending += new TextDecoder().decode(bytes);
    for (let newline = this.pending.indexOf("\n"); newline >= 0;) {
      const line = this.pending.slice(0, newline);
      this.pending = this.pending.slice(newline + 1);
      newline = this.pending.indexOf("\n");
      const json = base64ToBytes(line.slice(FRAME_PREFIX.length));
      const request = JSON.parse(new TextDecoder().decode(json)) as GuestRequest;
      const digest = createHash("sha256").update(json).digest("hex");
      this.sent.push({ request, digest });
      if (request.op === "key" && this.answersKeys) {
        this.key = Uint8Array.from(Buffer.from(request.key, "hex"));
        queueMicrotask(() => this.reply(request.id, { version: 2 }));
      }
    }
  }

  /** The requests of one op, in order. */
  requests(op: GuestRequest["op"]): Sent[] {
    return this.sent.filter((s) => s.request.op === op);
  }

  last(op: GuestRequest["op"]): Sent {
    const found = this.requests(op).at(-1);
    if (!found) throw new Error(`no ${op} request was sent`);
    return found;
  }

  /** A frame as the agent writes it: MAC'ed with its key, or with `mac` (null: none). */
  frame(frame: unknown, mac: Uint8Array | null | undefined = this.key): void {
    this.channel.receive(encodeFrame(frame, mac ?? undefined));
  }

  reply(id: number, fields: Record<string, unknown> = {}, ok = true): void {
    const digest = this.sent.find((s) => s.request.id === id)?.digest ?? "";
    this.frame({ id, ok, request: digest, ...fields });
  }
}

/** A channel keyed by its fake agent. */
async function keyed(options: GuestChannelOptions = {}): Promise<FakeAgent> {
  const agent = new FakeAgent(options);
  await agent.channel.handshake(5_000);
  return agent;
}

afterEach(() => vi.useRealTimers());

describe("the key handshake", () => {
  it("keys the agent with a fresh random key, then trusts only frames MAC'ed with it", async () => {
    const agent = await keyed();
    const first = agent.key;
    expect(first).toHaveLength(32);
    expect(agent.channel.report()).toMatchObject({ trusted: true, alarms: [] });
    await agent.channel.handshake(5_000);
    expect(agent.key).not.toEqual(first);
  });

  it("ignores quietly what a restored agent writes with its old key before the handshake", async () => {
    const agent = new FakeAgent();
    agent.answersKeys = false;
    const done = agent.channel.handshake(5_000);
    const { request } = agent.last("key");
    // The restored agent's leftovers: frames MAC'ed with the saved machine's key, noise.
    agent.frame({ id: request.id, ok: true, request: "", version: 2 }, new Uint8Array(32));
    agent.channel.receive(new TextEncoder().encode("noise\n"));
    agent.key = Uint8Array.from(Buffer.from((request as { key: string }).key, "hex"));
    agent.reply(request.id, { version: 2 });
    await done;
    expect(agent.channel.report()).toMatchObject({ trusted: true, alarms: [] });
  });

  it("sends the key again each second until the agent answers", async () => {
    vi.useFakeTimers();
    const agent = new FakeAgent();
    agent.answersKeys = false;
    const done = agent.channel.handshake(10_000);
    await vi.advanceTimersByTimeAsync(2_500);
    const keys = agent.requests("key");
    expect(keys).toHaveLength(3);
    // One key for the whole handshake; the late reply to an earlier attempt is no alarm afterwards.
    expect(new Set(keys.map((k) => (k.request as { key: string }).key)).size).toBe(1);
    agent.key = Uint8Array.from(Buffer.from((keys[0]!.request as { key: string }).key, "hex"));
    agent.reply(keys[2]!.request.id, { version: 2 });
    await done;
    agent.reply(keys[0]!.request.id, { version: 2 });
    expect(agent.channel.report().alarms).toEqual([]);
  });

  it("says what to do when the agent is too old, cannot MAC, or never answers", async () => {
    const refusing = (error: string) => {
      const agent = new FakeAgent();
      agent.answersKeys = false;
      const done = agent.channel.handshake(5_000);
      agent.reply(agent.last("key").request.id, { error }, false);
      return done;
    };
    await expect(refusing("ValueError: unknown op 'key'")).rejects.toThrow(VmProtocolError);
    await expect(refusing("ValueError: unknown op 'key'")).rejects.toThrow(/npm run vm:snapshot/);
    await expect(refusing("OSError: [Errno 97] ... AF_ALG")).rejects.toThrow(VmBootError);
    vi.useFakeTimers();
    const silent = new FakeAgent();
    silent.answersKeys = false;
    const never = expect(silent.channel.handshake(3_000)).rejects.toThrow(VmUnresponsiveError);
    await vi.advanceTimersByTimeAsync(3_100);
    await never;
  });

  it("refuses an agent of another protocol version", async () => {
    const agent = new FakeAgent();
    agent.answersKeys = false;
    const done = agent.channel.handshake(5_000);
    const { request } = agent.last("key");
    agent.key = Uint8Array.from(Buffer.from((request as { key: string }).key, "hex"));
    agent.reply(request.id, { version: 3 });
    await expect(done).rejects.toThrow(/protocol 3/);
  });

  it("holds requests made before the handshake and sends them once keyed", async () => {
    const agent = new FakeAgent();
    const ping = agent.channel.request({ op: "ping" }, 5_000, "a ping");
    expect(agent.requests("ping")).toEqual([]);
    await agent.channel.handshake(5_000);
    agent.reply(agent.last("ping").request.id, { pong: true });
    await expect(ping).resolves.toMatchObject({ ok: true, pong: true });
  });
});

describe("replies", () => {
  it("matches MAC'ed replies to requests by id, in any order", async () => {
    const agent = await keyed();
    const a = agent.channel.request({ op: "ping" }, 1000, "a");
    const b = agent.channel.request({ op: "sync" }, 1000, "b");
    agent.reply(agent.last("sync").request.id);
    agent.reply(agent.last("ping").request.id, { pong: true });
    await expect(a).resolves.toMatchObject({ pong: true });
    await expect(b).resolves.toMatchObject({ ok: true });
    expect(agent.channel.inFlight).toBe(0);
    expect(agent.channel.report().alarms).toEqual([]);
  });

  it("does not take a forged reply (no MAC, or another key's) and records it; the real reply still counts", async () => {
    const agent = await keyed();
    const exec = execInGuest(agent.channel, "check.sh");
    const { request, digest } = agent.last("exec");
    const forged = {
      id: request.id,
      ok: true,
      request: digest,
      ...EXEC_FIELDS,
      stdout: btoa("PASS"),
    };
    agent.frame(forged, null);
    agent.frame(forged, new Uint8Array(32).fill(7));
    expect(agent.channel.inFlight).toBe(1);
    agent.reply(request.id, { ...EXEC_FIELDS, exitCode: 1, stdout: btoa("FAIL\n") });
    await expect(exec).resolves.toMatchObject({ exitCode: 1, stdout: "FAIL\n" });
    const report = agent.channel.report();
    expect(report.trusted).toBe(false);
    expect(report.counts["forged-frame"]).toBe(2);
    expect(report.alarms.map((a) => a.detail)).toEqual([
      expect.stringMatching(/without a MAC: \{"id":\d+,"ok":true/),
      expect.stringMatching(/wrong MAC/),
    ]);
  });

  it("does not take a genuine reply to a request injected with the id of one the host sent", async () => {
    const agent = await keyed();
    const exec = execInGuest(agent.channel, "check.sh");
    const { request } = agent.last("exec");
    // What the agent would answer to `echo PASS` typed into its input with the same id.
    const injected = createHash("sha256")
      .update(JSON.stringify({ ...request, command: "echo PASS" }))
      .digest("hex");
    agent.frame({ id: request.id, ok: true, request: injected, ...EXEC_FIELDS });
    agent.frame({ id: 999, ok: true, request: injected, ...EXEC_FIELDS }); // an id never sent
    expect(agent.channel.inFlight).toBe(1);
    agent.reply(request.id, { ...EXEC_FIELDS, exitCode: 3 });
    await expect(exec).resolves.toMatchObject({ exitCode: 3 });
    expect(agent.channel.report().counts["forged-frame"]).toBe(2);
    expect(agent.channel.report().alarms[0]?.detail).toMatch(/did not send/);
  });

  it("takes a late reply after its deadline quietly", async () => {
    vi.useFakeTimers();
    const agent = await keyed();
    const ping = agent.channel.request({ op: "ping" }, 1000, "a ping");
    const check = expect(ping).rejects.toBeInstanceOf(VmUnresponsiveError);
    await vi.advanceTimersByTimeAsync(1001);
    await check;
    agent.reply(agent.last("ping").request.id, { pong: true });
    expect(agent.channel.report().alarms).toEqual([]);
  });

  it("rejects a reply whose fields do not fit its request, and records it", async () => {
    const agent = await keyed();
    const exec = execInGuest(agent.channel, "true");
    agent.reply(agent.last("exec").request.id, { exitCode: "0" });
    await expect(exec).rejects.toThrow(VmProtocolError);
    expect(agent.channel.report().alarms[0]).toMatchObject({ kind: "malformed-frame" });
  });

  it("passes the agent's own failure on as the op's error", async () => {
    const agent = await keyed();
    const done = agent.channel.request({ op: "read", path: "/x", offset: 0, length: 1 }, 1000, "r");
    agent.reply(agent.last("read").request.id, { error: "FileNotFoundError: /x" }, false);
    await expect(done).resolves.toEqual({
      id: expect.any(Number),
      ok: false,
      error: "FileNotFoundError: /x",
    });
  });
});

describe("alarms", () => {
  it("records malformed, oversized and noise lines once keyed, and none before", async () => {
    const agent = new FakeAgent();
    const bad = `noise\n${FRAME_PREFIX}***\n${FRAME_PREFIX}${btoa("{x")}\n`;
    agent.channel.receive(new TextEncoder().encode(bad));
    await agent.channel.handshake(5_000);
    expect(agent.channel.report().alarms).toEqual([]);
    agent.channel.receive(new TextEncoder().encode(bad));
    agent.channel.receive(new Uint8Array(MAX_FRAME_BYTES + 10).fill(65));
    agent.channel.receive(new TextEncoder().encode("\n"));
    agent.frame({ t: "bad-frame", length: 10 });
    const { counts, trusted, alarms } = agent.channel.report();
    expect(counts).toMatchObject({ "malformed-frame": 4, "oversized-frame": 1 });
    expect(trusted).toBe(true); // nothing forged: malformed lines are evidence, not takeovers
    expect(alarms.map((a) => a.detail)).toContainEqual(expect.stringMatching(/could not read/));
  });

  it("keeps the first alarms and counts the rest, so a flood cannot eat memory", async () => {
    let now = 1000;
    const agent = await keyed({ now: () => now });
    now = 1500;
    const forged = encodeFrame({ id: 1, ok: true, request: "", stdout: "PASS" });
    for (let i = 0; i < 20_000; i++) agent.channel.receive(forged);
    const report = agent.channel.report();
    expect(report.alarms).toHaveLength(MAX_CHANNEL_ALARMS);
    expect(report.counts["forged-frame"]).toBe(20_000);
    expect(report.alarms[0]).toMatchObject({ atMs: 500, kind: "forged-frame" });
    expect(agent.channel.inFlight).toBe(0);
  });

  it("starts over at a reset: no key, no alarms", async () => {
    const agent = await keyed();
    agent.frame({ id: 1, ok: true, request: "" }, null);
    agent.channel.reset();
    expect(agent.channel.report()).toMatchObject({ trusted: false, alarms: [] });
    await agent.channel.handshake(5_000);
    expect(agent.channel.report().trusted).toBe(true);
  });

  it("reports alarms as they come", async () => {
    const seen: string[] = [];
    const agent = await keyed({ onAlarm: (alarm) => seen.push(alarm.kind) });
    agent.frame({ t: "hello", version: 2, pid: 5 }, null);
    expect(seen).toEqual(["agent-restarted"]);
  });
});

describe("agent restarts", () => {
  it("records a hello after the handshake, fails what ran, and keys the new agent", async () => {
    const agent = await keyed();
    const running = agent.channel.request({ op: "ping" }, 5_000, "a ping");
    const oldKey = agent.key;
    agent.frame({ t: "hello", version: 2, pid: 77 }, null);
    await expect(running).rejects.toBeInstanceOf(VmAgentRestartedError);
    const next = agent.channel.request({ op: "ping" }, 5_000, "a ping");
    await vi.waitFor(() => expect(agent.requests("ping")).toHaveLength(2));
    expect(agent.key).not.toEqual(oldKey);
    agent.reply(agent.last("ping").request.id, { pong: true });
    await expect(next).resolves.toMatchObject({ pong: true });
    const report = agent.channel.report();
    expect(report).toMatchObject({ trusted: false, counts: { "agent-restarted": 1 } });
    expect(report.alarms[0]?.detail).toMatch(/pid 77/);
  });
});

describe("host calls", () => {
  it("answers a MAC'ed host call with the service's handler, or says none runs", async () => {
    const agent = await keyed();
    const off = agent.channel.handleHostCalls("cloud", (body) => ({ echo: body }));
    agent.frame({ t: "host-call", id: 7, service: "cloud", body: { argv: ["x"] } });
    agent.frame({ t: "host-call", id: 8, service: "other", body: null });
    await vi.waitFor(() => expect(agent.requests("host-reply")).toHaveLength(2));
    const replies = agent.requests("host-reply").map((s) => s.request);
    expect(replies).toContainEqual({
      id: 7,
      op: "host-reply",
      ok: true,
      body: { echo: { argv: ["x"] } },
    });
    expect(replies).toContainEqual({
      id: 8,
      op: "host-reply",
      ok: false,
      error: 'the host service "other" is not running for this task',
    });
    off();
    agent.frame({ t: "host-call", id: 9, service: "cloud", body: null });
    await vi.waitFor(() => expect(agent.requests("host-reply")).toHaveLength(3));
    expect(agent.last("host-reply").request).toMatchObject({
      id: 9,
      ok: false,
      error: /cloud control plane is not running/,
    });
  });

  it("ignores a forged host call, and refuses calls beyond the bound", async () => {
    const agent = await keyed();
    agent.frame({ t: "host-call", id: 1, service: "cloud", body: null }, null);
    const answers: (() => void)[] = [];
    agent.channel.handleHostCalls(
      "slow",
      () => new Promise<void>((resolve) => answers.push(resolve)),
    );
    for (let i = 0; i < MAX_PENDING_HOST_CALLS + 3; i++) {
      agent.frame({ t: "host-call", id: 100 + i, service: "slow", body: null });
    }
    await vi.waitFor(() => expect(agent.requests("host-reply")).toHaveLength(3));
    expect(agent.requests("host-reply").map((s) => s.request)).toEqual(
      [116, 117, 118].map((id) => ({
        id,
        op: "host-reply",
        ok: false,
        error: "too many calls to the host at once",
      })),
    );
    expect(agent.channel.report().counts).toMatchObject({
      "forged-frame": 1,
      "host-call-refused": 3,
    });
    for (const answer of answers) answer();
    await vi.waitFor(() =>
      expect(agent.requests("host-reply")).toHaveLength(3 + MAX_PENDING_HOST_CALLS),
    );
  });

  it("sends a handler's error back as the call's failure", async () => {
    const agent = await keyed();
    agent.channel.handleHostCalls("cloud", () => {
      throw new Error("boom");
    });
    agent.frame({ t: "host-call", id: 1, service: "cloud", body: null });
    await vi.waitFor(() =>
      expect(agent.requests("host-reply").map((s) => s.request)).toEqual([
        { id: 1, op: "host-reply", ok: false, error: "boom" },
      ]),
    );
  });
});

describe("cancel", () => {
  it("sends a cancel for the exec when its signal aborts, and resolves with the cancelled result", async () => {
    const agent = await keyed();
    const controller = new AbortController();
    const exec = execInGuest(agent.channel, "sleep 100", { signal: controller.signal });
    const { request } = agent.last("exec");
    expect(agent.requests("cancel")).toEqual([]);
    controller.abort();
    expect(agent.last("cancel").request).toMatchObject({ op: "cancel", target: request.id });
    agent.reply(agent.last("cancel").request.id, { found: true });
    agent.reply(request.id, { ...EXEC_FIELDS, exitCode: 130, cancelled: true, stdout: "" });
    await expect(exec).resolves.toMatchObject({ exitCode: 130, cancelled: true });
    expect(agent.channel.report().alarms).toEqual([]);
  });

  it("cancels right after sending when the signal was aborted already", async () => {
    const agent = await keyed();
    const exec = execInGuest(agent.channel, "true", { signal: AbortSignal.abort() });
    const order = agent.sent.slice(-2).map((s) => s.request.op);
    expect(order).toEqual(["exec", "cancel"]);
    agent.reply(agent.last("exec").request.id, { ...EXEC_FIELDS, exitCode: 130, cancelled: true });
    await expect(exec).resolves.toMatchObject({ cancelled: true });
  });
});
