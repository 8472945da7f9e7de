// Unit tests of the page's side of states made on demand (npm run dev): asked again while the dev server builds, its reason thrown, stopped by a signal.
import { describe, expect, it } from "vitest";
import { onDemandManifest, OnDemandStateError, type OnDemandAnswer } from "./on-demand-states";

/** A dev server answering from a list, one answer a request. */
function server(answers: OnDemandAnswer[]) {
  const asked: string[] = [];
  return {
    asked,
    ask: async (key: string) => {
      asked.push(key);
      const answer = answers.shift();
      if (!answer) throw new Error("asked too often");
      return answer;
    },
  };
}

const MANIFEST = { version: 1, base: "state-x.zst", states: {} };

describe("onDemandManifest", () => {
  it("asks again while the dev server builds, telling how many go before, then gives the manifest", async () => {
    const dev = server([
      { status: 202, json: { building: { task: "t", ahead: 1 } } },
      { status: 202, json: { building: { task: "t", ahead: 0 } } },
      { status: 200, json: MANIFEST },
    ]);
    const building: number[] = [];
    const manifest = await onDemandManifest(
      dev.ask,
      "t-key",
      ({ ahead }) => building.push(ahead),
      undefined,
      1,
    );
    expect(manifest).toEqual(MANIFEST);
    expect(building).toEqual([1, 0]);
    expect(dev.asked).toEqual(["t-key", "t-key", "t-key"]);
  });

  it("throws the dev server's reason, so the run says why it sets the task up itself", async () => {
    const failed = server([
      { status: 500, json: { error: "could not ready t in Node: setup.sh exited 1" } },
    ]);
    const error = await onDemandManifest(failed.ask, "t-key").catch((e: unknown) => e);
    expect(error).toBeInstanceOf(OnDemandStateError);
    expect((error as Error).message).toBe(
      "the dev server gave no state for this task (could not ready t in Node: setup.sh exited 1); the task sets up here instead",
    );
    // Not a dev server of ours (a page served by something else): the status says it.
    const other = server([{ status: 404, json: undefined }]);
    await expect(onDemandManifest(other.ask, "t-key")).rejects.toThrow(/HTTP 404/);
  });

  it("stops asking when its signal is aborted", async () => {
    const dev = server([
      { status: 202, json: { building: { task: "t", ahead: 0 } } },
      { status: 200, json: MANIFEST },
    ]);
    const controller = new AbortController();
    const waiting = onDemandManifest(
      dev.ask,
      "t-key",
      () => controller.abort(),
      controller.signal,
      60_000,
    );
    await expect(waiting).rejects.toThrow();
    expect(dev.asked).toHaveLength(1);
  });
});
