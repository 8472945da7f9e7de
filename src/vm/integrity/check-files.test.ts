// Unit tests of the host-side file check: an image tree from a real index, a guest file system made by hand.
import { describe, expect, it } from "vitest";
import { buildRootfsIndex, renameBlobs, type TreeEntry } from "../../../images/rootfs-index";
import { checkFiles, imageContentHash, type FileCheckSpec } from "./check-files";
import type { GuestFileSystem, GuestNode } from "./guest-fs";
import { ImageTree, pathParts } from "./image-tree";
import { parseLdCache } from "./ld-cache";

const text = (s: string) => new TextEncoder().encode(s);
const base = { mode: 0o755, uid: 0, gid: 0, mtime: 0 };
const file = (path: string, data: string, mode = 0o755): TreeEntry => ({
  ...base,
  kind: "file",
  path,
  mode,
  data: text(data),
});
const dir = (path: string): TreeEntry => ({ ...base, kind: "dir", path });
const link = (path: string, target: string): TreeEntry => ({
  ...base,
  kind: "symlink",
  path,
  target,
});

/** An ld.so.cache in the new format with these entries. */
function ldCache(entries: [string, string][]): Uint8Array {
  const strings: number[] = [];
  const header = 48 + entries.length * 24;
  const offsets = entries.map(([name, path]) => {
    const at = header + strings.length;
    strings.push(...text(name), 0);
    const pathAt = header + strings.length;
    strings.push(...text(path), 0);
    return [at, pathAt] as const;
  });
  const bytes = new Uint8Array(header + strings.length);
  bytes.set(text("glibc-ld.so.cache1.1"));
  const view = new DataView(bytes.buffer);
  view.setUint32(20, entries.length, true);
  view.setUint32(24, strings.length, true);
  offsets.forEach(([key, value], i) => {
    view.setInt32(48 + i * 24, 3, true);
    view.setUint32(48 + i * 24 + 4, key, true);
    view.setUint32(48 + i * 24 + 8, value, true);
  });
  bytes.set(strings, header);
  return bytes;
}

const IMAGE_ENTRIES: TreeEntry[] = [
  dir("usr"),
  dir("usr/bin"),
  dir("usr/sbin"),
  dir("usr/local"),
  dir("usr/local/bin"),
  dir("usr/local/sbin"),
  dir("usr/lib"),
  dir("usr/lib/i386-linux-gnu"),
  dir("usr/lib/systemd/system"),
  dir("etc"),
  link("bin", "usr/bin"),
  link("lib", "usr/lib"),
  file("usr/bin/bash", "the real bash"),
  file("usr/bin/curl", "the real curl"),
  link("usr/bin/sh", "bash"),
  file("usr/sbin/nginx", "the real nginx"),
  file("usr/local/bin/cloud", "the cloud program"),
  file("usr/lib/i386-linux-gnu/libc.so.6", "the real libc", 0o644),
  file("usr/lib/systemd/system/nginx.service", "[Service]\n", 0o644),
  file("etc/hostname", "opslab\n", 0o644),
  dir("root"),
  file("root/.bashrc", "alias ls='ls --color=auto'\nexport PS1='# '\n", 0o644),
  file("usr/sbin/iptables-nft", "nft flavour"),
  file("usr/sbin/iptables-legacy", "legacy flavour"),
  dir("etc/alternatives"),
  link("etc/alternatives/iptables", "/usr/sbin/iptables-nft"),
  link("usr/sbin/iptables", "/etc/alternatives/iptables"),
  dir("var/lib/dpkg/alternatives"),
  file(
    "var/lib/dpkg/alternatives/iptables",
    "auto\n/usr/sbin/iptables\n\n/usr/sbin/iptables-legacy\n10\n/usr/sbin/iptables-nft\n20\n",
    0o644,
  ),
];

function makeImage(): ImageTree {
  const { index } = buildRootfsIndex(IMAGE_ENTRIES);
  return ImageTree.fromIndex(renameBlobs(index, (hash) => `${hash}.zst`));
}

/** A guest file system that starts as the image (every file pristine) and is changed by hand. */
class FakeGuest implements GuestFileSystem {
  readonly nodes = new Map<string, GuestNode & { data?: Uint8Array }>();

  constructor(image: ImageTree) {
    const walk = (path: string) => {
      const node = image.get(path)!;
      if (node.kind === "dir") {
        this.nodes.set(path, { kind: "dir", mode: node.mode, size: 0 });
        for (const name of node.children.keys()) walk(`${path === "/" ? "" : path}/${name}`);
      } else if (node.kind === "symlink") {
        this.nodes.set(path, { kind: "symlink", mode: node.mode, size: 0, target: node.target });
      } else {
        this.nodes.set(path, {
          kind: "file",
          mode: node.mode,
          size: node.size,
          pristineBlob: node.blob,
        });
      }
    };
    walk("/");
  }

  write(path: string, data: string, mode = 0o755): void {
    this.nodes.set(path, { kind: "file", mode, size: data.length, data: text(data) });
  }
  symlink(path: string, target: string): void {
    this.nodes.set(path, { kind: "symlink", mode: 0o777, size: 0, target });
  }
  remove(path: string): void {
    for (const key of [...this.nodes.keys()])
      if (key === path || key.startsWith(`${path}/`)) this.nodes.delete(key);
  }

  lookup(path: string): GuestNode | undefined {
    const parts = pathParts(path);
    for (let i = 1; i < parts.length; i++) {
      if (this.nodes.get(`/${parts.slice(0, i).join("/")}`)?.kind !== "dir") return undefined;
    }
    return this.nodes.get(`/${parts.join("/")}`);
  }
  list(path: string): string[] | undefined {
    if (this.lookup(path)?.kind !== "dir") return undefined;
    const prefix = path === "/" ? "/" : `${path}/`;
    return [...this.nodes.keys()]
      .filter((k) => k.startsWith(prefix) && k !== "/" && !k.slice(prefix.length).includes("/"))
      .map((k) => k.slice(prefix.length));
  }
  readBlob(blob: string): Promise<Uint8Array> {
    const image = makeImage();
    const original = IMAGE_ENTRIES.find((e) => {
      const node = image.get(`/${e.path}`);
      return node?.kind === "file" && node.blob === blob;
    });
    return Promise.resolve(original?.kind === "file" ? original.data : new Uint8Array(0));
  }
  read(path: string): Promise<Uint8Array> {
    const node = this.nodes.get(path);
    if (node?.data) return Promise.resolve(node.data);
    const original = IMAGE_ENTRIES.find((e) => `/${e.path}` === path);
    return Promise.resolve(original?.kind === "file" ? original.data : new Uint8Array(0));
  }
}

const SPEC: FileCheckSpec = {
  unchanged: [
    { path: "/bin" },
    { path: "/lib" },
    { path: "/usr/bin" },
    { path: "/usr/sbin" },
    { path: "/usr/local/bin/cloud" },
    { path: "/usr/lib", only: "code" },
    { path: "/etc/alternatives" },
  ],
  searchOrders: [["/usr/local/sbin", "/usr/local/bin", "/usr/sbin", "/usr/bin"]],
  absent: ["/etc/ld.so.preload", "/etc/netns/*/ld.so.preload"],
  ldCaches: { paths: ["/etc/ld.so.cache"], libraryDirs: ["/usr/lib/i386-linux-gnu"] },
  alternatives: { links: "/etc/alternatives", db: "/var/lib/dpkg/alternatives" },
  startupFiles: ["/root/.bashrc", "/etc/profile.d/*"],
};

async function check(change: (guest: FakeGuest) => void = () => undefined) {
  const image = makeImage();
  const guest = new FakeGuest(image);
  change(guest);
  return checkFiles(image, guest, SPEC, imageContentHash);
}

describe("checkFiles", () => {
  it("finds nothing in a guest that is still the image", async () => {
    expect(await check()).toEqual([]);
  });

  it("finds nothing when a file was rewritten with the image's own content", async () => {
    expect(await check((g) => g.write("/usr/bin/curl", "the real curl"))).toEqual([]);
  });

  it("finds a replaced program, with the hash of what replaced it", async () => {
    const findings = await check((g) => g.write("/usr/bin/curl", "#!/bin/sh\necho 200\n"));
    expect(findings).toEqual([
      {
        path: "/usr/bin/curl",
        kind: "changed",
        detail: "its content is not the image's (19 bytes, the image's has 13)",
        hash: await imageContentHash(text("#!/bin/sh\necho 200\n")),
      },
    ]);
  });

  it("finds a removed program, a changed symlink and a changed library", async () => {
    const findings = await check((g) => {
      g.remove("/usr/sbin/nginx");
      g.symlink("/usr/bin/sh", "/tmp/fake");
      g.write("/usr/lib/i386-linux-gnu/libc.so.6", "evil", 0o644);
    });
    expect(findings.map((f) => [f.path, f.kind])).toEqual([
      ["/usr/bin/sh", "changed"],
      ["/usr/sbin/nginx", "missing"],
      ["/usr/lib/i386-linux-gnu/libc.so.6", "changed"],
    ]);
  });

  it("lets an alternative point to a choice its database lists, and nowhere else", async () => {
    const to = (target: string) => (g: FakeGuest) =>
      g.symlink("/etc/alternatives/iptables", target);
    expect(await check(to("/usr/sbin/iptables-legacy"))).toEqual([]);
    expect((await check(to("/usr/bin/true"))).map((f) => f.detail)).toEqual([
      "pointed to /usr/sbin/iptables-nft and now points to /usr/bin/true",
    ]);
    const forgedDb = await check((g) => {
      g.write("/var/lib/dpkg/alternatives/iptables", "auto\n/usr/bin/true\n", 0o644);
      g.symlink("/etc/alternatives/iptables", "/usr/bin/true");
    });
    expect(forgedDb.map((f) => f.path)).toEqual(["/etc/alternatives/iptables"]);
  });

  it("finds aliases, functions and loader variables added to shell start-up files", async () => {
    const findings = await check((g) => {
      g.write(
        "/root/.bashrc",
        "alias ls='ls --color=auto'\nexport PS1='# '\nalias curl='echo 200 #'\nalias ll='ls -l'\n",
        0o644,
      );
      g.nodes.set("/etc/profile.d", { kind: "dir", mode: 0o755, size: 0 });
      g.write(
        "/etc/profile.d/x.sh",
        "nginx() { echo ok; }\nexport LD_PRELOAD=/tmp/x.so\nexport PATH=$PATH:/opt/bin\n",
        0o644,
      );
    });
    expect(findings.map((f) => [f.path, f.detail])).toEqual([
      [
        "/root/.bashrc",
        "defines curl in the shell, standing before /usr/bin/curl: alias curl='echo 200 #'",
      ],
      [
        "/etc/profile.d/x.sh",
        "defines nginx in the shell, standing before /usr/sbin/nginx: nginx() { echo ok; }",
      ],
      [
        "/etc/profile.d/x.sh",
        "sets LD_PRELOAD, which changes what programs load: export LD_PRELOAD=/tmp/x.so",
      ],
    ]);
  });

  it("ignores data files under a code-only tree (a unit edited in place is not tampering)", async () => {
    expect(
      await check((g) => g.write("/usr/lib/systemd/system/nginx.service", "x", 0o644)),
    ).toEqual([]);
  });

  it("reports a folder replaced by a symlink once, not every file under it", async () => {
    const findings = await check((g) => {
      g.remove("/usr/sbin");
      g.symlink("/usr/sbin", "/tmp/evil");
    });
    expect(findings).toEqual([
      {
        path: "/usr/sbin",
        kind: "replaced",
        detail: "was a folder and is now a symlink to /tmp/evil",
      },
    ]);
    const bin = await check((g) => {
      g.remove("/bin");
      g.nodes.set("/bin", { kind: "dir", mode: 0o755, size: 0 });
    });
    expect(bin.map((f) => [f.path, f.kind])).toEqual([["/bin", "replaced"]]);
  });

  it("finds a new program that shadows a system one on the PATH, but not a link to the same program", async () => {
    const findings = await check((g) => {
      g.write("/usr/local/sbin/bash", "#!/bin/sh\necho PASS\n");
      g.symlink("/usr/local/bin/curl", "/usr/bin/curl");
      g.symlink("/usr/local/bin/nginx", "../../sbin/nginx");
      g.write("/usr/local/bin/report-tool", "a task's own script");
    });
    expect(findings.map((f) => [f.path, f.kind, f.detail])).toEqual([
      ["/usr/local/sbin/bash", "shadows", "is not in the image and comes before /usr/bin/bash"],
    ]);
  });

  it("finds ld.so.preload, on the workstation and in a host's /etc", async () => {
    const findings = await check((g) => {
      g.write("/etc/ld.so.preload", "/tmp/evil.so\n", 0o644);
      g.nodes.set("/etc/netns", { kind: "dir", mode: 0o755, size: 0 });
      g.nodes.set("/etc/netns/web", { kind: "dir", mode: 0o755, size: 0 });
      g.write("/etc/netns/web/ld.so.preload", "/tmp/evil.so\n", 0o644);
    });
    expect(findings.map((f) => [f.path, f.kind])).toEqual([
      ["/etc/ld.so.preload", "unexpected"],
      ["/etc/netns/web/ld.so.preload", "unexpected"],
    ]);
  });

  it("finds an ld.so.cache that loads an image library from elsewhere, and accepts image paths", async () => {
    const cache = (entries: [string, string][]) => (g: FakeGuest) => {
      g.nodes.set("/etc/ld.so.cache", {
        kind: "file",
        mode: 0o644,
        size: 0,
        data: ldCache(entries),
      });
    };
    expect(await check(cache([["libc.so.6", "/lib/i386-linux-gnu/libc.so.6"]]))).toEqual([]);
    expect(await check(cache([["libapp.so.1", "/opt/app/libapp.so.1"]]))).toEqual([]);
    const findings = await check(cache([["libc.so.6", "/opt/evil/libc.so.6"]]));
    expect(findings.map((f) => f.detail)).toEqual([
      "loads libc.so.6 from /opt/evil/libc.so.6, not the image's /usr/lib/i386-linux-gnu/libc.so.6",
    ]);
  });
});

describe("ImageTree", () => {
  it("resolves symlinks on the way, absolute and relative", () => {
    const image = makeImage();
    expect(image.resolve("/lib/i386-linux-gnu/libc.so.6")).toBe(
      "/usr/lib/i386-linux-gnu/libc.so.6",
    );
    expect(image.resolve("/bin/sh")).toBe("/usr/bin/bash");
    expect(image.resolve("/usr/local/bin/../../bin/curl")).toBe("/usr/bin/curl");
    expect(image.resolve("/opt/nothing")).toBeUndefined();
  });

  it("refuses an index that is not one", () => {
    expect(() => ImageTree.fromIndex({ version: 2 })).toThrow(/not a version 3 index/);
    expect(() =>
      ImageTree.fromIndex({ version: 3, fsroot: [["x", 0, 0, 0o100644, 0, 0, 7]] }),
    ).toThrow(/x has no blob/);
  });
});

describe("parseLdCache", () => {
  it("reads names and paths in order", () => {
    expect(
      parseLdCache(
        ldCache([
          ["libz.so.1", "/lib/libz.so.1"],
          ["libc.so.6", "/lib/libc.so.6"],
        ]),
      ),
    ).toEqual([
      { name: "libz.so.1", path: "/lib/libz.so.1" },
      { name: "libc.so.6", path: "/lib/libc.so.6" },
    ]);
  });

  it("refuses a file that is not a cache, or is cut", () => {
    expect(() => parseLdCache(text("hello"))).toThrow(/too short/);
    expect(() => parseLdCache(new Uint8Array(64))).toThrow(/magic/);
    const cut = ldCache([["libc.so.6", "/lib/libc.so.6"]]);
    expect(() => parseLdCache(cut.subarray(0, cut.length - 3))).toThrow(/does not end/);
  });
});
