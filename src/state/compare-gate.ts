// Pause at the first disagreement: two runs' model clients held in step, each turn's calls compared before either runs, the person asked once they part.
import type { ChatChunk, ChatRequest, ChatResponse, LlmClient } from "../agent/llm";
import { parseTextReply } from "../agent/text-protocol";
import { parseToolCall } from "../agent/tools";
import { disagreement, stepKey, type CompareStep, type Divergence } from "../analysis/align";

export type Side = "left" | "right";

/** What the person chose at the disagreement: both carry on, both stop, or one carries on alone. */
export type GateDecision = "continue" | "stop" | "keep-left" | "keep-right";

/** The two turns that parted: each run's next call (null: that run's turn made none). */
export interface GateQuestion {
  /** The turn (model step) both runs reached. */
  step: number;
  left: CompareStep | null;
  right: CompareStep | null;
  reason: Divergence["reason"];
}

export interface CompareGateOptions {
  /** Asks the person; both runs wait (before running their calls) until it resolves. */
  ask: (question: GateQuestion) => Promise<GateDecision>;
  /** Stops one run (aborts its signal): called for "stop" (both) and "keep-…" (the other). */
  stop: (side: Side) => void;
}

/** The first call of a turn as the comparison keys it (null when the turn made none). */
function firstCall(client: LlmClient, step: number, response: ChatResponse): CompareStep | null {
  const call =
    client.toolMode === "native"
      ? response.toolCalls[0]
      : parseTextReply(response.text, `step-${step}`);
  if (!call) return null;
  const input = parseToolCall(call);
  return { step, callId: call.id, input, key: stepKey(input), reasoning: response.text };
}

interface Arrival {
  call: CompareStep | null;
  /** Lets this side's turn go on (to the loop, which runs its call). */
  release: () => void;
}

/**
 * Holds the two runs' turns in step while they agree: a turn's response waits for the other run's turn of
 * the same number, the two first calls are compared, and at the first disagreement the person is asked
 * (the escalate-to-a-human pattern). NOTE: once they have parted, or one run has ended, it holds nothing:
 * it pauses at most once per comparison.
 */
export class CompareGate {
  private open = false;
  /** Each side's answered turns so far (a retried turn counts once: only "done" counts). */
  private readonly answered: Record<Side, number> = { left: 0, right: 0 };
  private readonly waiting = new Map<number, { side: Side; arrival: Arrival }>();
  /** The question asked, once asked (for the record and the page). */
  question: GateQuestion | null = null;
  decision: GateDecision | null = null;

  constructor(private readonly options: CompareGateOptions) {}

  /** A client that behaves as `client`, but hands each turn's response over only once the gate lets it. */
  wrap(side: Side, client: LlmClient): LlmClient {
    const arrive = (response: ChatResponse, signal: AbortSignal) => {
      const step = ++this.answered[side];
      return this.arrive(side, step, firstCall(client, step, response), signal);
    };
    return {
      provider: client.provider,
      model: client.model,
      toolMode: client.toolMode,
      ...(client.reasoning && { reasoning: client.reasoning }),
      ...(client.maxOutputTokensPerTurn && {
        maxOutputTokensPerTurn: client.maxOutputTokensPerTurn,
      }),
      async *stream(request: ChatRequest, signal: AbortSignal): AsyncIterable<ChatChunk> {
        for await (const chunk of client.stream(request, signal)) {
          if (chunk.type === "done") await arrive(chunk.response, signal);
          yield chunk;
        }
      },
    };
  }

  /** One of the runs has ended: the other no longer waits for it, and nothing is held from now on. */
  end(): void {
    this.open = true;
    for (const { arrival } of this.waiting.values()) arrival.release();
    this.waiting.clear();
  }

  private arrive(
    side: Side,
    step: number,
    call: CompareStep | null,
    signal: AbortSignal,
  ): Promise<void> {
    if (this.open) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const onAbort = () => reject(signal.reason ?? new Error("stopped"));
      if (signal.aborted) return onAbort();
      signal.addEventListener("abort", onAbort, { once: true });
      const release = () => {
        signal.removeEventListener("abort", onAbort);
        resolve();
      };
      const other = this.waiting.get(step);
      if (!other || other.side === side) {
        this.waiting.set(step, { side, arrival: { call, release } });
        return;
      }
      this.waiting.delete(step);
      const [left, right] =
        side === "left" ? [call, other.arrival.call] : [other.arrival.call, call];
      const reason = disagreement(left, right);
      if (reason === null) {
        other.arrival.release();
        release();
        return;
      }
      this.question = { step, left, right, reason };
      this.open = true;
      void this.decide(this.question).then(() => {
        other.arrival.release();
        release();
      });
    });
  }

  private async decide(question: GateQuestion): Promise<void> {
    let decision: GateDecision;
    try {
      decision = await this.options.ask(question);
    } catch {
      decision = "stop"; // NOTE: a question that cannot be asked stops both rather than letting either on
    }
    this.decision = decision;
    if (decision === "stop" || decision === "keep-right") this.options.stop("left");
    if (decision === "stop" || decision === "keep-left") this.options.stop("right");
  }
}
