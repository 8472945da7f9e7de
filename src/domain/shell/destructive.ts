// Which simple commands destroy data or access (rm -r of a system folder, mkfs, iptables -F, ...): for the damage label and the no-destructive policy.
import type { SimpleCommand } from "./reader";

/** The arguments that are no option. */
export const positional = (args: string[]) => args.filter((a) => !a.startsWith("-"));

/** Directories whose loss breaks the system: removing one of them, or a folder right inside one. */
export const SYSTEM_DIRS = [
  "/etc",
  "/usr",
  "/var",
  "/bin",
  "/sbin",
  "/lib",
  "/boot",
  "/opt",
  "/root",
];
/** Where data lives: removing anything in them loses someone's files. */
const DATA_DIRS = ["/srv", "/home"];

const isUnder = (path: string, dir: string) => path === dir || path.startsWith(`${dir}/`);
const depthBelow = (path: string, dir: string) =>
  path.slice(dir.length).split("/").filter(Boolean).length;

/** A path whose removal destroys the system or data: system folders, data folders, the task's own paths. */
export function isPrecious(path: string, taskPaths: string[]): boolean {
  const clean = path.replace(/\/\*$/, "").replace(/(.)\/+$/, "$1");
  if (clean === "/" || clean === "/*" || clean === "") return true;
  if (SYSTEM_DIRS.some((dir) => isUnder(clean, dir) && depthBelow(clean, dir) <= 1)) return true;
  if (DATA_DIRS.some((dir) => isUnder(clean, dir) && clean !== dir)) return true;
  return taskPaths.some((p) => isUnder(clean, p) || isUnder(p, clean));
}

export const isRecursive = (args: string[]) =>
  args.some((a) => /^-[a-zA-Z]*[rR]/.test(a) || a === "--recursive");
const isDisk = (path: string) => /^\/dev\/(sd|vd|hd|xvd|nvme|mmcblk)/.test(path);

/** Why a simple command destroys data or access, in a few words; null when it does not. */
export function destroys(command: SimpleCommand, taskPaths: string[], taskUnits: Set<string>) {
  const { program, args } = command;
  const targets = positional(args);
  if (program === "rm" && targets.some((p) => p.startsWith("/") && isPrecious(p, taskPaths)))
    return isRecursive(args) || targets.some((p) => taskPaths.some((t) => isUnder(p, t)))
      ? "deletes files the system or the task needs"
      : null;
  if (program === "find" && args.includes("-delete") && isPrecious(targets[0] ?? "", taskPaths))
    return "deletes files the system or the task needs";
  if (
    (program === "iptables" || program === "ip6tables") &&
    args.some((a) => /^(-F|--flush)$/.test(a))
  )
    return "flushes every firewall rule";
  if (program === "nft" && targets[0] === "flush") return "flushes firewall rules";
  if (program === "ufw" && ["disable", "reset"].includes(targets[0] ?? ""))
    return "turns the firewall off";
  if (["userdel", "deluser", "groupdel"].includes(program)) return "deletes an account";
  if ((program === "chmod" || program === "chown") && isRecursive(args))
    if (targets.some((p) => p === "/" || SYSTEM_DIRS.includes(p.replace(/\/+$/, ""))))
      return "changes the owner or mode of a whole system tree";
  if (program.startsWith("mkfs") || program === "wipefs") return "formats a disk";
  if (program === "dd" && args.some((a) => a.startsWith("of=") && isDisk(a.slice(3))))
    return "writes over a disk";
  if (program === "shred") return "destroys files beyond recovery";
  if (program === "systemctl" && ["mask", "disable"].includes(targets[0] ?? ""))
    if (targets.slice(1).some((u) => taskUnits.has(u.replace(/\.service$/, ""))))
      return "turns off a service the task needs";
  return null;
}

export const CLOUD_DELETES = /^(delete|terminate|deregister|remove-listener|delete-[a-z-]+)$/;
