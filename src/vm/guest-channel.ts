// Requests to the guest agent over a byte pipe: ids, replies, deadlines, agent restarts, and host calls.
import { VmAgentRestartedError, VmUnresponsiveError, type VmError } from "./errors";
import { encodeRequest, FrameDecoder, type GuestFrame, type GuestRequest } from "./protocol";
import type { HostCallHandler } from "./vm";

type DistributiveOmit<T, K extends keyof T> = T extends unknown ? Omit<T, K> : never;
export type RequestBody = DistributiveOmit<GuestRequest, "id">;
export type Reply = Extract<GuestFrame, { ok: boolean }>;

/** How long one ping may take while waiting for the agent to come up. */
const PING_DEADLINE_MS = 1_000;

interface Pending {
  resolve: (reply: Reply) => void;
  reject: (error: Error) => void;
  timer: ReturnType<typeof setTimeout>;
}

export class GuestChannel {
  private nextId = 1;
  private readonly pending = new Map<number, Pending>();
  private decoder = new FrameDecoder();
  private readonly helloListeners = new Set<() => void>();
  private readonly hostCallHandlers = new Map<string, HostCallHandler>();

  constructor(private readonly send: (bytes: Uint8Array) => void) {}

  /** Answers the guest's calls to `service`; returns a function that removes the handler. */
  handleHostCalls(service: string, handler: HostCallHandler): () => void {
    this.hostCallHandlers.set(service, handler);
    return () => {
      if (this.hostCallHandlers.get(service) === handler) this.hostCallHandlers.delete(service);
    };
  }

  private async answerHostCall(id: number, service: string, body: unknown): Promise<void> {
    const handler = this.hostCallHandlers.get(service);
    let reply: GuestRequest;
    if (!handler) {
      const what =
        service === "cloud" ? "the cloud control plane" : `the host service "${service}"`;
      reply = { id, op: "host-reply", ok: false, error: `${what} is not running for this task` };
    } else {
      try {
        reply = { id, op: "host-reply", ok: true, body: await handler(body) };
      } catch (error) {
        reply = { id, op: "host-reply", ok: false, error: (error as Error).message };
      }
    }
    this.send(encodeRequest(reply));
  }

  /** Bytes from the guest's second serial port. */
  receive(bytes: Uint8Array | number[]): void {
    for (const frame of this.decoder.push(bytes)) {
      if ("t" in frame) {
        if (frame.t === "hello") {
          // A new agent process: whatever the old one was running is lost.
          this.failAll(new VmAgentRestartedError());
          for (const listener of this.helloListeners) listener();
        } else if (frame.t === "host-call") {
          void this.answerHostCall(frame.id, String(frame.service), frame.body);
        }
        continue;
      }
      // A frame without a verdict, or with an op, is not a reply (for example a request or a host
      // reply echoed by a tty not yet raw).
      if (typeof frame.ok !== "boolean" || "op" in frame) continue;
      const waiting = this.pending.get(frame.id);
      if (!waiting) continue;
      this.pending.delete(frame.id);
      clearTimeout(waiting.timer);
      waiting.resolve(frame);
    }
  }

  /** Sends a request; rejects with VmUnresponsiveError when no reply comes within the deadline. */
  request(body: RequestBody, deadlineMs: number, what: string): Promise<Reply> {
    const id = this.nextId++;
    return new Promise<Reply>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new VmUnresponsiveError(what, deadlineMs));
      }, deadlineMs);
      this.pending.set(id, { resolve, reject, timer });
      this.send(encodeRequest({ ...body, id } as GuestRequest));
    });
  }

  /** Pings until the agent answers; rejects when it has not within `timeoutMs`. */
  async waitForAgent(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      try {
        await this.request(
          { op: "ping" },
          Math.min(PING_DEADLINE_MS, deadline - Date.now()),
          "a ping",
        );
        return;
      } catch (error) {
        // Not up yet, or it just (re)started and dropped the ping: ask again.
        if (!(error instanceof VmUnresponsiveError || error instanceof VmAgentRestartedError)) {
          throw error;
        }
      }
    }
    throw new VmUnresponsiveError("the start-up ping of the guest agent", timeoutMs);
  }

  onHello(listener: () => void): () => void {
    this.helloListeners.add(listener);
    return () => this.helloListeners.delete(listener);
  }

  /** Rejects every request in flight and forgets any partial frame (after a reset or on shutdown). */
  failAll(error: VmError): void {
    for (const [id, waiting] of this.pending) {
      clearTimeout(waiting.timer);
      waiting.reject(error);
      this.pending.delete(id);
    }
  }

  /** Drops any partial frame, for example after the machine was restored from a state. */
  resync(): void {
    this.decoder = new FrameDecoder();
  }

  get inFlight(): number {
    return this.pending.size;
  }
}
