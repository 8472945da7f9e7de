// A job worker for job-pool.test.ts: answers an item n with n times its init's factor (2 without one),
// its pid and its thread; "fail" fails the item, "exit" ends its process or thread without answering. A
// factor of 0 does not start.
import { threadId } from "node:worker_threads";
import type { JobWorker } from "./job-pool";

export interface FixtureAnswer {
  answer: number;
  pid: number;
  threadId: number;
}

const fixture: JobWorker<{ factor: number } | undefined, number | string, FixtureAnswer> = async (
  init,
) => {
  const factor = init?.factor ?? 2;
  if (factor === 0) throw new Error("no factor, no start");
  return {
    async run(item) {
      if (item === "fail") throw new Error("cannot do this one");
      if (item === "exit") process.exit(3);
      // A moment per item, so that both workers get some.
      await new Promise((resolve) => setTimeout(resolve, 50));
      return { answer: Number(item) * factor, pid: process.pid, threadId };
    },
    stop: async () => undefined,
  };
};
export default fixture;
