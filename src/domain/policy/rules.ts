// A person's own allow and deny rules of a command policy: their syntax, how one is read (or refused as typed), and what it matches.
import { parse } from "shell-quote";
import { basename } from "../shell/reader";
import { scanLine } from "../shell/scan";

/**
 * One rule: a program and the arguments it starts with, each word a glob (`*` any text, `?` one
 * character, `[ab]` one of). NOTE: a rule matches a command whose first arguments are the rule's,
 * in order, as written ("rm -rf" matches "rm -rf /tmp/x", not "rm -fr /tmp/x"); the program is
 * matched without its path. The program `write_file` matches the agent's file writes by path.
 */
export interface PolicyRule {
  /** The rule as typed. */
  text: string;
  program: RegExp;
  args: RegExp[];
}

export const RULE_SYNTAX =
  "program [argument ...], each word a glob (* any text, ? one character); a rule matches a command that starts with these words, e.g. `systemctl restart *` or `write_file /etc/nginx/*`";

/** A glob as a regular expression over one whole word. */
function globRegExp(glob: string): RegExp {
  let source = "";
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i] ?? "";
    const close = c === "[" ? glob.indexOf("]", i + 2) : -1;
    if (c === "*") source += ".*";
    else if (c === "?") source += ".";
    else if (close > 0) {
      const set = glob.slice(i + 1, close).replace(/^!/, "^");
      source += `[${set.replace(/[\\\]]/g, "\\$&")}]`;
      i = close;
    } else source += c.replace(/[.+^${}()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${source}$`, "s");
}

/** Reads a rule as typed; a rule that is not one says why and what to write instead. */
export function parseRule(text: string): PolicyRule | { error: string } {
  const scan = scanLine(text);
  if (scan.problem || scan.substitutions.length > 0 || scan.heredocs.length > 0)
    return {
      error: `"${text}" cannot be read as a rule (${scan.problem ?? "a substitution or here-doc"}): write ${RULE_SYNTAX}.`,
    };
  let entries: ReturnType<typeof parse>;
  try {
    entries = parse(text.trim(), (key) => `$${key}`);
  } catch {
    return { error: `"${text}" cannot be read (an unclosed quote?): write ${RULE_SYNTAX}.` };
  }
  const words: string[] = [];
  for (const entry of entries) {
    if (typeof entry === "string") words.push(entry);
    else if ("op" in entry && entry.op === "glob") words.push(entry.pattern);
    else if ("op" in entry)
      return {
        error: `"${text}" has "${entry.op}": a rule matches one simple command (no pipes, ;, && or redirections).`,
      };
  }
  const [program, ...args] = words;
  if (program === undefined) return { error: `A rule names a program: ${RULE_SYNTAX}.` };
  if (program.includes("/"))
    return { error: `"${program}": name the program without its path ("${basename(program)}").` };
  return { text: text.trim(), program: globRegExp(program), args: args.map(globRegExp) };
}

/** The rules of a list that read; the first one that does not is thrown back with its error. */
export function parseRules(texts: readonly string[]): PolicyRule[] | { error: string } {
  const rules: PolicyRule[] = [];
  for (const text of texts) {
    if (text.trim() === "") continue;
    const rule = parseRule(text);
    if ("error" in rule) return rule;
    rules.push(rule);
  }
  return rules;
}

/** Whether a rule matches a command (program without its path, arguments as the shell passes them). */
export function ruleMatches(rule: PolicyRule, program: string, args: readonly string[]): boolean {
  if (!rule.program.test(program)) return false;
  return rule.args.length <= args.length && rule.args.every((glob, i) => glob.test(args[i] ?? ""));
}
