// Unit tests of fetching a task's shipped state ahead: on a person's pick and for the task the page
// opened with, only while Linux is idle.
import { describe, expect, it } from "vitest";
import { makeTask } from "../domain/task-builders";
import { createCatalogueStore } from "./catalogue-store";
import { prefetchChosen, prefetchOnSelect } from "./task-prefetch";

const task = (id: string) => makeTask({ meta: { ...makeTask().meta, id } });

function setUp(idle: { value: boolean }) {
  const catalogue = createCatalogueStore({ tasks: [task("a"), task("b")], errors: [] });
  const calls: string[] = [];
  const ports = {
    linuxIdle: () => idle.value,
    prefetch: (t: ReturnType<typeof task>) => calls.push(`prefetch ${t.meta.id}`),
    cancel: () => calls.push("cancel"),
  };
  const stop = prefetchOnSelect(catalogue, ports);
  return { catalogue, calls, stop, ports };
}

describe("prefetchOnSelect", () => {
  it("prefetches the task a person picks, and the next pick replaces it", () => {
    const { catalogue, calls } = setUp({ value: true });
    expect(calls).toEqual([]);
    catalogue.getState().select("b");
    catalogue.getState().select("b");
    catalogue.getState().select("a");
    expect(calls).toEqual(["prefetch b", "prefetch a"]);
  });

  it("fetches nothing while Linux is busy (or not up): it stops the one in flight", () => {
    const idle = { value: false };
    const { catalogue, calls, stop } = setUp(idle);
    catalogue.getState().select("b");
    expect(calls).toEqual(["cancel"]);
    stop();
    idle.value = true;
    catalogue.getState().select("a");
    expect(calls).toEqual(["cancel"]);
  });

  it("prefetches the task the page opened with when asked (Linux up), unless Linux is busy", () => {
    const idle = { value: false };
    const { catalogue, calls, ports } = setUp(idle);
    prefetchChosen(catalogue, ports);
    expect(calls).toEqual([]);
    idle.value = true;
    prefetchChosen(catalogue, ports);
    expect(calls).toEqual(["prefetch a"]);
  });
});
