// What a command line names and what it changes: paths, systemd units, hosts of the task network, cloud resources.
import { splitCommand, type SimpleCommand } from "../domain/shell/reader";

/** Something on the machine (or in the cloud) that a command names. */
export type Target =
  /** `deep`: the command reaches everything under the path (find, ls -R, chmod -R ...). */
  | { kind: "path"; name: string; deep?: boolean }
  | { kind: "unit"; name: string }
  | { kind: "host"; name: string }
  /** A cloud resource: its CLI group ("security-groups") when known, `name` "*" for all of a group. */
  | { kind: "cloud"; name: string; group?: string }
  /** A changing command that names nothing else (iptables -F, kill 4242): the program itself. */
  | { kind: "program"; name: string };

export interface CommandTargets {
  /** Everything the line names. */
  names: Target[];
  /** What it changes (a subset of names, or the program when it names nothing). */
  changes: Target[];
}

/** Programs that change what they are given, whatever their options. */
const CHANGING = new Set([
  "rm",
  "rmdir",
  "mv",
  "cp",
  "chmod",
  "chown",
  "chgrp",
  "chattr",
  "setfacl",
  "truncate",
  "touch",
  "mkdir",
  "ln",
  "install",
  "dd",
  "tee",
  "patch",
  "useradd",
  "userdel",
  "usermod",
  "groupadd",
  "groupdel",
  "groupmod",
  "gpasswd",
  "passwd",
  "chpasswd",
  "chsh",
  "kill",
  "pkill",
  "killall",
  "iptables-restore",
  "ip6tables-restore",
  "reboot-host",
  "mount",
  "umount",
  "ldconfig",
  "reboot",
  "shutdown",
  "swapoff",
  "a2ensite",
  "a2dissite",
  "update-alternatives",
]);
/** Programs whose only argument that changes anything is the last (cp SRC DEST). */
const DEST_LAST = new Set(["cp", "ln", "install"]);
const SYSTEMCTL_CHANGING =
  /^(start|stop|restart|reload|try-restart|reload-or-restart|enable|disable|mask|unmask|daemon-reload|kill|reset-failed|edit|set-property|link|revert|isolate|daemon-reexec)$/;
/** Cloud CLI verbs that only read (every other verb changes the control plane). */
const CLOUD_READ =
  /^(describe|list|history|logs|replicas|status|records|resolve|zones|get-policy|policies|roles|simulate|users|whoami|health|types)$/;
/** Cloud CLI options whose value names another resource. */
const CLOUD_NAME_FLAGS = new Set([
  "--name",
  "--instance",
  "--volume",
  "--source",
  "--snapshot",
  "--role",
  "--user",
  "--target-group",
  "--lb",
  "--load-balancer",
  "--security-group",
  "--security-groups",
  "--policy",
  "--zone-name",
]);

function isChanging(program: string, args: string[]): boolean {
  if (CHANGING.has(program)) return true;
  const first = args.find((a) => !a.startsWith("-")) ?? "";
  switch (program) {
    case "find": {
      const run = args.findIndex((a) => a === "-exec" || a === "-execdir");
      const inner = run >= 0 ? args.slice(run + 1) : [];
      return (
        args.includes("-delete") || (inner[0] !== undefined && isChanging(inner[0], inner.slice(1)))
      );
    }
    case "sed":
    case "perl":
      return args.some((a) => /^-[a-zA-Z]*i/.test(a) || a.startsWith("--in-place"));
    case "systemctl":
      return SYSTEMCTL_CHANGING.test(first);
    case "service":
      return /^(start|stop|restart|reload|force-reload)$/.test(args[1] ?? "");
    case "iptables":
    case "ip6tables":
      return args.some((a) =>
        /^-[AIDRFXPNZE]$|^--(append|insert|delete|replace|flush|policy)/.test(a),
      );
    case "nft":
      return !/^(list|-a|--)/.test(first) || args.includes("-f");
    case "ip":
      return args.some((a) => /^(add|del|delete|change|replace|flush|set|append)$/.test(a));
    case "sysctl":
      return args.some((a) => a === "-w" || a === "-p" || a.includes("="));
    case "chage":
      return !args.includes("-l") && !args.includes("--list");
    case "crontab":
      return !args.includes("-l");
    case "visudo":
      return !args.includes("-c") && !args.includes("--check");
    case "apt":
    case "apt-get":
      return /^(install|remove|purge|upgrade|reinstall|autoremove)$/.test(first);
    case "dpkg":
      return args.some((a) => /^(-i|-r|-P|--install|--remove|--purge)$/.test(a));
    case "cloud":
      return args.length >= 2 && !CLOUD_READ.test(args[1]!) && !args.includes("--help");
    default:
      return false;
  }
}

/** systemd's name for a unit as typed ("nginx" is "nginx.service"). */
const unitName = (unit: string) => (/\.[a-z]+$/.test(unit) ? unit : `${unit}.service`);

function unitsOf(program: string, args: string[]): string[] {
  const words = args.filter((a) => !a.startsWith("-"));
  if (program === "systemctl") return words.slice(1).map(unitName);
  if (program === "service" && words[0]) return [unitName(words[0])];
  if (program === "journalctl") {
    const units: string[] = [];
    args.forEach((a, i) => {
      if (a === "-u" || a === "--unit") units.push(args[i + 1] ?? "");
      else if (a.startsWith("--unit=")) units.push(a.slice(7));
      else if (/^-u./.test(a)) units.push(a.slice(2));
    });
    return units.filter(Boolean).map(unitName);
  }
  return [];
}

function cloudOf(args: string[]): Target[] {
  const [group, verb, ...rest] = args;
  if (!group || !verb) return [];
  const targets: Target[] = [];
  const positional: string[] = [];
  for (let i = 0; i < rest.length; i++) {
    const arg = rest[i]!;
    if (arg.startsWith("-")) {
      if (CLOUD_NAME_FLAGS.has(arg) && rest[i + 1])
        targets.push({ kind: "cloud", name: rest[i + 1]! });
      if (!arg.includes("=")) i++;
    } else positional.push(arg);
  }
  const named = positional.filter((p) => !p.includes("$"));
  if (named.length === 0 && CLOUD_READ.test(verb))
    targets.push({ kind: "cloud", group, name: "*" });
  for (const name of named.slice(0, 1)) targets.unshift({ kind: "cloud", group, name });
  return targets;
}

const RECURSIVE = new Set(["find", "tree", "du"]);

function pathsOf(command: SimpleCommand, host: string | undefined): Target[] {
  const deep =
    RECURSIVE.has(command.program) ||
    command.args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) && !a.startsWith("--"));
  const texts = [...command.args, ...command.writes, ...command.reads];
  const paths: Target[] = [];
  for (const text of texts)
    for (const part of text.split(/[=:,]/)) {
      // NOTE: "//host/" is what is left of a URL split at its colon, not a path.
      if (!/^\/[^\s/][^\s]*$|^\/$/.test(part) || part === "/dev/null") continue;
      let path = part.replace(/(.)\/+$/, "$1");
      // NOTE: `ip netns exec` shows a host its /etc/netns/<host>/X as /etc/X.
      if (host && path.startsWith("/etc/")) path = `/etc/netns/${host}${path.slice(4)}`;
      paths.push({ kind: "path", name: path, ...(deep && { deep }) });
    }
  return paths;
}

/** The host a path belongs to, when it is one of a task host's own files (/etc/netns/<host>/...). */
const hostOfPath = (path: string) => /^\/etc\/netns\/([^/]+)/.exec(path)?.[1];

/** A command run on a host of the task network (on HOST ..., ip netns exec HOST ...): its host and itself. */
function onHost(command: SimpleCommand): { host: string; inner: SimpleCommand[] } | null {
  const { program, args } = command;
  let host: string | undefined;
  let rest: string[] = [];
  if (program === "on" && args[0] && !args[0].startsWith("-")) [host, ...rest] = args;
  else if (program === "ip" && args[0] === "netns" && args[1] === "exec" && args[2])
    [host, ...rest] = args.slice(2);
  if (host === undefined) return null;
  if (rest.length === 0) return { host, inner: [] };
  const inner =
    rest.length === 1
      ? splitCommand(rest[0]!)
      : [{ program: rest[0]!.replace(/^.*\//, ""), args: rest.slice(1), writes: [], reads: [] }];
  if (inner.length > 0) inner.at(-1)!.writes.push(...command.writes);
  return { host, inner };
}

function simpleTargets(command: SimpleCommand, host: string | undefined): CommandTargets {
  const nested = onHost(command);
  if (nested) {
    const hostTarget: Target = { kind: "host", name: nested.host };
    const inner = nested.inner.map((c) => simpleTargets(c, nested.host));
    const changes = inner.flatMap((t) => t.changes);
    return {
      names: [hostTarget, ...inner.flatMap((t) => t.names)],
      changes: changes.length > 0 ? [hostTarget, ...changes] : [],
    };
  }
  const { program, args } = command;
  // NOTE: the cloud CLI's paths (--health-path /health, --device /dev/sdf) are not the machine's files.
  const paths = program === "cloud" ? [] : pathsOf(command, host);
  const names: Target[] = [...paths];
  for (const unit of unitsOf(program, args)) names.push({ kind: "unit", name: unit });
  if (program === "cloud") names.push(...cloudOf(args));
  if (program === "reboot-host") for (const h of args) names.push({ kind: "host", name: h });
  if (program === "ip" && args[0] === "-n" && args[1]) names.push({ kind: "host", name: args[1] });
  for (const path of paths) {
    const owner = hostOfPath(path.name);
    if (owner) names.push({ kind: "host", name: owner });
  }
  const changing = isChanging(program, args);
  const written = pathsOf({ ...command, args: [], reads: [] }, host);
  if (!changing && written.length === 0) return { names, changes: [] };
  const changedPaths = !changing
    ? written
    : DEST_LAST.has(program)
      ? [...pathsOf({ ...command, args: args.slice(-1), reads: [], writes: [] }, host), ...written]
      : paths;
  let changes = [...changedPaths, ...names.filter((t) => t.kind !== "path")];
  if (changes.length === 0) changes = [{ kind: "program", name: program }];
  return { names, changes };
}

/** What a command line names and changes; a line that cannot be read names nothing. */
export function targetsOf(line: string): CommandTargets {
  const all = splitCommand(line).map((c) => simpleTargets(c, undefined));
  return { names: all.flatMap((t) => t.names), changes: all.flatMap((t) => t.changes) };
}

/** How a target reads in a sentence ("the unit nginx.service", "/etc/hosts", "security-groups shop-web"). */
export function targetLabel(target: Target): string {
  switch (target.kind) {
    case "path":
      return target.name;
    case "unit":
      return `unit ${target.name}`;
    case "host":
      return `host ${target.name}`;
    case "cloud":
      return target.group
        ? `cloud ${target.group} ${target.name}`
        : `cloud resource ${target.name}`;
    case "program":
      return `${target.name} (what it changes is not named)`;
  }
}
