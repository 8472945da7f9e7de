// A command line as the simple commands it runs (program, arguments, files written), read with shell-quote, for labels, the teaching view and command policies.
// NOTE: shell-quote is pinned to 1.8.3 (typed by @types/shell-quote): from 1.9 it ships types that
// change Array.prototype.join's type for the whole program.
import { parse, type ParseEntry } from "shell-quote";

/** One program the line runs, with what it was given. */
export interface SimpleCommand {
  /** The program as typed, without a leading path ("/usr/sbin/nginx" is "nginx"). */
  program: string;
  /** Its arguments as the shell would pass them (quotes removed; variables and globs kept as written). */
  args: string[];
  /** Files its output is redirected into (`>`, `>>`). */
  writes: string[];
  /** Files its input is redirected from (`<`). */
  reads: string[];
}

/**
 * Programs that run the command after them ("sudo rm -rf /" is rm), with their options that take a
 * value ("nice -n 5 cmd", "sudo -u app cmd"); timeout's first word is its duration, not the command.
 */
const WRAPPERS: Record<string, Set<string>> = {
  sudo: new Set(["-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T"]),
  env: new Set(["-u", "-C", "--unset", "--chdir"]),
  nohup: new Set(),
  nice: new Set(["-n", "--adjustment"]),
  ionice: new Set(["-c", "-n", "-p", "--class", "--classdata"]),
  time: new Set(["-f", "-o", "--format", "--output"]),
  command: new Set(),
  exec: new Set(["-a"]),
  stdbuf: new Set(["-i", "-o", "-e"]),
  timeout: new Set(["-s", "-k", "--signal", "--kill-after"]),
};
export const SHELLS = new Set(["bash", "sh", "dash", "zsh"]);
/** NOTE: a `bash -c` inside a `bash -c` is read this deep at most; a deeper one stays a bash command. */
const MAX_NESTING = 3;
/** An operator (a glob is an "op" to shell-quote, but a word here). */
const isOp = (entry: ParseEntry): entry is Extract<ParseEntry, { op: string }> =>
  typeof entry === "object" && entry !== null && "op" in entry && entry.op !== "glob";

/** What a parse entry stands for as a word: a string, a glob's pattern; null for operators and comments. */
function word(entry: ParseEntry): string | null {
  if (typeof entry === "string") return entry;
  if (typeof entry === "object" && entry !== null && "pattern" in entry) return entry.pattern;
  return null;
}

export const basename = (program: string) => program.slice(program.lastIndexOf("/") + 1);

/** Drops the options of a wrapper or of xargs (with the values some take) and a `--`. */
export function dropOptions(words: string[], withValue: ReadonlySet<string>): string[] {
  let rest = words;
  while (rest[0]?.startsWith("-") && rest[0] !== "-") {
    const option = rest[0];
    rest = rest.slice(option === "--" ? 1 : withValue.has(option) ? 2 : 1);
    if (option === "--") break;
  }
  return rest;
}

/** Drops leading VAR=value assignments and wrappers (sudo, env, timeout N, ...); a lone wrapper is kept ("env"). */
export function unwrap(words: string[]): string[] {
  let rest = words;
  for (;;) {
    const first = rest[0];
    if (first === undefined) return rest;
    const options = WRAPPERS[basename(first)];
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) rest = rest.slice(1);
    else if (options && Object.hasOwn(WRAPPERS, basename(first))) {
      let after = dropOptions(rest.slice(1), options);
      if (basename(first) === "timeout") after = after.slice(1);
      if (after.length === 0) return rest;
      rest = after;
    } else return rest;
  }
}

function commandOf(
  words: string[],
  writes: string[],
  reads: string[],
  depth: number,
): SimpleCommand[] {
  const [program, ...args] = unwrap(words);
  if (program === undefined) return [];
  const name = basename(program);
  const script = args[0] === "-c" ? args[1] : undefined;
  if (SHELLS.has(name) && script !== undefined && depth < MAX_NESTING) {
    const inner = splitAt(script, depth + 1);
    if (inner.length > 0) return inner;
  }
  return [{ program: name, args, writes, reads }];
}

/** One simple command as written: its words (wrappers and all) and its redirections. */
export interface Segment {
  words: string[];
  writes: string[];
  reads: string[];
}

/**
 * The line cut at its operators (`|`, `&&`, `;`, `(`, ...) into the words of each simple command.
 * NOTE: variables are kept as written ($HOME stays "$HOME"): the line is read, never run. A line
 * break is no operator to shell-quote: scanLine (scan.ts) makes those `;` first where it matters.
 */
export function segmentsOf(line: string): Segment[] {
  const entries = parse(line, (key) => `$${key}`);
  const segments: Segment[] = [];
  let current: Segment = { words: [], writes: [], reads: [] };
  /** What the next word is: a file written, a file read, a file descriptor (2>&1), or (null) a word. */
  let redirect: ">" | "<" | "fd" | null = null;
  const end = () => {
    if (current.words.length > 0 || current.writes.length > 0) segments.push(current);
    current = { words: [], writes: [], reads: [] };
  };
  for (const entry of entries) {
    if (isOp(entry)) {
      // NOTE: read as a string: the parser also gives operators its typings leave out (">|", "<&").
      const op: string = entry.op;
      if (op === ">" || op === ">>" || op === ">|") redirect = ">";
      else if (op === "<") redirect = "<";
      else if (op === ">&" || op === "<&") redirect = "fd";
      else end();
      // "2>&1", "2> f": the descriptor before the operator was taken as a word; drop it.
      if (op.startsWith(">") && /^\d$/.test(current.words.at(-1) ?? "")) current.words.pop();
      continue;
    }
    const text = word(entry);
    if (text === null) continue;
    if (redirect === ">") current.writes.push(text);
    else if (redirect === "<") current.reads.push(text);
    else if (redirect === null) current.words.push(text);
    redirect = null;
  }
  end();
  return segments;
}

function splitAt(line: string, depth: number): SimpleCommand[] {
  return segmentsOf(line)
    .flatMap((s) => commandOf(s.words, s.writes, s.reads, depth))
    .filter((c) => c.program !== "");
}

/** The simple commands a command line runs, in order ("a && b | c" is three); unparseable text gives []. */
export function splitCommand(line: string): SimpleCommand[] {
  try {
    return splitAt(line, 0);
  } catch {
    return [];
  }
}

/** Absolute paths a command line names, as arguments or redirections, without trailing slashes. */
export function pathsIn(line: string): string[] {
  const paths = new Set<string>();
  for (const command of splitCommand(line))
    for (const text of [...command.args, ...command.writes, ...command.reads]) {
      for (const part of text.split(/[=:,]/))
        // NOTE: "//host/" is what is left of a URL split at its colon, not a path.
        if (/^\/(?!\/)\S*$/.test(part) && part !== "/dev/null")
          paths.add(part.replace(/(.)\/+$/, "$1"));
    }
  return [...paths];
}
