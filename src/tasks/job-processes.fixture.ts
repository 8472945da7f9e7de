// A job process for job-processes.test.ts: answers an item n with n * 2 and its pid; "fail" fails the
// item, "exit" ends the process without answering.
import { serveJobs } from "./job-processes";

serveJobs<number | string, { doubled: number; pid: number }, string>(
  async () => "resource",
  async (item) => {
    if (item === "fail") throw new Error("cannot do this one");
    if (item === "exit") process.exit(3);
    // A moment per item, so that both processes get some.
    await new Promise((resolve) => setTimeout(resolve, 50));
    return { doubled: Number(item) * 2, pid: process.pid };
  },
  async () => undefined,
);
