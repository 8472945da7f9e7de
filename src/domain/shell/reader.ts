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

/** Programs that run the command after them: the command is what they run ("sudo rm -rf /" is rm). */
const WRAPPERS = new Set([
  "sudo",
  "env",
  "nohup",
  "nice",
  "ionice",
  "time",
  "command",
  "exec",
  "stdbuf",
]);
/** Wrappers whose first argument is not the command (timeout 5 cmd, runuser -u user -- cmd is left whole). */
const WRAPPERS_WITH_ARG = new Set(["timeout"]);
const SHELLS = new Set(["bash", "sh", "dash", "zsh"]);
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

const basename = (program: string) => program.slice(program.lastIndexOf("/") + 1);

/** Drops leading VAR=value assignments and wrappers (sudo, env, timeout N, ...). */
function unwrap(words: string[]): string[] {
  let rest = words;
  for (;;) {
    const first = rest[0];
    if (first === undefined) return rest;
    if (/^[A-Za-z_][A-Za-z0-9_]*=/.test(first)) rest = rest.slice(1);
    else if (WRAPPERS.has(basename(first))) {
      rest = rest.slice(1);
      // sudo -u user cmd, env -i cmd: options of the wrapper itself (a -u takes its value).
      while (rest[0]?.startsWith("-")) rest = rest.slice(rest[0] === "-u" ? 2 : 1);
    } else if (WRAPPERS_WITH_ARG.has(basename(first))) {
      rest = rest.slice(1);
      while (rest[0]?.startsWith("-")) rest = rest.slice(1);
      rest = rest.slice(1);
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

function splitAt(line: string, depth: number): SimpleCommand[] {
  // NOTE: variables are kept as written ($HOME stays "$HOME"): the line is read, never run.
  const entries = parse(line, (key) => `$${key}`);
  const commands: SimpleCommand[] = [];
  let words: string[] = [];
  let writes: string[] = [];
  let reads: string[] = [];
  /** What the next word is: a file written, a file read, a file descriptor (2>&1), or (null) a word. */
  let redirect: ">" | "<" | "fd" | null = null;
  const end = () => {
    commands.push(...commandOf(words, writes, reads, depth));
    words = [];
    writes = [];
    reads = [];
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
      if (op.startsWith(">") && /^\d$/.test(words.at(-1) ?? "")) words.pop();
      continue;
    }
    const text = word(entry);
    if (text === null) continue;
    if (redirect === ">") writes.push(text);
    else if (redirect === "<") reads.push(text);
    else if (redirect === null) words.push(text);
    redirect = null;
  }
  end();
  return commands.filter((c) => c.program !== "");
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
