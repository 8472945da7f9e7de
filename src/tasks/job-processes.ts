// Runs jobs in child processes of their own, one core each (Node only): verify's jobs, build:task-states'
// VMs, CI's task sample.
// NOTE: VMs that run side by side each need a process: an emulator is a busy JavaScript loop, so N VMs on
// one thread (as all of them ran before) shared one core: two jobs ran at a load of 1.2 to 1.4 on a
// two-core machine.
import { fork } from "node:child_process";

/** What the parent sends a job process: the next item, by its index. */
interface JobRequest<Item> {
  index: number;
  item: Item;
}

/** What a job process answers: the item's result, or why it could not make one. */
type JobReply<Result> = { index: number; result: Result } | { index: number; error: string };

/**
 * Starts `jobs` child processes of `script` (fewer when there are fewer items), each fed the next item
 * until none is left; resolves with the results in input order. The children inherit Node's options
 * (tsx's loader and the repository's hooks come with them; `execArgv` replaces them) and stdout and
 * stderr. Rejects when a child fails an item or ends before answering.
 */
export async function mapOnProcesses<Item, Result>(
  items: readonly Item[],
  jobs: number,
  script: string,
  { args = [], execArgv }: { args?: readonly string[]; execArgv?: string[] } = {},
): Promise<Result[]> {
  if (!Number.isInteger(jobs) || jobs < 1)
    throw new Error(`the number of jobs must be a whole number >= 1, not ${jobs}`);
  const results = new Array<Result>(items.length);
  let next = 0;
  const job = () =>
    new Promise<void>((resolve, reject) => {
      const child = fork(script, [...args], { stdio: "inherit", ...(execArgv && { execArgv }) });
      let working: number | undefined;
      const sendNext = () => {
        if (next >= items.length) {
          working = undefined;
          child.disconnect();
          return;
        }
        working = next++;
        child.send({ index: working, item: items[working] as Item } satisfies JobRequest<Item>);
      };
      child.on("message", (reply: JobReply<Result>) => {
        if ("error" in reply) {
          working = undefined;
          child.kill();
          reject(new Error(`a job process failed on item ${reply.index + 1}: ${reply.error}`));
          return;
        }
        results[reply.index] = reply.result;
        sendNext();
      });
      child.on("error", reject);
      child.on("exit", (code, signal) => {
        if (working === undefined) resolve();
        else
          reject(
            new Error(
              `a job process ended (${signal ?? `exit ${code}`}) before answering item ${working + 1}`,
            ),
          );
      });
      sendNext();
    });
  await Promise.all(Array.from({ length: Math.min(jobs, items.length) }, job));
  return results;
}

/**
 * The child's side of mapOnProcesses: answers each item with `work`, on a resource `start` makes at
 * the first item (a VM) and `stop` releases when the parent lets go.
 */
export function serveJobs<Item, Result, Resource>(
  start: () => Promise<Resource>,
  work: (item: Item, resource: Resource) => Promise<Result>,
  stop: (resource: Resource) => Promise<void>,
): void {
  if (!process.send) throw new Error("this is a job process: run it through mapOnProcesses");
  let resource: Promise<Resource> | undefined;
  process.on("message", async ({ index, item }: JobRequest<Item>) => {
    let reply: JobReply<Result>;
    try {
      resource ??= start();
      reply = { index, result: await work(item, await resource) };
    } catch (error) {
      reply = { index, error: (error as Error).message };
    }
    process.send?.(reply);
  });
  process.on("disconnect", async () => {
    if (resource) await stop(await resource).catch(() => undefined);
    process.exit(0);
  });
}
