// Unit tests of request/reply matching, deadlines and agent restarts on the guest channel.
import { afterEach, describe, expect, it, vi } from "vitest";
import { VmAgentRestartedError, VmUnresponsiveError } from "./errors";
import { GuestChannel } from "./guest-channel";
import { encodeFrame, FrameDecoder, type GuestRequest } from "./protocol";

/** A channel whose sent requests are decoded for the test to answer. */
function makeChannel(): { channel: GuestChannel; sent: GuestRequest[] } {
  const sent: GuestRequest[] = [];
  const decoder = new FrameDecoder();
  const channel = new GuestChannel((bytes) =>
    sent.push(...(decoder.push(bytes) as unknown as GuestRequest[])),
  );
  return { channel, sent };
}

afterEach(() => vi.useRealTimers());

describe("GuestChannel", () => {
  it("matches replies to requests by id, in any order", async () => {
    const { channel, sent } = makeChannel();
    const a = channel.request({ op: "ping" }, 1000, "a");
    const b = channel.request({ op: "ping" }, 1000, "b");
    const [ra, rb] = sent;
    channel.receive(encodeFrame({ id: rb!.id, ok: true, which: "b" }));
    channel.receive(encodeFrame({ id: ra!.id, ok: true, which: "a" }));
    expect(await a).toMatchObject({ which: "a" });
    expect(await b).toMatchObject({ which: "b" });
    expect(channel.inFlight).toBe(0);
  });

  it("ignores an echoed request that carries no verdict", async () => {
    const { channel, sent } = makeChannel();
    const reply = channel.request({ op: "ping" }, 1000, "ping");
    channel.receive(encodeFrame(sent[0] as never));
    expect(channel.inFlight).toBe(1);
    channel.receive(encodeFrame({ id: sent[0]!.id, ok: true }));
    await expect(reply).resolves.toMatchObject({ ok: true });
  });

  it("rejects with a typed error when the guest does not answer in time", async () => {
    vi.useFakeTimers();
    const { channel } = makeChannel();
    const reply = channel.request({ op: "ping" }, 5000, "a ping");
    const check = expect(reply).rejects.toBeInstanceOf(VmUnresponsiveError);
    await vi.advanceTimersByTimeAsync(5001);
    await check;
    expect(channel.inFlight).toBe(0);
  });

  it("fails the requests in flight when the agent says hello again", async () => {
    const { channel } = makeChannel();
    const reply = channel.request({ op: "ping" }, 1000, "a ping");
    channel.receive(encodeFrame({ t: "hello", version: 1, pid: 2 }));
    await expect(reply).rejects.toBeInstanceOf(VmAgentRestartedError);
  });

  it("waitForAgent retries pings until one is answered", async () => {
    vi.useFakeTimers();
    const { channel, sent } = makeChannel();
    const ready = channel.waitForAgent(10_000);
    await vi.advanceTimersByTimeAsync(2500); // two pings time out unanswered
    expect(sent.length).toBe(3);
    channel.receive(encodeFrame({ id: sent[2]!.id, ok: true, pong: true }));
    await expect(ready).resolves.toBeUndefined();
  });

  it("answers a guest program's host call with the service's handler, or says none runs", async () => {
    const { channel, sent } = makeChannel();
    const off = channel.handleHostCalls("cloud", (body) => ({ echo: body }));
    channel.receive(
      encodeFrame({ t: "host-call", id: 7, service: "cloud", body: { argv: ["x"] } }),
    );
    channel.receive(encodeFrame({ t: "host-call", id: 8, service: "other", body: null }));
    await vi.waitFor(() => expect(sent.length).toBe(2));
    expect(sent).toContainEqual({
      id: 7,
      op: "host-reply",
      ok: true,
      body: { echo: { argv: ["x"] } },
    });
    expect(sent).toContainEqual({
      id: 8,
      op: "host-reply",
      ok: false,
      error: 'the host service "other" is not running for this task',
    });
    off();
    channel.receive(encodeFrame({ t: "host-call", id: 9, service: "cloud", body: null }));
    await vi.waitFor(() => expect(sent.length).toBe(3));
    expect(sent[2]).toMatchObject({
      id: 9,
      ok: false,
      error: /cloud control plane is not running/,
    });
    expect(channel.inFlight).toBe(0);
  });

  it("sends a handler's error back as the call's failure", async () => {
    const { channel, sent } = makeChannel();
    channel.handleHostCalls("cloud", () => {
      throw new Error("boom");
    });
    channel.receive(encodeFrame({ t: "host-call", id: 1, service: "cloud", body: null }));
    await vi.waitFor(() =>
      expect(sent).toEqual([{ id: 1, op: "host-reply", ok: false, error: "boom" }]),
    );
  });
});
