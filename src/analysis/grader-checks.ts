// A task's grader read as its checks: what each check is called, the code it runs, the helpers that code calls.
import { logicalLines } from "./script";
import { splitCommand } from "../domain/shell/reader";

/** A helper a check's code calls: one of lib.sh's, the check script's own, or a cloud query. */
export interface GraderHelper {
  name: string;
  /** How it is called ("http_status URL [CURL ARGS...]"), or its definition for the check script's own. */
  usage: string;
  /** What it does, in a line ("" when its source does not say). */
  gloss: string;
  from: "lib.sh" | "check.sh" | "cloud-checks.ts";
}

/** One check the grader makes, as its source writes it. */
export interface GraderCheckSource {
  from: "check.sh" | "cloud-checks.ts";
  /** The check's name as written (shell variables and template parts left in). */
  what: string;
  /** Other names the check reports under (a cloud check's text when it fails). */
  otherNames: string[];
  /** The code it runs: check.sh's CODE, the lines around a pass/fail, a cloud check's condition. */
  code: string;
  helpers: GraderHelper[];
}

/**
 * lib.sh's helpers with their usage and gloss, read from the comment above each function
 * ("# http_status URL [CURL ARGS...]: the HTTP status code of a GET ...").
 */
export function libHelpers(libSh: string): Map<string, GraderHelper> {
  const helpers = new Map<string, GraderHelper>();
  const documented = new Map<string, { usage: string; gloss: string }>();
  /** The comment block just above the current line (a blank or code line ends it). */
  let comment: string[] = [];
  for (const line of libSh.split("\n")) {
    const text = /^#\s?(.*)$/.exec(line)?.[1];
    if (text !== undefined) {
      comment.push(text);
      continue;
    }
    const defined = /^([a-z_][a-z0-9_]*)\(\)\s*\{/.exec(line)?.[1];
    const doc = comment.join(" ");
    const colon = doc.indexOf(": ");
    // "pass WHAT / fail WHAT: ..." documents both functions; the second is defined without a comment.
    if (defined && colon > 0 && doc.startsWith(defined))
      for (const usage of doc.slice(0, colon).split(" / "))
        documented.set(usage.split(" ")[0]!, { usage, gloss: firstSentence(doc.slice(colon + 2)) });
    if (defined) {
      const entry = documented.get(defined);
      helpers.set(defined, {
        name: defined,
        usage: entry?.usage ?? defined,
        gloss: entry?.gloss ?? "",
        from: "lib.sh",
      });
    }
    comment = [];
  }
  return helpers;
}

const firstSentence = (text: string) => {
  const end = text.search(/\.(\s|$)/);
  return (end >= 0 ? text.slice(0, end + 1) : text).trim();
};

/** Words of a snippet that could be calls: identifiers at the start of a command or after an operator. */
function calledNames(code: string, known: ReadonlySet<string>): string[] {
  const words = code.match(/[A-Za-z_][A-Za-z0-9_]*/g) ?? [];
  return [...new Set(words.filter((w) => known.has(w)))];
}

/** The check script's own functions: name -> their definition (one line, or the lines of its body). */
function localFunctions(checkSh: string): Map<string, { body: string; gloss: string }> {
  const functions = new Map<string, { body: string; gloss: string }>();
  const lines = checkSh.split("\n");
  let comment = "";
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    const doc = /^\s*#\s?(.*)$/.exec(line)?.[1];
    if (doc !== undefined) {
      comment = comment ? `${comment} ${doc}` : doc;
      continue;
    }
    const match = /^\s*([a-z_][a-z0-9_]*)\(\)\s*\{(.*)$/.exec(line);
    if (match) {
      const body = [match[2]!.trim()];
      if (!/\}\s*$/.test(line))
        while (i + 1 < lines.length && !/^\}/.test(lines[i + 1]!)) body.push(lines[++i]!.trim());
      const text = body
        .join("; ")
        .replace(/;?\s*\}\s*$/, "")
        .trim();
      functions.set(match[1]!, {
        body: text,
        gloss: firstSentence(comment.replace(/^[a-z_]+[^:]*:\s*/, "")),
      });
    }
    comment = "";
  }
  return functions;
}

/** The helpers a code snippet calls, with those the check script's own functions call in turn. */
function helpersOf(
  code: string,
  lib: ReadonlyMap<string, GraderHelper>,
  local: ReadonlyMap<string, { body: string; gloss: string }>,
): GraderHelper[] {
  const known = new Set([...lib.keys(), ...local.keys()]);
  const found = new Map<string, GraderHelper>();
  const visit = (snippet: string, depth: number) => {
    for (const name of calledNames(snippet, known)) {
      if (found.has(name) || ["pass", "fail", "check", "finish"].includes(name)) continue;
      const own = local.get(name);
      if (own) {
        found.set(name, {
          name,
          usage: `${name}() { ${own.body}; }`,
          gloss: own.gloss,
          from: "check.sh",
        });
        if (depth < 3) visit(own.body, depth + 1);
      } else found.set(name, lib.get(name)!);
    }
  };
  visit(code, 0);
  return [...found.values()];
}

/** Lines of context shown for a `pass`/`fail` the grader decides itself. */
const PASS_FAIL_CONTEXT_LINES = 3;

/**
 * The lines that decide a `pass`/`fail` at `index`: back to the `if` (or loop) it sits in, at most
 * PASS_FAIL_CONTEXT_LINES, other branches and comments left out, never past another check.
 */
function conditionBefore(lines: readonly string[], index: number): string[] {
  const before: string[] = [];
  for (let j = index - 1; j >= 0 && before.length < PASS_FAIL_CONTEXT_LINES; j--) {
    const line = lines[j]!;
    if (/^\s*(#|else\b|pass |fail )/.test(line)) continue;
    if (/^\s*(fi|done|esac|check |\})/.test(line)) break;
    before.unshift(line);
    if (/^\s*(if|elif|while|until|for)\b/.test(line)) break;
  }
  return before;
}

/** The checks of a task's check.sh: `check "WHAT" 'CODE'` lines, and pass/fail with the lines before them. */
export function shellChecks(
  checkSh: string,
  lib: ReadonlyMap<string, GraderHelper>,
): GraderCheckSource[] {
  const local = localFunctions(checkSh);
  const lines = logicalLines(checkSh).map((l) => l.text);
  const checks: GraderCheckSource[] = [];
  const seen = new Set<string>();
  lines.forEach((line, index) => {
    if (/^\s*#/.test(line) || /^\s*[a-z_][a-z0-9_]*\(\)\s*\{/.test(line)) return;
    for (const command of splitCommand(line.replace(/\\\n/g, " "))) {
      let what: string;
      let code: string;
      if (command.program === "check" && command.args.length >= 2) {
        what = command.args[0]!;
        code = command.args[1]!;
      } else if (
        (command.program === "pass" || command.program === "fail") &&
        command.args.length > 0
      ) {
        what = command.args.join(" ");
        code = [...conditionBefore(lines, index), line].map((l) => l.trim()).join("\n");
      } else continue;
      if (seen.has(what)) continue;
      seen.add(what);
      checks.push({
        from: "check.sh",
        what,
        otherNames: [],
        code,
        helpers: helpersOf(code, lib, local),
      });
    }
  });
  return checks;
}

/** A template literal's text split at its `${...}` parts (nested braces and templates included). */
function templateParts(text: string): string[] {
  const parts: string[] = [];
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== "$" || text[i + 1] !== "{") continue;
    parts.push(text.slice(start, i));
    let depth = 0;
    for (i++; i < text.length; i++) {
      if (text[i] === "{") depth++;
      else if (text[i] === "}" && --depth === 0) break;
    }
    start = i + 1;
  }
  parts.push(text.slice(start));
  return parts;
}

/** A check's name as a pattern for the lines the grader printed: variables and template parts match any text. */
export function namePattern(name: string, from: GraderCheckSource["from"]): RegExp {
  const parts =
    from === "check.sh"
      ? name.split(/\$\{[^}]*\}|\$\([^)]*\)|\$[A-Za-z_][A-Za-z0-9_]*|\$\d/)
      : templateParts(name);
  const escaped = parts.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&"));
  return new RegExp(`^${escaped.join(".*?")}$`, "s");
}

/** Reads from `open` (an opening parenthesis) to its match: the top-level arguments, as written. */
function callArguments(source: string, open: number): string[] | null {
  const args: string[] = [];
  /** What is open: a bracket, a string's quote, or a template literal's `${`. */
  const stack: string[] = [];
  let start = open + 1;
  for (let i = open + 1; i < source.length; i++) {
    const c = source[i]!;
    const top = stack.at(-1);
    if (top === '"' || top === "'" || top === "`") {
      if (c === "\\") i++;
      else if (c === top) stack.pop();
      else if (top === "`" && c === "$" && source[i + 1] === "{") {
        stack.push("${");
        i++;
      }
      continue;
    }
    if (c === '"' || c === "'" || c === "`") stack.push(c);
    else if (c === "(" || c === "[" || c === "{") stack.push(c);
    else if (c === "}" && top === "${") stack.pop();
    else if (c === ")" || c === "]" || c === "}") {
      if (stack.length === 0) {
        args.push(source.slice(start, i).trim());
        return args.filter(Boolean);
      }
      stack.pop();
    } else if (c === "," && stack.length === 0) {
      args.push(source.slice(start, i).trim());
      start = i + 1;
    }
  }
  return null;
}

/** A string or template literal's text (template parts kept as `${...}`); null for other expressions. */
function literalText(expression: string | undefined): string | null {
  const match = /^(["'`])([\s\S]*)\1$/.exec(expression?.trim() ?? "");
  return match ? match[2]! : null;
}

/** The queries of the control plane an expression makes (cloud.x(), initial.x()), through the constants it uses. */
/**
 * What each query of the control plane answers, from the doc comment above each method of its source
 * (src/cloud/queries/cloud-view.ts): method name -> the comment's first sentence.
 */
export function cloudQueryGlosses(source: string): Map<string, string> {
  const glosses = new Map<string, string>();
  for (const [, doc, method] of source.matchAll(/\/\*\*([\s\S]*?)\*\/\s*\n\s*([a-zA-Z]+)\(/g)) {
    const text = doc!
      .replace(/^\s*\*\s?/gm, "")
      .replace(/\s+/g, " ")
      .trim();
    glosses.set(method!, firstSentence(text));
  }
  return glosses;
}

function cloudQueries(
  code: string,
  constants: ReadonlyMap<string, string>,
  glosses: ReadonlyMap<string, string>,
): GraderHelper[] {
  const found = new Map<string, GraderHelper>();
  const visit = (snippet: string, depth: number) => {
    for (const [, object, method] of snippet.matchAll(/\b(cloud|initial)\.([A-Za-z]+)\(/g)) {
      const name = `${object}.${method}`;
      if (!found.has(name))
        found.set(name, {
          name,
          usage: `${name}(...)`,
          gloss: `${glosses.get(method!) ?? `${method} of the control plane`} (${
            object === "initial" ? "as the task set it up" : "after the run"
          })`,
          from: "cloud-checks.ts",
        });
    }
    if (depth >= 3) return;
    for (const word of new Set(snippet.match(/\b[A-Za-z_][A-Za-z0-9_]*\b/g) ?? [])) {
      const definition = constants.get(word);
      if (definition !== undefined && definition !== snippet) visit(definition, depth + 1);
    }
  };
  visit(code, 0);
  return [...found.values()];
}

/**
 * A cloud task's host-side checks (tests/cloud-checks.ts, as text): each `check(CONDITION, "passes as",
 * "fails as")`, with the control-plane queries the condition makes.
 */
export function cloudChecksOf(
  source: string,
  glosses: ReadonlyMap<string, string> = new Map(),
): GraderCheckSource[] {
  const constants = new Map<string, string>();
  for (const [, name, expression] of source.matchAll(
    /\bconst\s+([A-Za-z_][A-Za-z0-9_]*)\s*=\s*([\s\S]*?);\s*\n/g,
  ))
    constants.set(name!, expression!);
  const checks: GraderCheckSource[] = [];
  for (const match of source.matchAll(/(?<![.\w])check\(/g)) {
    const args = callArguments(source, match.index + match[0].length - 1);
    const what = literalText(args?.[1]);
    if (!args || what === null) continue;
    const otherName = literalText(args[2]);
    checks.push({
      from: "cloud-checks.ts",
      what,
      otherNames: otherName !== null && otherName !== what ? [otherName] : [],
      code: args[0]!.replace(/\s+/g, " "),
      helpers: cloudQueries(args[0]!, constants, glosses),
    });
  }
  return checks;
}
