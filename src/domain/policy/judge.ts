// Command policies: whether a run_command line or a write_file may run (allow), may not (refuse, saying which part and why), or cannot be judged (ask).
import { CLOUD_DELETES, destroys, isPrecious, isRecursive, positional } from "../shell/destructive";
import { onlyReads } from "../shell/read-only";
import { basename, dropOptions, segmentsOf, SHELLS, unwrap, type Segment } from "../shell/reader";
import { HEREDOC_FILE, PROCESS_FILE, SUBSTITUTION_WORD, scanLine } from "../shell/scan";
import { parseRules, ruleMatches, type PolicyRule } from "./rules";

export const POLICY_PRESETS = ["none", "read-only", "no-destructive"] as const;
export type PolicyPreset = (typeof POLICY_PRESETS)[number];

/** A run's command policy, as kept in its record: a preset and the person's own rules (see rules.ts). */
export interface CommandPolicy {
  preset: PolicyPreset;
  /** Rules whose commands are allowed whatever the preset says (deny wins over allow). */
  allow?: string[];
  /** Rules whose commands are refused. */
  deny?: string[];
}

export type PolicyDecision =
  | { decision: "allow" }
  /** `part` is the simple command (or the piece of the line) at fault; `reason` says why, for the model and a person. */
  | { decision: "refuse" | "ask"; part: string; reason: string };

/** A policy read once for many decisions: its rules parsed. */
interface Judge {
  preset: PolicyPreset;
  allow: PolicyRule[];
  deny: PolicyRule[];
  scripts: ReadonlyMap<string, string>;
}

type Verdict = Exclude<PolicyDecision, { decision: "allow" }> | null;

/** NOTE: a `bash -c` in a `$( )` in an `on host '...'` ... is looked into this deep; deeper asks. */
const MAX_DEPTH = 6;
/**
 * The longest line (after here-doc bodies are taken out) read word by word, in characters. NOTE:
 * shell-quote's parse grows faster than the line (0.4 s at 16,000 characters, 18 s at 100,000).
 */
const MAX_READ_CHARS = 8_000;
/** The longest part a refusal quotes, in characters. */
const MAX_PART_CHARS = 160;

const SHELL_WORDS_BEFORE = new Set([
  "!",
  "{",
  "do",
  "then",
  "else",
  "elif",
  "if",
  "while",
  "until",
]);
const SHELL_WORDS_ALONE = new Set(["}", "done", "fi", "esac", "do", "then", "else"]);
/** Programs that run code given to them, which a policy cannot read. */
const INTERPRETERS = /^(python[0-9.]*|perl|ruby|node|nodejs|php|lua[0-9.]*|tclsh|expect)$/;
/** Programs that run the command after their options ("setsid rm -rf /" is rm), or after one more word (a root, a lock file, a priority). */
const RUNNERS = new Set(["busybox", "setsid", "strace", "unbuffer", "ltrace", "runuser"]);
const RUNNERS_AFTER_ONE = new Set(["chroot", "flock", "taskset", "chrt"]);
const WATCH_OPTIONS = new Set(["-n", "--interval"]);
/** Assignments that change which program a name runs or what it loads. */
const HIJACKING_ASSIGNMENT = /^(PATH|LD_PRELOAD|LD_LIBRARY_PATH|BASH_ENV|ENV)=/;
const XARGS_OPTIONS = new Set(["-I", "-n", "-P", "-d", "-L", "-s", "-E", "-a", "-l"]);
/** Programs whose arguments decide whether they destroy: xargs handing them unseen ones is asked about. */
const ARGUMENT_DESTROYERS =
  /^(rm|chmod|chown|chgrp|dd|shred|userdel|deluser|groupdel|mkfs.*|wipefs|truncate|mv)$/;
/** Files whose loss or overwrite locks everyone out or stops the machine from booting. */
const PROTECTED_PATH =
  /^\/(etc\/(passwd|shadow|group|gshadow|sudoers|fstab|pam\.d|ssh\/sshd_config)(\/|$|-$)|boot(\/|$)|dev\/(sd|vd|hd|xvd|nvme|mmcblk))/;
/** Programs that remove or overwrite the files they name. */
const FILE_CHANGERS = /^(rm|mv|cp|install|ln|tee|truncate)$/;
const SHUTDOWN = /^(shutdown|reboot|halt|poweroff|kexec)$/;
const SYSTEMCTL_SHUTDOWN = /^(reboot|poweroff|halt|kexec|emergency|rescue|soft-reboot)$/;
const MESSAGES: Record<Exclude<PolicyPreset, "none">, string> = {
  "read-only": "the read-only policy allows inspection commands only",
  "no-destructive": "the no-destructive policy refuses commands that destroy data or access",
};

const cut = (text: string) =>
  text.length > MAX_PART_CHARS ? `${text.slice(0, MAX_PART_CHARS - 1)}…` : text;
const refuse = (part: string, reason: string): Verdict => ({
  decision: "refuse",
  part: cut(part),
  reason,
});
const ask = (part: string, reason: string): Verdict => ({
  decision: "ask",
  part: cut(part),
  reason,
});

/** Reads a policy's rules; a rule that does not read is an error the person must fix first. */
function judgeOf(policy: CommandPolicy): Judge {
  const allow = parseRules(policy.allow ?? []);
  const deny = parseRules(policy.deny ?? []);
  if ("error" in allow) throw new Error(`The policy's allow rule is wrong: ${allow.error}`);
  if ("error" in deny) throw new Error(`The policy's deny rule is wrong: ${deny.error}`);
  return { preset: policy.preset, allow, deny, scripts: new Map() };
}

/** What is wrong with a policy's rules, saying which rule and how to write it; null when they all read. */
export function policyError(policy: CommandPolicy | undefined): string | null {
  if (!policy) return null;
  try {
    judgeOf(policy);
    return null;
  } catch (error) {
    return error instanceof Error ? error.message : String(error);
  }
}

/** The policy's verdict on a list of verdicts: the first refusal, else the first question, else allow. */
function worst(verdicts: readonly Verdict[]): PolicyDecision {
  return (
    verdicts.find((v) => v?.decision === "refuse") ??
    verdicts.find((v) => v?.decision === "ask") ?? { decision: "allow" }
  );
}

const asVerdict = (decision: PolicyDecision): Verdict =>
  decision.decision === "allow" ? null : decision;

/**
 * Judges one run_command line. NOTE: a line is allowed only when every simple command in it is
 * (substitutions, `bash -c` scripts and `on <host>` commands included); what cannot be read asks.
 * `scripts` are files whose text is known (written by the agent since the machine last changed
 * otherwise): `bash FILE` or `source FILE` of one is judged as its text.
 */
export function judgeCommand(
  policy: CommandPolicy,
  line: string,
  scripts: ReadonlyMap<string, string> = new Map(),
): PolicyDecision {
  const judge = { ...judgeOf(policy), scripts };
  if (judge.preset === "none" && judge.deny.length === 0) return { decision: "allow" };
  return worst(judgeLine(judge, line, 0));
}

/** Judges a write_file of `path`. */
export function judgeWrite(policy: CommandPolicy, path: string): PolicyDecision {
  const judge = judgeOf(policy);
  const part = `write_file ${path}`;
  if (judge.deny.some((r) => ruleMatches(r, "write_file", [path])))
    return worst([
      refuse(part, `it matches the deny rule "${denyOf(judge, "write_file", [path])}"`),
    ]);
  if (judge.allow.some((r) => ruleMatches(r, "write_file", [path]))) return { decision: "allow" };
  if (judge.preset === "read-only")
    return worst([refuse(part, `writing a file changes the machine: ${MESSAGES["read-only"]}`)]);
  if (judge.preset === "no-destructive" && PROTECTED_PATH.test(path))
    return worst([refuse(part, `it overwrites ${path}: ${MESSAGES["no-destructive"]}`)]);
  return { decision: "allow" };
}

const denyOf = (judge: Judge, program: string, args: string[]) =>
  judge.deny.find((r) => ruleMatches(r, program, args))?.text ?? "";

function judgeLine(judge: Judge, line: string, depth: number): Verdict[] {
  if (depth > MAX_DEPTH) return [ask(line, "commands are nested too deep to follow")];
  const scan = scanLine(line);
  if (scan.problem) return [ask(line, `the line cannot be read: ${scan.problem}`)];
  const verdicts = scan.substitutions.flatMap((body) => judgeLine(judge, body, depth + 1));
  for (const doc of scan.heredocs)
    if (doc.expands && /\$\(|`/.test(doc.body))
      verdicts.push(ask(doc.body, "a here-doc runs commands ($( ) or backticks) as it is read"));
  if (scan.flat.length > MAX_READ_CHARS)
    return [
      ...verdicts,
      ask(line, `the line is too long to read (over ${MAX_READ_CHARS} characters)`),
    ];
  let segments: Segment[];
  try {
    segments = segmentsOf(scan.flat);
  } catch {
    return [...verdicts, ask(line, "the line cannot be read")];
  }
  for (const segment of segments) verdicts.push(judgeSegment(judge, segment, depth));
  return verdicts;
}

/** Drops what only shapes the shell's flow (`if`, `do`, `!`, `{`) and wrappers (sudo, env, timeout) before the program. */
function programWords(words: string[]): string[] {
  let rest = words;
  for (let before = -1; before !== rest.length;) {
    before = rest.length;
    while (rest[0] !== undefined && SHELL_WORDS_BEFORE.has(rest[0]) && rest.length > 1)
      rest = rest.slice(1);
    rest = unwrap(rest);
  }
  return rest;
}

function judgeSegment(judge: Judge, segment: Segment, depth: number): Verdict {
  const words = programWords(segment.words);
  const [first, ...args] = words;
  // NOTE: a substitution shows as `$(…)` (its body is judged, and named, on its own).
  const text = [...segment.words, ...segment.writes.map((w) => `> ${w}`)]
    .join(" ")
    .replaceAll(SUBSTITUTION_WORD, "$(…)");
  if (first === undefined || (SHELL_WORDS_ALONE.has(first) && args.length === 0))
    return judgeLeaf(judge, { program: "", args: [], writes: segment.writes, reads: [] }, text);
  if (first === "for" || first === "select" || first === "function") return null;
  const hijack = segment.words.find((w) => HIJACKING_ASSIGNMENT.test(w));
  if (hijack) return ask(text, `${hijack.split("=")[0]}= changes which program a name runs`);
  if (first === "case") return ask(text, "a case statement is not followed by the policy");
  if (first.includes("$")) return ask(text, "the program is a variable or a command's output");
  const program = basename(first);
  if (judge.deny.some((r) => ruleMatches(r, program, args)))
    return refuse(text, `it matches the deny rule "${denyOf(judge, program, args)}"`);
  if (judge.allow.some((r) => ruleMatches(r, program, args))) return null;
  const inner = judgeInner(judge, program, args, segment, text, depth);
  if (inner !== undefined) return inner;
  return judgeLeaf(judge, { program, args, writes: segment.writes, reads: segment.reads }, text);
}

/**
 * What a command that runs other commands comes to: a shell's script, `on <host>`, xargs, find
 * -exec, eval; undefined for a command that runs none (judged as it is).
 */
function judgeInner(
  judge: Judge,
  program: string,
  args: string[],
  segment: Segment,
  text: string,
  depth: number,
): Verdict | undefined {
  const sub = (words: string[]) =>
    judgeSegment(judge, { words, writes: segment.writes, reads: segment.reads }, depth + 1);
  if (SHELLS.has(program)) {
    const at = args.findIndex((a) => /^-[a-z]*c[a-z]*$/.test(a));
    const script = at >= 0 ? args.slice(at + 1).find((a) => !a.startsWith("-")) : undefined;
    if (script !== undefined) return asVerdict(worst(judgeLine(judge, script, depth + 1)));
    if (segment.reads.includes(HEREDOC_FILE))
      return ask(
        text,
        `a here-doc or here-string is fed to ${program}: its commands are not judged`,
      );
    const file = positional(args)[0];
    const known = file === undefined ? undefined : judge.scripts.get(file);
    if (known !== undefined) return asVerdict(worst(judgeLine(judge, known, depth + 1)));
    if (file !== undefined)
      return ask(text, `${program} runs a script file the policy cannot see into`);
    return ask(text, `${program} reads commands from its input, which the policy cannot see`);
  }
  if (program === "eval") return ask(text, "eval runs text built as the command runs");
  if (program === "alias" || program === "shopt" || program === "enable")
    return ask(text, `${program} changes what a later command runs`);
  if (program === "sudo" || program === "at" || program === "batch")
    return ask(
      text,
      `${program} ${args.join(" ")} reads commands from its input, which the policy cannot see`,
    );
  if (program === "su") {
    const at = args.findIndex((a) => a === "-c" || a === "--command");
    if (at >= 0) return asVerdict(worst(judgeLine(judge, args[at + 1] ?? "", depth + 1)));
    return ask(text, "su opens a shell that reads commands the policy cannot see");
  }
  if (program === "watch") {
    const command = dropOptions(args, WATCH_OPTIONS);
    return asVerdict(worst(judgeLine(judge, command.join(" "), depth + 1)));
  }
  if (RUNNERS.has(program)) return sub(dropOptions(args, new Set()));
  if (RUNNERS_AFTER_ONE.has(program)) return sub(dropOptions(args, new Set()).slice(1));
  if (program === "systemd-run" || program === "parallel" || program === "script")
    return ask(text, `${program} runs a command the policy does not follow`);
  if (program === "source" || program === ".") {
    const known = judge.scripts.get(args[0] ?? "");
    if (known !== undefined) return asVerdict(worst(judgeLine(judge, known, depth + 1)));
    return ask(text, `${program} runs a script file the policy cannot see into`);
  }
  if (INTERPRETERS.test(program))
    return ask(text, `${program} runs code the policy cannot see into`);
  if (program === "on") return judgeOn(judge, args, text, depth, sub);
  if (program === "ip" && args[0] === "netns" && args[1] === "exec") return sub(args.slice(3));
  if (program === "xargs") {
    const command = dropOptions(args, XARGS_OPTIONS);
    if (command.length === 0) return undefined;
    if (judge.preset === "no-destructive" && ARGUMENT_DESTROYERS.test(basename(command[0] ?? "")))
      return ask(text, `xargs hands ${command[0]} arguments the policy cannot see`);
    return sub(command);
  }
  if (program === "find") return judgeFind(judge, args, segment, text, sub);
  return undefined;
}

/** `on` lists hosts; `on HOST` opens a shell there; `on HOST 'line'` runs the line in the host's bash; `on HOST cmd args` runs cmd. */
function judgeOn(
  judge: Judge,
  args: string[],
  text: string,
  depth: number,
  sub: (words: string[]) => Verdict,
): Verdict {
  if (args.length === 0) return null;
  if (args.length === 1) return ask(text, `on ${args[0]} opens a shell the policy cannot see into`);
  if (args.length === 2) return asVerdict(worst(judgeLine(judge, args[1] ?? "", depth + 1)));
  return sub(args.slice(1));
}

/** find: its own search, and each -exec/-execdir/-ok command judged as a command of its own. */
function judgeFind(
  judge: Judge,
  args: string[],
  segment: Segment,
  text: string,
  sub: (words: string[]) => Verdict,
): Verdict {
  const own: string[] = [];
  const verdicts: Verdict[] = [];
  for (let i = 0; i < args.length; i++) {
    if (!/^-(exec|execdir|ok|okdir)$/.test(args[i] ?? "")) {
      own.push(args[i] ?? "");
      continue;
    }
    const end = args.findIndex((a, j) => j > i && (a === ";" || a === "+"));
    const stop = end < 0 ? args.length : end;
    verdicts.push(sub(args.slice(i + 1, stop).filter((a) => a !== "{}")));
    i = stop;
  }
  const command = { program: "find", args: own, writes: segment.writes, reads: segment.reads };
  verdicts.push(judgeLeaf(judge, command, text));
  return asVerdict(worst(verdicts));
}

interface Leaf {
  program: string;
  args: string[];
  writes: string[];
  reads: string[];
}

/** The preset's verdict on a simple command that runs no other. */
function judgeLeaf(judge: Judge, command: Leaf, text: string): Verdict {
  const written = command.writes.filter(
    (w) => w !== "/dev/null" && !w.startsWith("&") && w !== PROCESS_FILE,
  );
  if (judge.preset === "read-only") {
    if (written.length > 0)
      return refuse(text, `it writes ${written.join(", ")}: ${MESSAGES["read-only"]}`);
    if (command.program === "" || onlyReads({ ...command, writes: [] })) return null;
    return refuse(text, `${command.program} may change the machine: ${MESSAGES["read-only"]}`);
  }
  if (judge.preset === "no-destructive") {
    const protectedWrite = written.find((w) => PROTECTED_PATH.test(w));
    if (protectedWrite)
      return refuse(text, `it overwrites ${protectedWrite}: ${MESSAGES["no-destructive"]}`);
    const why = destroysWhy(command);
    if (why?.startsWith("?")) return ask(text, why.slice(1));
    if (why) return refuse(text, `it ${why}: ${MESSAGES["no-destructive"]}`);
  }
  return null;
}

/** Why the no-destructive policy refuses a command ("?" first: why it cannot tell), or null. */
function destroysWhy(command: Leaf): string | null {
  const { program, args } = command;
  const targets = positional(args);
  const known = destroys({ ...command, program }, [], new Set());
  if (known) return known;
  if (program === "rm" && isRecursive(args)) {
    const unknown = targets.find((t) => /[$*?[]/.test(t) && unseenDirIsPrecious(t));
    if (unknown) return `?rm -r of ${unknown}, which may name a system folder`;
  }
  const hit = FILE_CHANGERS.test(program) ? targets.find((t) => PROTECTED_PATH.test(t)) : undefined;
  if (hit) return `${program === "rm" || program === "mv" ? "removes" : "overwrites"} ${hit}`;
  if (
    program === "chmod" &&
    isRecursive(args) &&
    targets.some((t) => /^(0?777|a\+rwx|o\+w)$/.test(t))
  )
    return "gives everyone write access to a whole tree";
  if (program === "dd" && args.some((a) => a.startsWith("of=") && PROTECTED_PATH.test(a.slice(3))))
    return `overwrites ${args.find((a) => a.startsWith("of="))?.slice(3)}`;
  if (
    SHUTDOWN.test(program) ||
    (program === "systemctl" && SYSTEMCTL_SHUTDOWN.test(targets[0] ?? ""))
  )
    return "shuts the machine down or restarts it";
  if ((program === "init" || program === "telinit") && /^[06sS]$/.test(targets[0] ?? ""))
    return "shuts the machine down or restarts it";
  if (program === "cloud" && CLOUD_DELETES.test(targets[1] ?? ""))
    return `deletes a cloud resource (${targets.slice(0, 3).join(" ")})`;
  return null;
}

/** Whether a path with a variable or glob may stand for a system folder: its fixed part is one, or is /. */
function unseenDirIsPrecious(target: string): boolean {
  const fixed = target.slice(0, target.search(/[$*?[]/));
  if (!fixed.startsWith("/")) return fixed === "" || fixed.startsWith("~");
  const dir = fixed.slice(0, fixed.lastIndexOf("/") + 1) || "/";
  return dir === "/" || isPrecious(dir, []);
}
