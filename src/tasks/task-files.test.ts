// Unit tests of building the task catalogue from in-memory files.
import { describe, expect, it } from "vitest";
import { cloudChecks } from "../cloud/queries";
import { catalogueFromFiles } from "./task-files";

const toml = (id: string) =>
  `id = "${id}"\ntitle = "T"\ndomain = "sysadmin"\ndifficulty = "easy"\nteaches = "x"\n`;

function folder(id: string, extra: Record<string, string> = {}) {
  const base = `/repo/tasks/sysadmin/${id}`;
  return {
    [`${base}/task.toml`]: toml(id),
    [`${base}/instruction.md`]: "Fix it.",
    [`${base}/setup.sh`]: "true",
    [`${base}/solution/solve.sh`]: "true",
    [`${base}/tests/check.sh`]: "echo PASS: x",
    ...Object.fromEntries(Object.entries(extra).map(([k, v]) => [`${base}/${k}`, v])),
  };
}

describe("catalogueFromFiles", () => {
  it("wants a cloud task's cloud.json and names its file", () => {
    const cloud = Object.fromEntries(
      Object.entries(folder("lb")).map(([k, v]) => [
        k.replace("/sysadmin/", "/cloud/"),
        v.replace('domain = "sysadmin"', 'domain = "cloud"'),
      ]),
    );
    expect(catalogueFromFiles(cloud).errors.map((e) => e.message)).toEqual([
      "tasks/cloud/lb/cloud.json: missing: every cloud task needs its initial cloud state",
    ]);
    const broken = { ...cloud, "/repo/tasks/cloud/lb/cloud.json": "{" };
    expect(catalogueFromFiles(broken).errors[0]?.message).toMatch(/^tasks\/cloud\/lb\/cloud.json/);
  });

  it("takes a cloud task's host checks from its modules, and names what is wrong with them", () => {
    const checks = cloudChecks(({ check }) => check(true, "fine"));
    const base = "/repo/tasks/cloud/lb";
    const cloud = Object.fromEntries(
      Object.entries(folder("lb", { "cloud.json": "{}", "tests/cloud-checks.ts": "…" })).map(
        ([k, v]) => [k.replace("/sysadmin/", "/cloud/"), v.replace('"sysadmin"', '"cloud"')],
      ),
    );
    const modules = { [`${base}/tests/cloud-checks.ts`]: checks };
    expect(catalogueFromFiles(cloud, modules).tasks[0]?.hostChecks).toBe(checks);
    // Its text too, for the teaching view (what each host-side check looks at).
    expect(catalogueFromFiles(cloud, modules).tasks[0]?.hostChecksSource).toBe("…");
    expect(catalogueFromFiles(cloud).errors.map((e) => e.message)).toEqual([
      "tasks/cloud/lb/tests/cloud-checks.ts: not loaded as a module (the loader imports it with the task)",
    ]);
    const wrong = { [`${base}/tests/cloud-checks.ts`]: () => [] };
    expect(catalogueFromFiles(cloud, wrong).errors[0]?.message).toMatch(
      /cloud-checks.ts: its default export must be cloudChecks/,
    );
    const noCloud = { ...folder("x", { "tests/cloud-checks.ts": "…" }) };
    const noCloudModules = { "/repo/tasks/sysadmin/x/tests/cloud-checks.ts": checks };
    expect(catalogueFromFiles(noCloud, noCloudModules).errors[0]?.message).toMatch(
      /x\/tests\/cloud-checks.ts: cloud checks read a control plane: the task needs cloud.json/,
    );
  });

  it("builds each task with its fixtures at their VM paths", () => {
    const { tasks, errors } = catalogueFromFiles({
      ...folder("b-task", { "files/etc/app.conf": "port=80\n" }),
      ...folder("a-task"),
    });
    expect(errors).toEqual([]);
    expect(tasks.map((t) => t.meta.id)).toEqual(["a-task", "b-task"]);
    expect(new TextDecoder().decode(tasks[1]!.files["/etc/app.conf"])).toBe("port=80\n");
  });

  it("reports a broken folder by file and field and still loads the others", () => {
    const broken = folder("broken");
    delete broken["/repo/tasks/sysadmin/broken/tests/check.sh"];
    const wrongId = {
      ...folder("wrong-id"),
      "/repo/tasks/sysadmin/wrong-id/task.toml": toml("other"),
    };
    const { tasks, errors } = catalogueFromFiles({ ...folder("good"), ...broken, ...wrongId });
    expect(tasks.map((t) => t.meta.id)).toEqual(["good"]);
    expect(errors.map((e) => e.message).sort()).toEqual([
      "tasks/sysadmin/broken/tests/check.sh: missing: every task needs this file",
      'tasks/sysadmin/wrong-id/task.toml: id: expected "wrong-id", the name of the task\'s folder',
    ]);
  });

  it("reads the wrong fixes, sorted, with the description from their first comment", () => {
    const { tasks, errors } = catalogueFromFiles(
      folder("fixes", {
        "tests/wrong/world-writable.sh":
          "#!/usr/bin/env bash\n# Wrong: chmod 777 the folder\nchmod 777 /x\n",
        "tests/wrong/as-root.sh": "# Wrong: run it as root\nsed -i s/app/root/ /x\n",
      }),
    );
    expect(errors).toEqual([]);
    expect(tasks[0]!.wrongFixes.map((f) => [f.name, f.description])).toEqual([
      ["as-root", "Wrong: run it as root"],
      ["world-writable", "Wrong: chmod 777 the folder"],
    ]);
    expect(tasks[0]!.wrongFixes[1]!.script).toContain("chmod 777 /x");
  });

  it("refuses a wrong fix that does not say what it does, or is badly named", () => {
    const silent = catalogueFromFiles(folder("silent", { "tests/wrong/x.sh": "chmod 777 /x\n" }));
    expect(silent.errors.map((e) => e.message)).toEqual([
      "tasks/sysadmin/silent/tests/wrong/x.sh: its first line (after the shebang) must be a comment saying what the wrong fix does and why it is wrong",
    ]);
    const named = catalogueFromFiles(folder("named", { "tests/wrong/Bad Name.txt": "# x\n" }));
    expect(named.errors[0]?.message).toMatch(/tests\/wrong\/<lower-case-name>\.sh$/);
  });
});
