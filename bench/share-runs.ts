// npm run bench:share-runs -- --out DIR <task folder>...: runs a scripted "explorer" agent (diagnose like a model, then fix) on tasks in the real VM; its records are the share codec's realistic fixtures.
import { mkdir, writeFile } from "node:fs/promises";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import type { AgentEvent } from "../src/agent/loop";
import { DEFAULT_PRICES } from "../src/agent/prices";
import { ScriptedClient, type ScriptStep } from "../src/agent/scripted-client";
import type { TaskBundle } from "../src/domain/task";
import { limitsForTask, recordRun, runTaskWithAgent } from "../src/tasks/agent-run";
import { loadTaskFolder } from "../src/tasks/node-loader";
import { startNodeVm } from "../src/vm/driver/node-vm";

const { values, positionals } = parseArgs({
  allowPositionals: true,
  options: { out: { type: "string" } },
});

/** What an administrator (or a model) looks at first, by the task's domain. */
const LOOKS: Record<string, string[]> = {
  sysadmin: [
    "systemctl --failed --no-pager",
    "journalctl -n 30 --no-pager",
    "ps aux --sort=-%cpu | head -15",
    "ss -tlnp",
    "df -h",
  ],
  networking: [
    "ip -br addr",
    "ip route",
    "cat /etc/resolv.conf",
    "sysctl net.ipv4.ip_forward",
    "ip netns list",
  ],
  cloud: [
    "cloud --help",
    "cloud lb --help",
    "cloud lb describe shop-v2",
    "cloud target-groups health shop-web",
  ],
};
/** Tokens a model's turn takes at this point of a run (a growing context); the price is a real model's. */
const MODEL = "gpt-4.1-mini";
const usage = (turn: number) => ({ inputTokens: 1800 + 900 * turn, outputTokens: 120 + 15 * turn });

function explorer(task: TaskBundle): ScriptedClient {
  const looks = LOOKS[task.meta.domain] ?? [];
  const steps: ScriptStep[] = looks.map((command, i) => ({
    text: `Step ${i + 1}: checking \`${command.split(" ")[0]}\` output to narrow down "${task.meta.title}".`,
    toolCalls: [{ name: "run_command", args: { command } }],
    usage: usage(i),
  }));
  steps.push(
    {
      text: "I have seen enough: writing the fix as a script so it is reviewable, then running it.",
      toolCalls: [
        { name: "write_file", args: { path: "/root/fix.sh", content: task.solutionScript } },
      ],
      usage: usage(looks.length),
    },
    {
      text: "Running the fix.",
      toolCalls: [{ name: "run_command", args: { command: "bash /root/fix.sh" } }],
      usage: usage(looks.length + 1),
    },
    {
      text: "The fix ran; done.",
      toolCalls: [{ name: "finish", args: { summary: `Fixed: ${task.meta.title}.` } }],
      usage: usage(looks.length + 2),
    },
  );
  return new ScriptedClient(steps, MODEL);
}

async function main(): Promise<void> {
  if (!values.out || positionals.length === 0) throw new Error("usage: --out DIR <task folder>...");
  await mkdir(values.out, { recursive: true });
  const vm = await startNodeVm();
  try {
    for (const folder of positionals) {
      const task = await loadTaskFolder(resolve(folder));
      const client = explorer(task);
      const limits = limitsForTask(task, { maxCostUsd: 1 });
      const events: AgentEvent[] = [];
      for await (const event of runTaskWithAgent({
        vm,
        task,
        client,
        limits,
        prices: DEFAULT_PRICES,
      })) {
        events.push(event);
      }
      const record = recordRun(crypto.randomUUID(), new Date(), task, client, limits, events);
      const file = join(values.out, `explorer-${task.meta.id}.json`);
      await writeFile(file, `${JSON.stringify(record, null, 2)}\n`);
      console.log(
        `${task.meta.id}: ${record.outcome.verdict} in ${record.outcome.steps} steps -> ${file}`,
      );
    }
  } finally {
    await vm.destroy();
  }
}

main().then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(`share-runs: ${(error as Error).message}`);
    process.exit(1);
  },
);
