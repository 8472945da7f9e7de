// What a command line does, as labels need it: only looks (a check) or changes the machine, what it acts on, whether it destroys.
import type { ToolInput } from "../domain/run";
import { CLOUD_DELETES, destroys, positional } from "../domain/shell/destructive";
import { onlyReads } from "../domain/shell/read-only";
import { splitCommand, type SimpleCommand } from "../domain/shell/reader";

/** Shell words that are no program (parts of for/while/if/case). */
const SHELL_KEYWORDS = new Set(
  "for in do done while until if then else elif fi case esac { } ! :".split(" "),
);
/** The commands a `on <host> <command>` runs on the host (the rest of its arguments, read as a line). */
function hostCommands(command: SimpleCommand): SimpleCommand[] | null {
  if (command.program !== "on" || command.args.length < 2) return null;
  return splitCommand(command.args.slice(1).join(" "));
}

/** The simple commands a line runs, with `on <host> ...` read as what it runs on the host. */
export function commandsOf(line: string): SimpleCommand[] {
  return splitCommand(line).flatMap((command) => hostCommands(command) ?? [command]);
}

/**
 * Whether a simple command only looks: shell syntax, or what the one read-only classifier says
 * (domain/shell/read-only.ts, which command policies and explain use too). NOTE: one table, so a
 * check the labels count as a look is one the read-only policy lets through, and the other way.
 */
const isLookCommand = (command: SimpleCommand): boolean =>
  SHELL_KEYWORDS.has(command.program) || onlyReads(command);

/** True when the action only looks at the machine (every command it runs reads); a file write never does. */
export function isLook(input: ToolInput): boolean {
  if (input.tool !== "run_command") return false;
  const commands = commandsOf(input.command);
  return commands.length > 0 && commands.every(isLookCommand);
}

/** True when the action may change the machine (a write, or a command that is not only a look). */
export const isChange = (input: ToolInput): boolean =>
  input.tool === "write_file" || (input.tool === "run_command" && !isLook(input));

const MULTI_VERB = new Set(["cloud", "systemctl", "ip", "nft", "apt", "apt-get", "git", "docker"]);

/** What a command does, for telling a retry of it from a move on to something else ("cloud dns upsert"). */
export function actionKeys(input: ToolInput): string[] {
  if (input.tool === "write_file") return [`write ${input.path}`];
  if (input.tool !== "run_command") return [input.tool];
  return commandsOf(input.command)
    .filter((c) => !SHELL_KEYWORDS.has(c.program))
    .map((c) =>
      MULTI_VERB.has(c.program)
        ? [c.program, ...positional(c.args).slice(0, c.program === "cloud" ? 2 : 1)].join(" ")
        : c.program,
    );
}

const CLOUD_CREATES = /^(create|upsert|launch|register|add-listener|create-[a-z-]+)$/;

/** The name a cloud command acts on: --name's value, else its first argument after the verb. */
function cloudName(command: SimpleCommand): string | undefined {
  const at = command.args.indexOf("--name");
  return at >= 0 ? command.args[at + 1] : positional(command.args)[2];
}

/** One destroying command of a run: its step and what it does. */
export interface Destruction {
  step: number;
  what: string;
}

/**
 * The steps that destroy data or access beyond the task. NOTE: a cloud resource deleted and
 * created again under its name later (a replaced record) is not destroyed.
 */
export function destructions(
  actions: { step: number; input: ToolInput }[],
  taskPaths: string[],
  taskUnits: Set<string>,
): Destruction[] {
  const commands = actions.flatMap((a) =>
    a.input.tool === "run_command"
      ? commandsOf(a.input.command).map((command) => ({ step: a.step, command }))
      : [],
  );
  const found: Destruction[] = [];
  commands.forEach(({ step, command }, i) => {
    let what = destroys(command, taskPaths, taskUnits);
    if (command.program === "cloud" && CLOUD_DELETES.test(positional(command.args)[1] ?? "")) {
      const name = cloudName(command);
      const recreated = commands
        .slice(i + 1)
        .some(
          (later) =>
            later.command.program === "cloud" &&
            CLOUD_CREATES.test(positional(later.command.args)[1] ?? "") &&
            name !== undefined &&
            later.command.args.includes(name),
        );
      if (!recreated) what = `deletes the cloud resource ${name ?? ""}`.trim();
    }
    if (what && !found.some((f) => f.step === step)) found.push({ step, what });
  });
  return found;
}

/** What a change acts on, to tell whether it concerns the task: absolute paths, units, packages, accounts. */
export function targetsOf(input: ToolInput): string[] {
  if (input.tool === "write_file") return [input.path];
  if (input.tool !== "run_command") return [];
  return commandsOf(input.command).flatMap((c) => {
    const rest = positional(c.args);
    const paths = [...c.args, ...c.writes]
      .flatMap((a) => a.split(/[=:,]/))
      .filter((a) => a.startsWith("/") && !/^\/(proc|sys|dev|tmp|run)(\/|$)/.test(a));
    if (c.program === "systemctl") return [...paths, ...rest.slice(1)];
    if (["apt", "apt-get", "pip", "pip3", "npm"].includes(c.program))
      return [...paths, ...rest.slice(1)];
    if (/^(user|group)(add|mod|del)$|^(adduser|deluser|passwd)$/.test(c.program))
      return [...paths, ...rest];
    if (["hostnamectl", "timedatectl", "localectl", "crontab"].includes(c.program))
      return [...paths, c.program];
    return paths;
  });
}
