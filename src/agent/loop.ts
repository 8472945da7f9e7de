// The agent loop: an async generator of run events over an LlmClient and a Vm, within limits.
import type { RunEvent, RunLimits, ToolInput, ToolOutcome } from "../domain/run";
import { judgeCommand, judgeWrite, policyError, type CommandPolicy } from "../domain/policy/judge";
import { mayChangeMachine } from "../domain/shell/read-only";
import { timerDelayMs } from "../domain/timers";
import { VmError } from "../vm/errors";
import type { Vm } from "../vm/vm";
import { systemClock, type Clock } from "./clock";
import { detectFailures, type ActionRecord } from "../domain/detectors";
import { ProviderError } from "./errors";
import {
  CUT_OFF_STOP_REASONS,
  type ChatChunk,
  type ChatMessage,
  type ChatResponse,
  type LlmClient,
  type TokenUsage,
  type ToolCallRequest,
} from "./llm";
import { DEFAULT_PRICES, costUsd, type PriceTable } from "./prices";
import { systemPrompt, taskMessage } from "./prompt";
import { redactSecrets } from "./redact";
import { DEFAULT_RETRY_POLICY, retryDelayMs, type RetryPolicy } from "./retry";
import { TEXT_PROTOCOL_REMINDER, parseTextReply } from "./text-protocol";
import { TOOL_SPECS, describeOutcome, parseToolCall, runTool } from "./tools";

/** Output tokens one model turn may use. */
export const MAX_OUTPUT_TOKENS_PER_TURN = 4_096;
/** Replies in a row without any action before the run ends as "no-action". */
export const MAX_IDLE_REPLIES = 3;
/** How long a stopped run waits for the command it cancelled to end in the guest. */
export const CANCELLED_COMMAND_WAIT_MS = 10_000;
const NATIVE_REMINDER =
  "You did not call a tool. Use run_command to act, or finish when the task is done.";

const CUT_OFF_REMINDER =
  "Your reply was cut off at its output limit and nothing in it was run. Think more briefly and act: call one tool.";

/**
 * Events of a run, plus text as it streams in (shown live, not kept: the whole text follows as
 * "reasoning"); `thinking` marks the model's reasoning, apart from its visible text.
 */
export type AgentEvent =
  RunEvent | { type: "text-delta"; atMs: number; step: number; text: string; thinking?: true };

/** A streamed piece of a turn as a text-delta (without its time and step). */
function textDelta(chunk: Extract<ChatChunk, { type: "text" | "reasoning" }>) {
  return {
    type: "text-delta" as const,
    text: chunk.text,
    ...(chunk.type === "reasoning" && { thinking: true as const }),
  };
}

/** Adds a turn's tokens to the run's; reasoning tokens once any turn has counted them. */
function addUsage(total: TokenUsage, turn: TokenUsage): void {
  total.inputTokens += turn.inputTokens;
  total.outputTokens += turn.outputTokens;
  if (turn.reasoningTokens !== undefined)
    total.reasoningTokens = (total.reasoningTokens ?? 0) + turn.reasoningTokens;
}

/** A turn's reasoning events (without their time): its thinking, then its visible text. */
function reasoningEvents(
  step: number,
  response: ChatResponse,
): Extract<RunEvent, { type: "reasoning" }>[] {
  const thinking = (response.reasoning ?? []).map((part) =>
    part.redacted
      ? { type: "reasoning" as const, atMs: 0, step, text: "", kind: "redacted-thinking" as const }
      : { type: "reasoning" as const, atMs: 0, step, text: part.text, kind: "thinking" as const },
  );
  const shown = thinking.filter((event) => event.kind === "redacted-thinking" || event.text.trim());
  return response.text.trim()
    ? [...shown, { type: "reasoning", atMs: 0, step, text: response.text }]
    : shown;
}

function cutOffMessage(step: number, limitTokens: number): string {
  return `Step ${step}'s reply was cut off at its output limit of ${limitTokens.toLocaleString("en-US")} tokens; nothing in it was run, and the agent was asked to be briefer. Raise the max output per turn (Settings, or --max-output) if this repeats.`;
}

export interface AgentRunOptions {
  client: LlmClient;
  vm: Vm;
  instruction: string;
  /** What happened on the machine before the agent (a fork's earlier steps), told after the ticket. */
  history?: string;
  limits: RunLimits;
  prices?: PriceTable;
  /** End the run at the first live failure warning. */
  stopOnWarning?: boolean;
  /** Stops the run at once (the stop button). */
  signal?: AbortSignal;
  clock?: Clock;
  retry?: RetryPolicy;
  /** Strings that must never appear in an event (the API key). */
  secrets?: readonly string[];
}

/** Thrown inside the loop when the person stops the run or its time is up. */
class StopRun extends Error {}

/**
 * The refusal of a call by the run's command policy, or null when it may run. NOTE: with no person
 * in the loop, a call the policy cannot judge ("ask") is refused too, with its own reason.
 */
function policyRefusal(
  policy: CommandPolicy | undefined,
  input: ToolInput,
  scripts: ReadonlyMap<string, string>,
): ToolOutcome | null {
  if (!policy) return null;
  const decision =
    input.tool === "run_command"
      ? judgeCommand(policy, input.command, scripts)
      : input.tool === "write_file"
        ? judgeWrite(policy, input.path)
        : null;
  if (!decision || decision.decision === "allow") return null;
  const { part, reason } = decision;
  return { kind: "refused", part, reason, unjudged: decision.decision === "ask" };
}

/**
 * Keeps the text of a file the agent wrote. NOTE: a command that may change the machine may have
 * changed such a file too: every known text is forgotten then (the policy asks about `bash FILE`).
 */
function knowScripts(scripts: Map<string, string>, input: ToolInput, outcome: ToolOutcome): void {
  if (input.tool === "write_file" && outcome.kind === "file-written")
    scripts.set(input.path, input.content);
  else if (input.tool === "run_command" && mayChangeMachine(input)) scripts.clear();
}

/** Resolves when `promise` settles, however it does, or after `ms` at the latest. */
function settled(promise: Promise<unknown>, ms: number): Promise<void> {
  return new Promise<void>((resolve) => {
    const timer = setTimeout(resolve, ms);
    const done = (): void => {
      clearTimeout(timer);
      resolve();
    };
    promise.then(done, done);
  });
}

/** Runs the agent until it finishes, hits a limit, is stopped or fails; never throws. */
export async function* runAgent(options: AgentRunOptions): AsyncGenerator<AgentEvent> {
  const secrets = options.secrets ?? [];
  for await (const event of runLoop(options)) yield redactSecrets(event, secrets);
}

async function* runLoop(options: AgentRunOptions): AsyncGenerator<AgentEvent> {
  const { client, vm, limits } = options;
  const clock = options.clock ?? systemClock;
  const prices = options.prices ?? DEFAULT_PRICES;
  const retry = options.retry ?? DEFAULT_RETRY_POLICY;
  const started = clock.now();
  const at = () => Math.round(clock.now() - started);
  const deadline = started + limits.maxSeconds * 1000;

  // One controller ends whatever is in flight: the person's stop, or the wall-time limit.
  const controller = new AbortController();
  let endedBy: "stopped" | "time" | null = null;
  const stop = () => {
    endedBy ??= "stopped";
    controller.abort(new Error("stopped"));
  };
  if (options.signal?.aborted) stop();
  options.signal?.addEventListener("abort", stop, { once: true });
  // NOTE: a timer waits at most MAX_TIMER_DELAY_MS; a longer limit is waited for in spans of that.
  let timer: ReturnType<typeof setTimeout> | undefined;
  const armDeadline = () => {
    const leftMs = deadline - clock.now();
    const spanMs = timerDelayMs(leftMs);
    timer = setTimeout(() => {
      if (spanMs < leftMs) return armDeadline();
      endedBy ??= "time";
      controller.abort(new Error("time limit"));
    }, spanMs);
  };
  armDeadline();

  /** Waits for `promise` unless the run is stopped or out of time first. */
  const guard = <T>(promise: Promise<T>): Promise<T> =>
    new Promise<T>((resolve, reject) => {
      if (controller.signal.aborted) return reject(new StopRun());
      const onAbort = () => reject(new StopRun());
      controller.signal.addEventListener("abort", onAbort, { once: true });
      promise.then(resolve, reject).finally(() => {
        controller.signal.removeEventListener("abort", onAbort);
      });
    });

  const endEvents = (): AgentEvent[] =>
    endedBy === "time"
      ? [
          {
            type: "limit",
            atMs: at(),
            limit: "time",
            message: `The run reached its time limit of ${limits.maxSeconds} s.`,
          },
          { type: "finished", atMs: at(), reason: "limit" },
        ]
      : [{ type: "finished", atMs: at(), reason: "stopped" }];

  yield {
    type: "started",
    atMs: 0,
    provider: client.provider,
    model: client.model,
    limits,
    toolMode: client.toolMode,
  };
  const messages: ChatMessage[] = [
    { role: "user", content: taskMessage(options.instruction, options.history) },
  ];
  const history: ActionRecord[] = [];
  /** The files the agent wrote whose text is still known, for the policy to read a `bash FILE`. */
  const scripts = new Map<string, string>();
  const usage: TokenUsage = { inputTokens: 0, outputTokens: 0 };
  let idleReplies = 0;
  const maxOutputTokens = client.maxOutputTokensPerTurn ?? MAX_OUTPUT_TOKENS_PER_TURN;

  try {
    const wrongRule = policyError(limits.policy);
    if (wrongRule) {
      yield { type: "error", atMs: 0, kind: "internal", message: wrongRule };
      yield { type: "finished", atMs: 0, reason: "internal-error" };
      return;
    }
    for (let step = 1; ; step++) {
      if (clock.now() >= deadline) endedBy ??= "time";
      if (endedBy || controller.signal.aborted) throw new StopRun();
      if (step > limits.maxSteps) {
        yield {
          type: "limit",
          atMs: at(),
          limit: "steps",
          message: `The agent used all ${limits.maxSteps} steps without finishing.`,
        };
        yield { type: "finished", atMs: at(), reason: "limit" };
        return;
      }

      // The model's turn, with retries for rate limits and server errors.
      let response: ChatResponse | undefined;
      for (let attempt = 1; !response; attempt++) {
        try {
          const request = {
            system: systemPrompt(client.toolMode),
            messages,
            tools: client.toolMode === "native" ? TOOL_SPECS : [],
            maxOutputTokens,
          };
          const turn = client.stream(request, controller.signal)[Symbol.asyncIterator]();
          for (;;) {
            const next = await guard(turn.next());
            if (next.done) break;
            if (next.value.type === "done") response = next.value.response;
            else yield { ...textDelta(next.value), atMs: at(), step };
          }
          if (!response)
            throw new ProviderError(
              "bad-response",
              client.provider,
              `${client.provider} ended the turn without an answer: try again.`,
              true,
            );
        } catch (error) {
          if (error instanceof StopRun || controller.signal.aborted) throw new StopRun();
          if (!(error instanceof ProviderError)) throw error;
          const waitMs = retryDelayMs(error, attempt, retry);
          if (waitMs === null) {
            yield { type: "error", atMs: at(), kind: error.kind, message: error.message };
            yield { type: "finished", atMs: at(), reason: "provider-error" };
            return;
          }
          yield { type: "retry", atMs: at(), attempt, waitMs, message: error.message };
          await guard(clock.sleep(waitMs, controller.signal));
        }
      }

      addUsage(usage, response.usage);
      const totalTokens = usage.inputTokens + usage.outputTokens;
      const cost = costUsd(client.model, usage, prices);
      yield { type: "usage", atMs: at(), step, ...usage, totalTokens, costUsd: cost };
      for (const event of reasoningEvents(step, response)) yield { ...event, atMs: at() };

      // NOTE: a turn cut off at its output limit may end in a half-written call: none of it is run.
      const cutOff = CUT_OFF_STOP_REASONS.includes(response.stopReason);
      const calls: ToolCallRequest[] = cutOff
        ? []
        : client.toolMode === "native"
          ? response.toolCalls
          : [parseTextReply(response.text, `step-${step}`)].filter((c) => c !== null);
      messages.push({
        role: "assistant",
        content: response.text,
        toolCalls: client.toolMode === "native" ? calls : [],
        // A cut-off turn's last thinking block may lack its signature; a turn without calls needs none.
        ...(response.thinking && !cutOff && { thinking: response.thinking }),
      });
      if (cutOff) {
        const message = cutOffMessage(step, maxOutputTokens);
        yield { type: "limit", atMs: at(), step, limit: "output", message };
      }

      if (calls.length === 0) {
        idleReplies++;
        if (idleReplies >= MAX_IDLE_REPLIES) {
          yield { type: "finished", atMs: at(), reason: "no-action" };
          return;
        }
        const reminder = cutOff
          ? CUT_OFF_REMINDER
          : client.toolMode === "native"
            ? NATIVE_REMINDER
            : TEXT_PROTOCOL_REMINDER;
        messages.push({ role: "user", content: reminder });
      } else {
        idleReplies = 0;
      }

      for (const call of calls) {
        const input: ToolInput = parseToolCall(call);
        yield { type: "tool-call", atMs: at(), step, callId: call.id, input };
        if (input.tool === "finish") {
          yield {
            type: "tool-result",
            atMs: at(),
            step,
            callId: call.id,
            outcome: { kind: "finished", summary: input.summary },
          };
          yield { type: "finished", atMs: at(), reason: "finished", summary: input.summary };
          return;
        }
        // NOTE: a call the run's command policy refuses runs nothing: the refusal is its outcome.
        let outcome = policyRefusal(limits.policy, input, scripts);
        if (!outcome) {
          const remainingSeconds = Math.max(1, Math.floor((deadline - clock.now()) / 1000));
          const seconds = Math.min(limits.commandSeconds, remainingSeconds);
          // NOTE: the run's abort cancels the command in the guest; a stopped run ends once it has ended.
          const running = runTool(vm, input, seconds, controller.signal);
          try {
            outcome = await guard(running);
          } catch (error) {
            if (error instanceof StopRun) {
              await settled(running, CANCELLED_COMMAND_WAIT_MS);
              throw error;
            }
            if (!(error instanceof VmError)) throw error;
            yield { type: "error", atMs: at(), kind: "vm", message: error.message };
            yield { type: "finished", atMs: at(), reason: "vm-error" };
            return;
          }
        }
        yield { type: "tool-result", atMs: at(), step, callId: call.id, outcome };
        knowScripts(scripts, input, outcome);
        const content = describeOutcome(outcome);
        messages.push(
          client.toolMode === "native"
            ? { role: "tool", toolCallId: call.id, toolName: call.name, content }
            : { role: "user", content },
        );

        history.push({ step, input, outcome });
        const warnings = detectFailures(history);
        for (const warning of warnings) yield { type: "warning", atMs: at(), ...warning };
        if (warnings.length > 0 && options.stopOnWarning) {
          yield { type: "finished", atMs: at(), reason: "stuck" };
          return;
        }
      }

      if (limits.maxTokens > 0 && totalTokens >= limits.maxTokens) {
        yield {
          type: "limit",
          atMs: at(),
          limit: "tokens",
          message: `The run used ${totalTokens} tokens, over its limit of ${limits.maxTokens}.`,
        };
        yield { type: "finished", atMs: at(), reason: "limit" };
        return;
      }
      if (limits.maxCostUsd > 0 && cost !== null && cost >= limits.maxCostUsd) {
        yield {
          type: "limit",
          atMs: at(),
          limit: "cost",
          message: `The run cost $${cost.toFixed(4)}, over its limit of $${limits.maxCostUsd}.`,
        };
        yield { type: "finished", atMs: at(), reason: "limit" };
        return;
      }
    }
  } catch (error) {
    if (!(error instanceof StopRun)) {
      const message = error instanceof Error ? error.message : String(error);
      yield {
        type: "error",
        atMs: at(),
        kind: "internal",
        message: `Unexpected failure in the agent loop (a bug in OpsLab; please report it): ${message}`,
      };
      yield { type: "finished", atMs: at(), reason: "internal-error" };
      return;
    }
    yield* endEvents();
  } finally {
    clearTimeout(timer);
    options.signal?.removeEventListener("abort", stop);
  }
}
