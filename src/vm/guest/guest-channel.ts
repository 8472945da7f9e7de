// Requests to the guest agent over a byte pipe: the key handshake, MAC'ed replies tied to their requests,
// deadlines, agent restarts, host calls, and the alarms of whatever else the guest writes to the channel.
import {
  VmAgentRestartedError,
  VmBootError,
  VmProtocolError,
  VmResetError,
  VmUnresponsiveError,
  type VmError,
} from "../errors";
import {
  bytesToHex,
  encodeRequest,
  FrameDecoder,
  MAC_KEY_BYTES,
  PROTOCOL_VERSION,
  REPLY_SCHEMAS,
  shorten,
  type Decoded,
  type GuestFrame,
  type GuestRequest,
  type MacCheck,
  type ReplyFields,
  type ReplyFrame,
  type RequestOp,
} from "./protocol";
import {
  MAX_CHANNEL_ALARMS,
  quietChannelReport,
  type ChannelAlarm,
  type ChannelAlarmKind,
  type ChannelReport,
  type HostCallHandler,
} from "../vm";

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<Exclude<GuestRequest, { op: "host-reply" }>, "id">;
export type Reply<Op extends RequestOp = RequestOp> =
  ({ id: number; ok: true } & ReplyFields<Op>) | { id: number | null; ok: false; error: string };

/** How long one key request may take before it is sent again (while the agent comes up). */
const KEY_ATTEMPT_MS = 1_000;
/** How long the agent may take to take a new key after it restarted. */
export const REKEY_TIMEOUT_MS = 30_000;
/** Host calls answered at once; more are refused and recorded (the agent itself lets 8 through). */
export const MAX_PENDING_HOST_CALLS = 16;
/** Requests whose reply is no longer awaited but may still come (late, after their deadline). */
const ANSWERED_IDS_KEPT = 256;

interface Pending {
  op: RequestOp;
  what: string;
  digest: string;
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

/** A key request in flight: its id, the digest its reply must carry, and who waits for that reply. */
interface KeyWait {
  id: number;
  digest: string;
  settle: (reply: Reply<"key"> | undefined) => void;
}

export interface GuestChannelOptions {
  /** The clock of alarms (Date.now by default). */
  now?: () => number;
  /** Where keys come from (crypto.getRandomValues by default). */
  randomBytes?: (length: number) => Uint8Array;
  /** Told of each alarm as it is recorded (kept or only counted). */
  onAlarm?: (alarm: ChannelAlarm) => void;
}

function emptyCounts(): Record<ChannelAlarmKind, number> {
  return quietChannelReport().counts;
}

function keyRefused(error: string): VmError {
  if (/unknown op/.test(error)) {
    return new VmProtocolError(
      `The guest agent does not know protocol ${PROTOCOL_VERSION}'s key handshake (${error}): the saved ` +
        "state or image is older than this OpsLab; make the snapshot again with `npm run vm:snapshot`.",
    );
  }
  return new VmBootError(
    `The guest agent cannot sign its frames, so its answers could not be trusted (${error}): its kernel ` +
      "needs AF_ALG with hmac(sha256) (our kernel has them built in; Debian's needs af_alg and algif_hash).",
  );
}

/**
 * NOTE: nothing is taken from the guest before a handshake: the host sends a fresh key, and from the agent's
 * reply on every frame must carry a MAC made with it. The handshake runs after every start, restore and
 * reset (a restored agent still holds the key of the machine that was saved) and again after the agent
 * restarts.
 */
export class GuestChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  /** Ids whose reply is no longer awaited, with the digest that reply would carry. */
  private readonly answered = new Map<number, string>();
  private decoder = new FrameDecoder();
  private readonly helloListeners = new Set<(version: number) => void>();
  private readonly hostCallHandlers = new Map<string, HostCallHandler>();
  private hostCallsInFlight = 0;
  private readonly now: () => number;
  private readonly randomBytes: (length: number) => Uint8Array;
  private readonly onAlarm: ((alarm: ChannelAlarm) => void) | undefined;
  /** Requests made while the channel has no key: sent when a handshake succeeds, failed when it fails. */
  private unsent: { send: () => void; fail: (error: Error) => void }[] = [];
  private keyed = false;
  private handshakes = 0;
  private keyWait: KeyWait | undefined;
  /** Bumped by reset(): a handshake of an earlier machine stops. */
  private generation = 0;
  private epoch: number;
  private alarms: ChannelAlarm[] = [];
  private counts = emptyCounts();

  constructor(
    private readonly send: (bytes: Uint8Array) => void,
    options: GuestChannelOptions = {},
  ) {
    this.now = options.now ?? Date.now;
    this.randomBytes =
      options.randomBytes ?? ((length) => crypto.getRandomValues(new Uint8Array(length)));
    this.onAlarm = options.onAlarm;
    this.epoch = this.now();
  }

  /** Answers the guest's calls to `service`; returns a function that removes the handler. */
  handleHostCalls(service: string, handler: HostCallHandler): () => void {
    this.hostCallHandlers.set(service, handler);
    return () => {
      if (this.hostCallHandlers.get(service) === handler) this.hostCallHandlers.delete(service);
    };
  }

  private async answerHostCall(id: number, service: string, body: unknown): Promise<void> {
    if (this.hostCallsInFlight >= MAX_PENDING_HOST_CALLS) {
      this.alarm(
        "host-call-refused",
        `a call to "${shorten(service, 40)}" beyond ${MAX_PENDING_HOST_CALLS} at once`,
      );
      this.sendRequest({
        id,
        op: "host-reply",
        ok: false,
        error: "too many calls to the host at once",
      });
      return;
    }
    this.hostCallsInFlight++;
    const handler = this.hostCallHandlers.get(service);
    let reply: GuestRequest;
    try {
      if (!handler) {
        const what =
          service === "cloud" ? "the cloud control plane" : `the host service "${service}"`;
        reply = { id, op: "host-reply", ok: false, error: `${what} is not running for this task` };
      } else {
        reply = { id, op: "host-reply", ok: true, body: await handler(body) };
      }
    } catch (error) {
      reply = { id, op: "host-reply", ok: false, error: (error as Error).message };
    } finally {
      this.hostCallsInFlight--;
    }
    this.sendRequest(reply);
  }

  private sendRequest(request: GuestRequest): string {
    const { line, digest } = encodeRequest(request);
    this.send(line);
    return digest;
  }

  private alarm(kind: ChannelAlarmKind, detail: string): void {
    const alarm = { atMs: Math.max(0, Math.round(this.now() - this.epoch)), kind, detail };
    this.counts[kind]++;
    if (this.alarms.length < MAX_CHANNEL_ALARMS) this.alarms.push(alarm);
    this.onAlarm?.({ ...alarm });
  }

  /** What the guest did to the channel since the last reset(). */
  report(): ChannelReport {
    return {
      trusted:
        this.handshakes > 0 &&
        this.counts["forged-frame"] === 0 &&
        this.counts["agent-restarted"] === 0,
      alarms: this.alarms.map((alarm) => ({ ...alarm })),
      counts: { ...this.counts },
    };
  }

  /** Bytes from the guest's second serial port. NOTE: never throws (it runs in the emulator's handler). */
  receive(bytes: Uint8Array | number[]): void {
    let decoded: Decoded[];
    try {
      decoded = this.decoder.push(bytes);
    } catch (error) {
      this.alarm("malformed-frame", `unreadable bytes: ${String(error)}`);
      return;
    }
    for (const item of decoded) {
      try {
        this.take(item);
      } catch (error) {
        this.alarm("malformed-frame", `a frame the host could not handle: ${String(error)}`);
      }
    }
  }

  private take(item: Decoded): void {
    // NOTE: before the first handshake, lines are boot noise or frames of the machine that was saved.
    const watching = this.keyed || this.handshakes > 0;
    if (item.kind === "noise") {
      if (watching) this.alarm("malformed-frame", `a line that is not a frame: ${item.text}`);
      return;
    }
    if (item.kind === "bad") {
      if (watching)
        this.alarm(
          item.problem === "oversized" ? "oversized-frame" : "malformed-frame",
          item.detail,
        );
      return;
    }
    const { frame, mac } = item;
    if (!("ok" in frame)) {
      this.takeMessage(frame, mac);
      return;
    }
    if (this.keyWait && frame.id === this.keyWait.id) this.takeKeyReply(frame, mac, this.keyWait);
    if (!this.keyed || mac === "stale") return; // a reply written before the agent took the new key
    if (mac !== "valid") {
      this.alarm("forged-frame", `${macProblem(mac)}: ${shorten(JSON.stringify(frame))}`);
      return;
    }
    this.settle(frame);
  }

  /** A frame that is no reply: hello, bad-frame or host-call. */
  private takeMessage(frame: Exclude<GuestFrame, ReplyFrame>, mac: MacCheck): void {
    if (frame.t === "hello") {
      // Never MAC'ed: a new agent has no key yet.
      for (const listener of this.helloListeners) listener(frame.version);
      if (this.handshakes === 0) return; // starting up
      this.alarm("agent-restarted", `the guest agent said hello again (pid ${frame.pid})`);
      this.failAll(new VmAgentRestartedError());
      if (this.keyed) void this.handshake(REKEY_TIMEOUT_MS).catch(() => undefined);
      return;
    }
    if (!this.keyed || mac === "stale") return;
    if (mac !== "valid") {
      this.alarm("forged-frame", `${macProblem(mac)}: ${shorten(JSON.stringify(frame))}`);
    } else if (frame.t === "bad-frame") {
      this.alarm(
        "malformed-frame",
        `the guest agent could not read a line of ${frame.length} bytes sent to it (input injected on ttyS1?)`,
      );
    } else {
      void this.answerHostCall(frame.id, frame.service, frame.body);
    }
  }

  private takeKeyReply(frame: ReplyFrame, mac: MacCheck, wait: KeyWait): void {
    // A refusal cannot carry the new key's MAC: the agent has not taken it.
    if (!frame.ok) wait.settle(frame);
    else if (mac === "valid" && frame.request === wait.digest) {
      const fields = REPLY_SCHEMAS.key.safeParse(frame);
      wait.settle(fields.success ? { ...fields.data, id: frame.id, ok: true } : undefined);
    }
  }

  /** A reply with a valid MAC: the answer to a pending request when it carries that request's digest. */
  private settle(frame: ReplyFrame): void {
    const waiting = frame.id === null ? undefined : this.pending.get(frame.id);
    if (!waiting || frame.request !== waiting.digest) {
      const late = frame.id !== null && this.answered.get(frame.id) === frame.request;
      if (!late) {
        this.alarm(
          "forged-frame",
          `a reply to a request the host did not send (input injected on ttyS1?): ${shorten(JSON.stringify(frame))}`,
        );
      }
      return;
    }
    this.forget(frame.id as number, waiting);
    if (!frame.ok) {
      waiting.resolve({ id: frame.id, ok: false, error: frame.error });
      return;
    }
    const fields = REPLY_SCHEMAS[waiting.op].safeParse(frame);
    if (!fields.success) {
      const detail = shorten(JSON.stringify(frame));
      this.alarm("malformed-frame", `a reply to ${waiting.what} that does not fit it: ${detail}`);
      waiting.reject(
        new VmProtocolError(
          `The guest agent's reply to ${waiting.what} does not fit protocol ${PROTOCOL_VERSION}: ${detail}`,
        ),
      );
      return;
    }
    waiting.resolve({ ...fields.data, id: frame.id, ok: true } as Reply);
  }

  private forget(id: number, waiting: Pending): void {
    clearTimeout(waiting.timer);
    this.pending.delete(id);
    this.remember(id, waiting.digest);
  }

  /** Keeps a request's digest after its reply stops being awaited, so that a late reply is no alarm. */
  private remember(id: number, digest: string): void {
    this.answered.set(id, digest);
    if (this.answered.size > ANSWERED_IDS_KEPT) {
      const oldest = this.answered.keys().next();
      if (!oldest.done) this.answered.delete(oldest.value);
    }
  }

  /**
   * Sends a request once the channel is keyed; rejects with VmUnresponsiveError when no reply comes within
   * the deadline (counted from now). `id` is known at once, for a cancel that targets it.
   */
  start<Op extends RequestOp>(
    body: Extract<RequestBody, { op: Op }>,
    deadlineMs: number,
    what: string,
  ): { id: number; reply: Promise<Reply<Op>> } {
    const id = this.nextId++;
    const reply = new Promise<Reply<Op>>((resolve, reject) => {
      const timer = setTimeout(() => {
        const waiting = this.pending.get(id);
        if (waiting) this.forget(id, waiting);
        reject(new VmUnresponsiveError(what, deadlineMs));
      }, deadlineMs);
      const entry: Pending = {
        op: body.op,
        what,
        digest: "",
        resolve: resolve as (reply: Reply) => void,
        reject,
        timer,
      };
      this.pending.set(id, entry);
      const send = (): void => {
        if (this.pending.get(id) === entry)
          entry.digest = this.sendRequest({ ...body, id } as GuestRequest);
      };
      if (this.keyed) send();
      else {
        this.unsent.push({
          send,
          fail: (error) => {
            if (this.pending.get(id) !== entry) return;
            this.forget(id, entry);
            reject(error);
          },
        });
      }
    });
    return { id, reply };
  }

  request<Op extends RequestOp>(
    body: Extract<RequestBody, { op: Op }>,
    deadlineMs: number,
    what: string,
  ): Promise<Reply<Op>> {
    return this.start(body, deadlineMs, what).reply;
  }

  /**
   * Gives the agent a fresh key and waits for its reply MAC'ed with that key, sending the key again each
   * second while the agent comes up; requests made meanwhile wait for it. Rejects when the agent refuses the
   * key (too old, no AF_ALG) or does not answer within `timeoutMs`, and so do the requests that waited.
   */
  async handshake(timeoutMs: number): Promise<void> {
    this.keyed = false;
    const generation = this.generation;
    try {
      await this.keyAgent(timeoutMs, generation);
    } catch (error) {
      if (generation === this.generation) this.flushUnsent(error as Error);
      throw error;
    }
    this.flushUnsent();
  }

  /** Sends the requests that waited for a key, or fails them with `error`. */
  private flushUnsent(error?: Error): void {
    const unsent = this.unsent;
    this.unsent = [];
    for (const request of unsent) {
      if (error) request.fail(error);
      else request.send();
    }
  }

  private async keyAgent(timeoutMs: number, generation: number): Promise<void> {
    const key = this.randomBytes(MAC_KEY_BYTES);
    const hex = bytesToHex(key);
    this.decoder.setKey(key);
    const deadline = this.now() + timeoutMs;
    for (let left = timeoutMs; left > 0; left = deadline - this.now()) {
      if (generation !== this.generation) throw new VmResetError();
      const id = this.nextId++;
      const reply = await new Promise<Reply<"key"> | undefined>((resolve) => {
        const timer = setTimeout(() => settle(undefined), Math.min(KEY_ATTEMPT_MS, left));
        const settle = (value: Reply<"key"> | undefined): void => {
          clearTimeout(timer);
          if (this.keyWait === wait) this.keyWait = undefined;
          this.remember(id, wait.digest); // its reply may still come, after a later attempt's
          resolve(value);
        };
        const wait: KeyWait = { id, digest: "", settle };
        this.keyWait = wait;
        wait.digest = this.sendRequest({ id, op: "key", key: hex });
      });
      if (!reply) continue; // not up yet, or it just (re)started and missed the key
      if (generation !== this.generation) throw new VmResetError();
      if (!reply.ok) throw keyRefused(reply.error);
      if (reply.version !== PROTOCOL_VERSION) {
        throw new VmProtocolError(
          `The guest agent speaks protocol ${reply.version}, this OpsLab ${PROTOCOL_VERSION}: rebuild the guest (npm run vm:update-guest, then npm run vm:snapshot).`,
        );
      }
      this.keyed = true;
      this.handshakes++;
      return;
    }
    throw new VmUnresponsiveError("the key handshake of the guest agent", timeoutMs);
  }

  /** Told of every hello, with the agent's protocol version. */
  onHello(listener: (version: number) => void): () => void {
    this.helloListeners.add(listener);
    return () => this.helloListeners.delete(listener);
  }

  /** Rejects every request in flight or waiting for a key (after a reset, an agent restart, on shutdown). */
  failAll(error: VmError): void {
    for (const [id, waiting] of this.pending) {
      this.forget(id, waiting);
      waiting.reject(error);
    }
    this.unsent = [];
  }

  /**
   * A new machine (start, restore, reset): no key, no partial frame, no alarms. NOTE: call failAll() first;
   * a handshake of the machine before stops.
   */
  reset(): void {
    this.generation++;
    this.keyWait?.settle(undefined);
    this.decoder = new FrameDecoder();
    this.keyed = false;
    this.handshakes = 0;
    this.answered.clear();
    this.epoch = this.now();
    this.alarms = [];
    this.counts = emptyCounts();
  }

  get inFlight(): number {
    return this.pending.size;
  }
}

function macProblem(mac: MacCheck): string {
  return mac === "missing" ? "a frame without a MAC" : "a frame with a wrong MAC";
}
