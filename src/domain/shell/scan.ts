// What shell-quote cannot read, taken out of a command line first: command and process substitutions, here-docs, comments, line breaks, `&>`.
// NOTE: shell-quote reads a line flat: a newline does not end a command, `$( )` is "$" then a
// subshell, a here-doc body is words. This scan leaves it a line it reads right, and hands back
// what it took out, so that a policy judges the bodies as lines of their own.

/** The word a command substitution becomes in the flat line: an unknown value, like a variable. */
export const SUBSTITUTION_WORD = "$OPSLAB_SUBSTITUTION";
/** The file a process substitution (`<( )`, `>( )`) becomes: the pipe bash names so. */
export const PROCESS_FILE = "/dev/fd/63";
/** The file a here-doc or here-string is read from in the flat line (`bash <<EOF` is `bash < HEREDOC_FILE`). */
export const HEREDOC_FILE = "OPSLAB_HEREDOC";

export interface Scan {
  /** The line as shell-quote can read it: substitutions as SUBSTITUTION_WORD, here-docs as HEREDOC_FILE, `;` for line breaks. */
  flat: string;
  /** The bodies of `$( )`, backticks, `<( )` and `>( )`, as command lines of their own. */
  substitutions: string[];
  /** Here-doc bodies, with whether the shell expands them (an unquoted delimiter). */
  heredocs: { body: string; expands: boolean }[];
  /** What could not be read (an unclosed quote or substitution), or null. */
  problem: string | null;
}

class ScanError extends Error {}

/** The index just past the `)` that closes a `(` opened before `from`; quotes and nesting respected. */
function closingParen(line: string, from: number): number {
  let depth = 1;
  let quote: "'" | '"' | null = null;
  for (let i = from; i < line.length; i++) {
    const c = line[i];
    if (c === "\\" && quote !== "'") i++;
    else if (quote) {
      if (c === quote) quote = null;
    } else if (c === "'" || c === '"') quote = c;
    else if (c === "`") i = closingBacktick(line, i + 1) - 1;
    else if (c === "(") depth++;
    else if (c === ")" && --depth === 0) return i + 1;
  }
  throw new ScanError("a `$(`, `<(` or `(` is never closed");
}

/** The index just past the backtick that closes one opened before `from`. */
function closingBacktick(line: string, from: number): number {
  for (let i = from; i < line.length; i++) {
    if (line[i] === "\\") i++;
    else if (line[i] === "`") return i + 1;
  }
  throw new ScanError("a backtick is never closed");
}

/** Reads a here-doc's delimiter word at `from`: its text, whether it was quoted, and where it ends. */
function delimiterAt(line: string, from: number): { word: string; quoted: boolean; end: number } {
  let i = from;
  while (line[i] === " " || line[i] === "\t") i++;
  let word = "";
  let quoted = false;
  for (; i < line.length && !/[\s;&|<>()]/.test(line[i] ?? ""); i++) {
    const c = line[i] ?? "";
    if (c === "'" || c === '"') {
      const close = line.indexOf(c, i + 1);
      if (close < 0) throw new ScanError("a here-doc's delimiter has an unclosed quote");
      word += line.slice(i + 1, close);
      quoted = true;
      i = close;
    } else if (c === "\\") {
      quoted = true;
    } else word += c;
  }
  if (word === "") throw new ScanError("a here-doc (`<<`) has no delimiter");
  return { word, quoted, end: i };
}

/** Takes the bodies of the pending here-docs from the lines after `from` (a newline); returns where the line goes on. */
function takeHeredocs(
  line: string,
  from: number,
  pending: { word: string; quoted: boolean; strip: boolean }[],
  heredocs: Scan["heredocs"],
): number {
  let at = from + 1;
  for (const doc of pending) {
    const body: string[] = [];
    while (at <= line.length) {
      const end = line.indexOf("\n", at) < 0 ? line.length : line.indexOf("\n", at);
      const text = line.slice(at, end);
      at = end + 1;
      if ((doc.strip ? text.replace(/^\t+/, "") : text) === doc.word) break;
      body.push(text);
    }
    heredocs.push({ body: body.join("\n"), expands: !doc.quoted });
  }
  pending.length = 0;
  return at - 1;
}

/** Reads a line; a line it cannot read says why in `problem` (and is then not to be judged). */
export function scanLine(line: string): Scan {
  const scan: Scan = { flat: "", substitutions: [], heredocs: [], problem: null };
  try {
    scan.flat = flatten(line, scan);
  } catch (error) {
    if (!(error instanceof ScanError)) throw error;
    scan.problem = error.message;
  }
  return scan;
}

function flatten(line: string, scan: Scan): string {
  let out = "";
  let quote: "'" | '"' | null = null;
  const pending: { word: string; quoted: boolean; strip: boolean }[] = [];
  for (let i = 0; i < line.length; i++) {
    const c = line[i] ?? "";
    // NOTE: tested in place (startsWith at i), never by slicing the rest: a long line stays linear.
    const at = (text: string) => line.startsWith(text, i);
    if (quote === "'") {
      if (c === "'") quote = null;
      out += c;
    } else if (c === "\\") {
      // A backslash before a line break joins the lines; before anything else it quotes it.
      if (line[i + 1] !== "\n") out += c + (line[i + 1] ?? "");
      i++;
    } else if (at("$((")) {
      const end = closingParen(line, i + 2);
      // Arithmetic: only the substitutions inside it run anything.
      const inner = scanLine(line.slice(i + 3, end - 2));
      if (inner.problem) throw new ScanError(inner.problem);
      scan.substitutions.push(...inner.substitutions);
      out += "0";
      i = end - 1;
    } else if (at("$(") || (quote === null && (at("<(") || at(">(")))) {
      const end = closingParen(line, i + 2);
      scan.substitutions.push(line.slice(i + 2, end - 1));
      out += c === "$" ? SUBSTITUTION_WORD : PROCESS_FILE;
      i = end - 1;
    } else if (c === "`") {
      const end = closingBacktick(line, i + 1);
      scan.substitutions.push(line.slice(i + 1, end - 1).replace(/\\([`\\$])/g, "$1"));
      out += SUBSTITUTION_WORD;
      i = end - 1;
    } else if (quote === '"') {
      if (c === '"') quote = null;
      out += c;
    } else if (c === "'" || c === '"') {
      quote = c;
      out += c;
    } else if (c === "#" && /(^|[\s;&|()])$/.test(out)) {
      const end = line.indexOf("\n", i);
      i = (end < 0 ? line.length : end) - 1;
    } else if (c === "\n") {
      out += " ; ";
      if (pending.length > 0) i = takeHeredocs(line, i, pending, scan.heredocs);
    } else if (at("<<<")) {
      out += ` < ${HEREDOC_FILE} `;
      i += 2;
    } else if (at("<<")) {
      const strip = line[i + 2] === "-";
      const delimiter = delimiterAt(line, i + (strip ? 3 : 2));
      pending.push({ ...delimiter, strip });
      out += ` < ${HEREDOC_FILE} `;
      i = delimiter.end - 1;
    } else if (at("&>") || at(">|")) {
      out += at("&>>") ? " >> " : " > ";
      i += at("&>>") ? 2 : 1;
    } else out += c;
  }
  if (quote) throw new ScanError(`a ${quote === "'" ? "single" : "double"} quote is never closed`);
  if (pending.length > 0) takeHeredocs(line, line.length, pending, scan.heredocs);
  return out;
}
