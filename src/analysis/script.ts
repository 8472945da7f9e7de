// A shell script (a task's reference solution) read as the commands an administrator would type, each with the comment before it.

/** One command of a script as typed: a line, or lines that belong together (a loop, a here-document). */
export interface ScriptCommand {
  /** The command as written in the script, continuation lines, loops and here-documents included. */
  text: string;
  /** The comment lines just before it, without their `#`, joined by spaces ("" when there is none). */
  explanation: string;
  /**
   * The command lines it runs, each complete (quotes closed, continuations joined), here-document
   * bodies left out: what to read for the paths, units and hosts the command names.
   */
  lines: string[];
}

export interface Script {
  /** The comment at the top (after the shebang), which says what the script does as a whole. */
  overview: string;
  commands: ScriptCommand[];
}

/** What a physical line leaves open: a quote, a continuation, a pipe or a list operator at its end. */
interface OpenState {
  quote: "'" | '"' | null;
  /** A here-document's terminator, once its line has ended, until a line says it. */
  heredoc: string | null;
}

/** Reads a line's quotes from where the previous line left them; returns what is open at its end. */
function scanQuotes(line: string, quote: OpenState["quote"]): OpenState["quote"] {
  let open = quote;
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (open === null && c === "#" && (i === 0 || /\s/.test(line[i - 1]!))) return null;
    if (open !== "'" && c === "\\") i++;
    else if (open === null && (c === "'" || c === '"')) open = c;
    else if (open === c) open = null;
  }
  return open;
}

/** The terminator of a here-document the line opens (`<<'EOF'`, `<<-EOF`, `<< "EOF"`), if any. */
const heredocOf = (line: string): string | null =>
  /<<-?\s*(['"]?)([A-Za-z_][A-Za-z0-9_]*)\1/.exec(line)?.[2] ?? null;

/** A line that needs the next one: a trailing backslash, pipe or list operator. */
const continues = (line: string) => /(\\|\||&&|\|\|)\s*$/.test(line);

/** Opening and closing words of compound commands (loops, ifs, cases, function bodies). */
const OPENERS = /^(for|while|until|if|case|select)$/;
const CLOSERS = /^(done|fi|esac)$/;

/** How much a logical line opens (+) or closes (-) compound commands. */
function depthChange(line: string): number {
  let change = 0;
  const words = line
    .replace(/'[^']*'|"(?:\\.|[^"\\])*"/g, "''")
    .replace(/\s#.*$/, "")
    .split(/[\s;&|()]+/);
  for (const word of words) {
    if (OPENERS.test(word)) change++;
    else if (CLOSERS.test(word)) change--;
  }
  if (/\{\s*$/.test(line)) change++;
  if (/^\s*\}/.test(line)) change--;
  return change;
}

/** Physical lines joined into logical ones: each complete, with the here-document body it carries. */
export function logicalLines(text: string): { text: string; body: string[] }[] {
  const result: { text: string; body: string[] }[] = [];
  let current: { text: string; body: string[] } | null = null;
  const state: OpenState = { quote: null, heredoc: null };
  for (const line of text.split("\n")) {
    if (current && state.heredoc !== null) {
      current.body.push(line);
      if (line.trim() === state.heredoc) {
        state.heredoc = null;
        result.push(current);
        current = null;
      }
      continue;
    }
    current = current ? { text: `${current.text}\n${line}`, body: [] } : { text: line, body: [] };
    state.quote = scanQuotes(line, state.quote);
    if (state.quote !== null || continues(line)) continue;
    state.heredoc = heredocOf(current.text);
    if (state.heredoc !== null) continue;
    result.push(current);
    current = null;
  }
  if (current) result.push(current);
  return result;
}

const isComment = (line: string) => /^\s*#/.test(line);
const commentText = (line: string) => line.replace(/^\s*#!?\s?/, "").trim();
/** Lines that set the shell up rather than do the work. */
const isPreamble = (line: string) => /^\s*set\s+[-+][a-z]+(\s+[a-z]+)*\s*$/.test(line);

/**
 * The script as commands, each with the comment before it. NOTE: compound commands (a loop, an if,
 * a function) stay one command: the person reads them as one step of the solution.
 */
export function readScript(text: string): Script {
  const lines = logicalLines(text.replace(/\r\n/g, "\n"));
  if (lines[0]?.text.startsWith("#!")) lines.shift();
  const script: Script = { overview: "", commands: [] };
  let comments: string[] = [];
  let group: { text: string; body: string[] }[] = [];
  let depth = 0;
  const flush = () => {
    script.commands.push({
      text: group.map((l) => [l.text, ...l.body].join("\n")).join("\n"),
      explanation: comments.join(" "),
      lines: group.map((l) => l.text.replace(/\\\n/g, " ").replace(/\n/g, " ")),
    });
    group = [];
    comments = [];
  };
  for (const line of lines) {
    if (depth === 0 && group.length === 0) {
      if (!line.text.trim()) {
        if (script.commands.length === 0 && !script.overview) script.overview = comments.join(" ");
        if (script.commands.length === 0) comments = [];
        continue;
      }
      if (isComment(line.text)) {
        comments.push(commentText(line.text));
        continue;
      }
      if (isPreamble(line.text)) {
        if (script.commands.length === 0 && !script.overview) {
          script.overview = comments.join(" ");
          comments = [];
        }
        continue;
      }
    }
    if (isComment(line.text)) continue;
    group.push(line);
    depth = Math.max(0, depth + depthChange(line.text));
    if (depth === 0) flush();
  }
  if (group.length > 0) flush();
  return script;
}
