// Unit tests: two clients held in step while they agree, the person asked once at the first disagreement.
import { describe, expect, it } from "vitest";
import { completeTurn, type ChatRequest, type LlmClient } from "../agent/llm";
import { ScriptedClient, type ScriptedTurn } from "../agent/scripted-client";
import { CompareGate, type GateDecision, type GateQuestion, type Side } from "./compare-gate";

const REQUEST: ChatRequest = { system: "", messages: [], tools: [], maxOutputTokens: 100 };
const run = (command: string): ScriptedTurn => ({
  toolCalls: [{ name: "run_command", args: { command } }],
});

interface Harness {
  gate: CompareGate;
  asked: GateQuestion[];
  stopped: Side[];
  controllers: Record<Side, AbortController>;
}

function harness(decision: GateDecision | (() => Promise<GateDecision>)): Harness {
  const asked: GateQuestion[] = [];
  const stopped: Side[] = [];
  const controllers = { left: new AbortController(), right: new AbortController() };
  const gate = new CompareGate({
    ask: (question) => {
      asked.push(question);
      return typeof decision === "function" ? decision() : Promise.resolve(decision);
    },
    stop: (side) => {
      stopped.push(side);
      controllers[side].abort(new Error("stopped"));
    },
  });
  return { gate, asked, stopped, controllers };
}

/** Plays `turns` turns of a client through the gate; the commands it got back, or "stopped". */
async function play(client: LlmClient, signal: AbortSignal, turns: number): Promise<string[]> {
  const seen: string[] = [];
  try {
    for (let i = 0; i < turns; i++) {
      const response = await completeTurn(client, REQUEST, signal);
      seen.push(response.toolCalls[0]?.argumentsJson ?? "(none)");
    }
  } catch {
    seen.push("stopped");
  }
  return seen;
}

describe("CompareGate", () => {
  it("lets two agreeing runs through without asking", async () => {
    const h = harness("stop");
    const left = h.gate.wrap("left", new ScriptedClient([run("ls /srv"), run("df -h")]));
    const right = h.gate.wrap("right", new ScriptedClient([run("ls -l /srv"), run("df")]));
    const [a, b] = await Promise.all([
      play(left, h.controllers.left.signal, 2),
      play(right, h.controllers.right.signal, 2),
    ]);
    expect(a).toHaveLength(2);
    expect(b).toHaveLength(2);
    expect(h.asked).toEqual([]);
  });

  it("holds both before their diverging calls until the person answers, then lets both on", async () => {
    let answer: (d: GateDecision) => void = () => {};
    const h = harness(() => new Promise((resolve) => (answer = resolve)));
    const left = h.gate.wrap(
      "left",
      new ScriptedClient([run("ls /srv"), run("chmod 755 /srv"), run("x")]),
    );
    const right = h.gate.wrap(
      "right",
      new ScriptedClient([run("ls /srv"), run("cat /etc/nginx/nginx.conf"), run("y")]),
    );
    const both = Promise.all([
      play(left, h.controllers.left.signal, 3),
      play(right, h.controllers.right.signal, 3),
    ]);
    await new Promise((resolve) => setTimeout(resolve, 10));
    expect(h.asked).toHaveLength(1);
    expect(h.asked[0]).toMatchObject({ step: 2, reason: "kind" });
    expect(h.asked[0]?.left?.input).toEqual({ tool: "run_command", command: "chmod 755 /srv" });
    expect(h.asked[0]?.right?.key.actions).toEqual(["cat"]);
    answer("continue");
    const [a, b] = await both;
    // Once parted, they are not held again (turn 3 differs too, and nobody is asked).
    expect(a).toHaveLength(3);
    expect(b).toHaveLength(3);
    expect(h.asked).toHaveLength(1);
    expect(h.gate.decision).toBe("continue");
  });

  it("stops both when the person says stop, before either diverging call is handed on", async () => {
    const h = harness("stop");
    const left = h.gate.wrap("left", new ScriptedClient([run("systemctl restart nginx")]));
    const right = h.gate.wrap("right", new ScriptedClient([run("systemctl restart php-fpm")]));
    const [a, b] = await Promise.all([
      play(left, h.controllers.left.signal, 1),
      play(right, h.controllers.right.signal, 1),
    ]);
    expect(a).toEqual(["stopped"]);
    expect(b).toEqual(["stopped"]);
    expect(h.stopped.sort()).toEqual(["left", "right"]);
  });

  it("keeps one run and stops the other", async () => {
    const h = harness("keep-right");
    const left = h.gate.wrap("left", new ScriptedClient([run("rm -rf /var/log")]));
    const right = h.gate.wrap("right", new ScriptedClient([run("du -sh /var/log")]));
    const [a, b] = await Promise.all([
      play(left, h.controllers.left.signal, 1),
      play(right, h.controllers.right.signal, 1),
    ]);
    expect(a).toEqual(["stopped"]);
    expect(b).toEqual([JSON.stringify({ command: "du -sh /var/log" })]);
    expect(h.stopped).toEqual(["left"]);
  });

  it("stops both when the question cannot be asked", async () => {
    const h = harness(() => Promise.reject(new Error("no page")));
    const left = h.gate.wrap("left", new ScriptedClient([run("a")]));
    const right = h.gate.wrap("right", new ScriptedClient([run("b")]));
    await Promise.all([
      play(left, h.controllers.left.signal, 1),
      play(right, h.controllers.right.signal, 1),
    ]);
    expect(h.stopped.sort()).toEqual(["left", "right"]);
  });

  it("no longer holds a run whose twin has ended", async () => {
    const h = harness("stop");
    const left = h.gate.wrap("left", new ScriptedClient([run("ls"), run("df")]));
    const waiting = play(left, h.controllers.left.signal, 2);
    await new Promise((resolve) => setTimeout(resolve, 10));
    h.gate.end();
    expect(await waiting).toHaveLength(2);
    expect(h.asked).toEqual([]);
  });

  it("lets a held run be stopped by its own Stop", async () => {
    const h = harness("continue");
    const left = h.gate.wrap("left", new ScriptedClient([run("ls")]));
    const waiting = play(left, h.controllers.left.signal, 1);
    h.controllers.left.abort(new Error("stopped"));
    expect(await waiting).toEqual(["stopped"]);
  });

  it("passes the client's identity through", () => {
    const h = harness("continue");
    const client = new ScriptedClient([], "model-b", "text");
    const wrapped = h.gate.wrap("right", client);
    expect([wrapped.provider, wrapped.model, wrapped.toolMode]).toEqual([
      "scripted",
      "model-b",
      "text",
    ]);
  });
});
