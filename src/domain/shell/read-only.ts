// Whether a recorded call may change the machine: a command line that only reads (ls, cat, systemctl status, ...) cannot, so explain need not probe after it.
import type { ToolInput } from "../run";
import { positional } from "./destructive";
import { splitCommand, type SimpleCommand } from "./reader";

/** Programs that only read, whatever their arguments (bar the ones READ_ONLY_UNLESS names). */
const READ_ONLY = new Set([
  "ls",
  "cat",
  "head",
  "tail",
  "less",
  "more",
  "grep",
  "egrep",
  "fgrep",
  "zgrep",
  "wc",
  "stat",
  "file",
  "id",
  "whoami",
  "groups",
  "getent",
  "ps",
  "pgrep",
  "pstree",
  "top",
  "free",
  "df",
  "du",
  "uptime",
  "uname",
  "hostname",
  "date",
  "pwd",
  "echo",
  "printf",
  "true",
  "false",
  "test",
  "[",
  "which",
  "type",
  "whereis",
  "readlink",
  "realpath",
  "namei",
  "diff",
  "cmp",
  "md5sum",
  "sha256sum",
  "awk",
  "cut",
  "sort",
  "uniq",
  "tr",
  "column",
  "jq",
  "ss",
  "netstat",
  "lsof",
  "dig",
  "host",
  "nslookup",
  "ping",
  "curl",
  "wget",
  "journalctl",
  "env",
  "printenv",
  "lsblk",
  "mount",
  "findmnt",
  "getfacl",
  "lsattr",
  "nginx",
  "systemctl",
  "ip",
  "find",
  "sed",
  "crontab",
  "dpkg",
  "apt",
  "apt-cache",
  "cloud",
  "sleep",
  // Shell builtins that change only the shell the line runs in.
  "cd",
  "pushd",
  "popd",
  "export",
  "set",
  "unset",
  ":",
  "basename",
  "dirname",
  "seq",
  "tac",
  "nl",
  "blkid",
  "tracepath",
  "traceroute",
  "sysctl",
  "iptables",
  "ip6tables",
  "nft",
  // Looks at packets, bytes or the network (what checks and failure labels count as looks too).
  "[[",
  "ping6",
  "mtr",
  "strings",
  "od",
  "hexdump",
  "xxd",
  "arp",
  "tcpdump",
  "nc",
]);

/** The verbs of `cloud <service> <verb>` that only look. */
export const CLOUD_LOOKS = new Set([
  "list",
  "describe",
  "show",
  "get",
  "health",
  "resolve",
  "records",
  "zones",
  "logs",
  "types",
  "whoami",
  "status",
  "history",
  "simulate",
  "get-policy",
  "users",
  "roles",
  "policies",
  "access-keys",
  "replicas",
]);
const IPTABLES_LISTS = /^(-S|-L|--list|--list-rules|-[nvx]*L[nvx]*)$/;

/** For programs in READ_ONLY that can also write: whether these arguments make them write. */
const READ_ONLY_UNLESS: Record<string, (args: string[]) => boolean> = {
  find: (args) => args.some((a) => /^-(exec|execdir|ok|okdir|delete|fprint.*|fls)$/.test(a)),
  sed: (args) => args.some((a) => /^(-[a-zA-Z]*i|--in-place)/.test(a) || a === "w"),
  awk: (args) => args.some((a) => /system\(|>\s*"|print.*>/.test(a)),
  // Output to /dev/null and a GET or HEAD request only read (the way agents check a site's status).
  curl: (args) =>
    args.some((a, i) => {
      if (/^-[a-zA-Z]*o$|^--output$/.test(a)) return args[i + 1] !== "/dev/null";
      if (/^-[a-zA-Z]*O[a-zA-Z]*$|^--remote-name/.test(a)) return true;
      if (/^(-X|--request)$/.test(a)) return !/^(GET|HEAD)$/i.test(args[i + 1] ?? "");
      return /^(-d|--data.*|-T|--upload-file|-F|--form)$/.test(a);
    }),
  wget: () => true,
  sort: (args) => args.some((a) => /^(-o|--output)/.test(a)),
  journalctl: (args) => args.some((a) => /^--(vacuum|rotate|flush|sync)/.test(a)),
  // Without a command ("systemctl --failed") it lists units.
  systemctl: (args) =>
    !/^(|status|show|cat|is-active|is-enabled|is-failed|list-.*|help)$/.test(firstWord(args)),
  ip: (args) =>
    !/^(a|addr|address|r|route|l|link|n|neigh|rule)$/.test(args[0] ?? "") ||
    args.slice(1).some((a) => /^(add|del|delete|change|replace|set|flush|append)$/.test(a)),
  nginx: (args) => !args.some((a) => a === "-t" || a === "-T" || a === "-v" || a === "-V"),
  crontab: (args) => !args.includes("-l"),
  dpkg: (args) => !args.some((a) => /^(-l|-L|-s|-S|--list|--listfiles|--status|--search)$/.test(a)),
  apt: (args) => !/^(list|show|search|policy)$/.test(firstWord(args)),
  "apt-cache": () => false,
  mount: (args) => args.length > 0,
  date: (args) => args.some((a) => a === "-s" || a.startsWith("--set")),
  hostname: (args) => args.some((a) => !a.startsWith("-")),
  env: (args) => args.some((a) => !a.includes("=") && !a.startsWith("-")),
  cloud: (args) => !args.includes("--help") && !CLOUD_LOOKS.has(positional(args)[1] ?? ""),
  sysctl: (args) =>
    args.some((a) => a === "-w" || a.includes("=") || /^(-p|--system|--load)/.test(a)),
  iptables: (args) => !args.some((a) => IPTABLES_LISTS.test(a)) || args.some(iptablesChanges),
  ip6tables: (args) => !args.some((a) => IPTABLES_LISTS.test(a)) || args.some(iptablesChanges),
  nft: (args) => firstWord(args) !== "list",
  // `xxd -r` writes binary back, and `xxd IN OUT` writes OUT.
  xxd: (args) => args.some((a) => /^-[a-zA-Z]*r/.test(a)) || positional(args).length > 1,
  arp: (args) => args.some((a) => /^-[a-zA-Z]*[dsf]|^--(delete|set|file)/.test(a)),
  // -w writes a capture file, -z runs a command on each, -C/-G/-W rotate them.
  tcpdump: (args) => args.some((a) => /^-[a-zA-Z]*[wzCGW]/.test(a)),
  // Only a port scan (-z) reads; nc otherwise sends data, listens (-l) or runs a program (-e, -c).
  nc: (args) =>
    !args.some((a) => /^-[a-zA-Z]*z/.test(a)) || args.some((a) => /^-[a-zA-Z]*[eclL]/.test(a)),
};

/** An iptables option that changes rules or chains. */
const iptablesChanges = (a: string) => /^-[ADIRFXPNZE]$|^--(append|delete|insert|flush)/.test(a);

/** The first argument that is not an option. */
function firstWord(args: string[]): string {
  return args.find((a) => !a.startsWith("-")) ?? "";
}

/** Whether one simple command only reads (a known program, arguments that do not make it write, no file written). */
export function onlyReads(command: SimpleCommand): boolean {
  if (command.writes.some((w) => w !== "/dev/null" && !w.startsWith("&"))) return false;
  if (!READ_ONLY.has(command.program)) return false;
  return !READ_ONLY_UNLESS[command.program]?.(command.args);
}

/**
 * Whether the call may change the machine. NOTE: conservative: a file write, a command substitution,
 * a line that cannot be read, and every program not known to only read count as changes.
 */
export function mayChangeMachine(
  input: Extract<ToolInput, { tool: "run_command" | "write_file" }>,
): boolean {
  if (input.tool !== "run_command") return true;
  if (/[`]|\$\(|<\(|>\(/.test(input.command)) return true;
  const commands = splitCommand(input.command);
  if (commands.length === 0) return input.command.trim() !== "";
  return !commands.every(onlyReads);
}
