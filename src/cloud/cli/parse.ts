// Turns the `cloud` command line into an API call, or help, or a usage error (as argparse-style CLIs word them).
import { compile } from "@jmespath-community/jmespath";
import type { ActionDef, ParamSpec, ParamValue, Params } from "../core/action";
import { ACTIONS } from "../core/actions";

export type OutputFormat = "json" | "table" | "text";
const OUTPUT_FORMATS: readonly string[] = ["json", "table", "text"];

export type ParsedCommand =
  | { kind: "help"; text: string }
  | {
      kind: "call";
      action: ActionDef;
      params: Params;
      output: OutputFormat;
      /** --query: a JMESPath expression applied to the result before it is printed. */
      query: string | undefined;
      region: string | undefined;
    }
  | { kind: "usage-error"; message: string; usage: string };

export const GROUP_SUMMARIES: Record<string, string> = {
  instances: "launch, inspect, start, stop and terminate instances",
  images: "machine images and the ports they serve",
  regions: "regions and their zones",
  volumes: "block volumes: create, attach, detach, delete",
  snapshots: "volume snapshots",
  networks: "networks (address ranges)",
  subnets: "subnets of a network, one zone each",
  "security-groups": "security groups and their ingress rules",
  lb: "load balancers and their listeners",
  "target-groups": "target groups, health checks and target health",
  dns: "DNS zones and records",
  iam: "users, roles, policies and who you are",
  deployments: "container deployments: rollouts, rollbacks, replicas and logs",
  registry: "container images in the registry",
  quotas: "limits of the account and what is in use",
  audit: "the log of API calls",
};

const GLOBAL_OPTIONS = `Global options:
  -o, --output json|table|text
                            output format (default table); text: values only, tab-separated
  --query EXPRESSION        a JMESPath expression: print only what it selects from the result
                            (e.g. --query state -o text, --query "items[?state=='running'].id")
  --region REGION           region to act in (default: the profile's, else the cloud's default)
  --profile NAME            credentials profile from ~/.cloud/credentials (or CLOUD_PROFILE)
  -h, --help                show help for any command or subcommand

Exit codes: 0 success; 1 the cloud refused or failed the call (its error code is printed);
2 bad usage; 255 the control plane could not be reached.`;

const groups = (): string[] => [...new Set(ACTIONS.map((a) => a.group))];

function topHelp(): string {
  const width = Math.max(...groups().map((g) => g.length)) + 2;
  return `usage: cloud [options] <command> <subcommand> [arguments]

The command line of this environment's cloud.

Commands:
${groups()
  .map((g) => `  ${g.padEnd(width)}${GROUP_SUMMARIES[g] ?? ""}`)
  .join("\n")}

Run \`cloud <command> --help\` for its subcommands.

${GLOBAL_OPTIONS}
`;
}

function groupHelp(group: string): string {
  const actions = ACTIONS.filter((a) => a.group === group);
  const width = Math.max(...actions.map((a) => a.verb.length)) + 2;
  return `usage: cloud ${group} <subcommand> [arguments]

${GROUP_SUMMARIES[group] ?? ""}

Subcommands:
${actions.map((a) => `  ${a.verb.padEnd(width)}${a.summary}`).join("\n")}

Run \`cloud ${group} <subcommand> --help\` for its arguments.
`;
}

function flagText(name: string, spec: ParamSpec): string {
  const value = { string: " VALUE", int: " N", bool: "", list: " A,B,...", map: " KEY=VALUE" }[
    spec.kind
  ];
  return spec.positional ? name.toUpperCase() : `--${name}${value}`;
}

function usageLine(action: ActionDef): string {
  const parts = Object.entries(action.params).map(([name, spec]) => {
    const text = flagText(name, spec);
    return spec.required ? text : `[${text}]`;
  });
  return `usage: cloud ${action.group} ${action.verb} ${parts.join(" ")}`.trimEnd();
}

function actionHelp(action: ActionDef): string {
  const entries = Object.entries(action.params);
  const width = Math.max(0, ...entries.map(([n, s]) => flagText(n, s).length)) + 2;
  const args = entries
    .map(
      ([name, spec]) =>
        `  ${flagText(name, spec).padEnd(width)}${spec.help}${spec.required ? " (required)" : ""}${spec.kind === "map" || spec.kind === "list" ? " (repeatable)" : ""}`,
    )
    .join("\n");
  return `${usageLine(action)}

${action.summary}

${entries.length ? `Arguments:\n${args}\n\n` : ""}API action: ${action.name}; needs the permission ${action.permission} on ${action.resource(Object.fromEntries(entries.filter(([, s]) => s.positional).map(([n]) => [n, n.toUpperCase()])))}.
`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const row = [i];
    for (let j = 1; j <= b.length; j++) {
      row[j] = Math.min(
        previous[j]! + 1,
        row[j - 1]! + 1,
        previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1),
      );
    }
    previous = row;
  }
  return previous[b.length]!;
}

/** The option a mistyped word most likely meant, if one is close. */
function closest(word: string, options: string[]): string | undefined {
  const scored = options.map((o) => ({
    o,
    d: o.startsWith(word) || word.startsWith(o) ? 0 : editDistance(word, o),
  }));
  const best = scored.sort((a, b) => a.d - b.d)[0];
  return best && best.d <= Math.max(1, Math.floor(word.length / 3)) ? best.o : undefined;
}

/** Parses argv (without the program name). */
export function parseArgv(argv: string[]): ParsedCommand {
  let output: OutputFormat = "table";
  let query: string | undefined;
  let region: string | undefined;
  let help = false;
  const rest: string[] = [];
  const usageError = (
    message: string,
    usage = "usage: cloud [options] <command> <subcommand> [arguments]",
  ): ParsedCommand => ({ kind: "usage-error", message, usage });
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith("--") && arg.includes("=")
        ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)]
        : [arg, undefined];
    const value = (): string | undefined => inline ?? argv[++i];
    if (flag === "-h" || flag === "--help") help = true;
    else if (flag === "-o" || flag === "--output") {
      const format = value() ?? "";
      if (!OUTPUT_FORMATS.includes(format))
        return usageError(
          `argument --output: invalid choice: '${format}' (choose from 'json', 'table', 'text')`,
        );
      output = format as OutputFormat;
    } else if (flag === "--query") {
      query = value();
      if (!query) return usageError("argument --query: expected one argument");
      try {
        compile(query);
      } catch (error) {
        return usageError(
          `argument --query: not a JMESPath expression: ${(error as Error).message}`,
        );
      }
    } else if (flag === "--region") {
      region = value();
      if (!region) return usageError("argument --region: expected one argument");
    } else rest.push(arg);
  }
  const [group, verb, ...args] = rest;
  if (group === undefined)
    return help
      ? { kind: "help", text: topHelp() }
      : usageError("the following arguments are required: command");
  if (!groups().includes(group)) {
    const guess = closest(group, groups());
    return usageError(
      `argument command: invalid choice: '${group}'${guess ? ` (did you mean '${guess}'?)` : ""}. Commands: ${groups().join(", ")}`,
    );
  }
  if (verb === undefined || verb.startsWith("-")) {
    if (help || verb === undefined)
      return help
        ? { kind: "help", text: groupHelp(group) }
        : usageError(
            "the following arguments are required: subcommand",
            `usage: cloud ${group} <subcommand> [arguments]`,
          );
  }
  const action = ACTIONS.find((a) => a.group === group && a.verb === verb);
  if (!action) {
    const verbs = ACTIONS.filter((a) => a.group === group).map((a) => a.verb);
    const guess = closest(verb ?? "", verbs);
    return usageError(
      `argument subcommand: invalid choice: '${verb}'${guess ? ` (did you mean '${guess}'?)` : ""}. Subcommands of ${group}: ${verbs.join(", ")}`,
      `usage: cloud ${group} <subcommand> [arguments]`,
    );
  }
  if (help) return { kind: "help", text: actionHelp(action) };
  const parsed = parseActionArgs(action, args);
  if (typeof parsed === "string") return usageError(parsed, usageLine(action));
  return { kind: "call", action, params: parsed, output, query, region };
}

/** The action's parameters from its arguments, or the usage error's message. */
function parseActionArgs(action: ActionDef, args: string[]): Params | string {
  const params: Params = {};
  const positional = Object.entries(action.params).find(([, s]) => s.positional)?.[0];
  const extra: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (!arg.startsWith("--")) {
      if (positional && params[positional] === undefined) params[positional] = arg;
      else extra.push(arg);
      continue;
    }
    const eq = arg.indexOf("=");
    const name = arg.slice(2, eq < 0 ? undefined : eq);
    const spec = action.params[name];
    if (!spec || spec.positional) {
      extra.push(arg);
      continue;
    }
    if (spec.kind === "bool") {
      params[name] = eq < 0 ? true : !["false", "0", "no"].includes(arg.slice(eq + 1));
      continue;
    }
    const raw = eq < 0 ? args[++i] : arg.slice(eq + 1);
    if (raw === undefined) return `argument --${name}: expected one argument`;
    const value = convert(name, spec, raw, params[name]);
    if (typeof value === "string" && spec.kind !== "string") return value;
    params[name] = value;
  }
  if (extra.length) return `unrecognized arguments: ${extra.join(" ")}`;
  const missing = Object.entries(action.params).filter(
    ([name, spec]) => spec.required && params[name] === undefined,
  );
  if (missing.length)
    return `the following arguments are required: ${missing.map(([n, s]) => flagText(n, s).split(" ")[0]).join(", ")}`;
  return params;
}

/** A flag's value as its kind wants it; a string is an error message for non-string kinds. */
function convert(
  name: string,
  spec: ParamSpec,
  raw: string,
  previous: ParamValue | undefined,
): ParamValue {
  switch (spec.kind) {
    case "string":
      return raw;
    case "int":
      return /^-?\d+$/.test(raw) ? Number(raw) : `argument --${name}: invalid int value: '${raw}'`;
    case "list":
      return [
        ...((previous as string[] | undefined) ?? []),
        ...raw.split(",").filter((x) => x !== ""),
      ];
    case "map": {
      const eq = raw.indexOf("=");
      if (eq <= 0) return `argument --${name}: expected KEY=VALUE, got '${raw}'`;
      return {
        ...((previous as Record<string, string> | undefined) ?? {}),
        [raw.slice(0, eq)]: raw.slice(eq + 1),
      };
    }
    default:
      return raw;
  }
}
