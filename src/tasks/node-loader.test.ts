// Unit tests of reading task folders: a broken folder is reported by name and the others still load.
import { mkdir, mkdtemp, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { describe, expect, it } from "vitest";
import { loadCatalogue } from "./node-loader";

async function writeTask(
  root: string,
  slug: string,
  toml: string,
  withCheck = true,
): Promise<void> {
  const dir = join(root, "sysadmin", slug);
  await mkdir(join(dir, "solution"), { recursive: true });
  await mkdir(join(dir, "tests"), { recursive: true });
  await mkdir(join(dir, "files/etc"), { recursive: true });
  await writeFile(join(dir, "task.toml"), toml);
  await writeFile(join(dir, "instruction.md"), "Fix it.\n");
  await writeFile(join(dir, "setup.sh"), "true\n");
  await writeFile(join(dir, "solution/solve.sh"), "true\n");
  await writeFile(join(dir, "files/etc/motd"), "hello\n");
  if (withCheck) await writeFile(join(dir, "tests/check.sh"), "echo PASS: ok\n");
}

const toml = (id: string): string =>
  `id = "${id}"\ntitle = "T"\ndomain = "sysadmin"\ndifficulty = "easy"\nteaches = "x"\n`;

describe("loadCatalogue", () => {
  it("loads good folders, with fixtures, and names what is wrong with the broken ones", async () => {
    const root = await mkdtemp(join(tmpdir(), "opslab-tasks-"));
    await writeTask(root, "good-task", toml("good-task"));
    await writeTask(root, "no-grader", toml("no-grader"), false);
    await writeTask(root, "bad-domain", toml("bad-domain").replace('"sysadmin"', '"dba"'));
    const { tasks, errors } = await loadCatalogue(root);
    expect(tasks.map((t) => t.meta.id)).toEqual(["good-task"]);
    expect(new TextDecoder().decode(tasks[0]?.files["/etc/motd"])).toBe("hello\n");
    const messages = errors.map((e) => e.message).sort();
    expect(messages[0]).toMatch(/bad-domain\/task.toml: domain: /);
    expect(messages[1]).toMatch(/no-grader\/tests\/check.sh: missing/);
  });

  it("reads a cloud task's cloud.json and names the field of a broken one", async () => {
    const root = await mkdtemp(join(tmpdir(), "opslab-tasks-"));
    const cloudToml = (id: string) => toml(id).replace('"sysadmin"', '"cloud"');
    await writeTask(root, "good-cloud", cloudToml("good-cloud"));
    await writeFile(join(root, "sysadmin/good-cloud/cloud.json"), '{"seed": 3}');
    await writeTask(root, "bad-cloud", cloudToml("bad-cloud"));
    await writeFile(
      join(root, "sysadmin/bad-cloud/cloud.json"),
      '{"subnets": [{"name": "s", "network": "nope", "zone": "eu-west-1a", "cidr": "10.0.0.0/24"}]}',
    );
    await writeTask(root, "no-cloud", cloudToml("no-cloud"));
    const { tasks, errors } = await loadCatalogue(root);
    expect(tasks.map((t) => [t.meta.id, t.cloudJson])).toEqual([["good-cloud", '{"seed": 3}']]);
    expect(errors.map((e) => e.message).sort()).toEqual([
      expect.stringMatching(
        /bad-cloud\/cloud.json: subnets\[0\].network: no network 'nope' in this file$/,
      ),
      expect.stringMatching(/no-cloud\/cloud.json: missing: every cloud task needs/),
    ]);
  });

  it("imports a cloud task's tests/cloud-checks.ts, and says when it does not load", async () => {
    const root = await mkdtemp(join(tmpdir(), "opslab-tasks-"));
    const queries = resolve(import.meta.dirname, "../cloud/queries/index.ts");
    const cloudToml = (id: string) => toml(id).replace('"sysadmin"', '"cloud"');
    for (const [id, module] of [
      [
        "checked",
        `import { cloudChecks } from "${queries}";\nexport default cloudChecks(({ check }) => check(true, "ok"));\n`,
      ],
      ["broken", "export default {;\n"],
    ] as const) {
      await writeTask(root, id, cloudToml(id));
      await writeFile(join(root, `sysadmin/${id}/cloud.json`), "{}");
      await writeFile(join(root, `sysadmin/${id}/tests/cloud-checks.ts`), module);
    }
    const { tasks, errors } = await loadCatalogue(root);
    expect(tasks.map((t) => [t.meta.id, t.hostChecks?.kind])).toEqual([["checked", "cloud"]]);
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringMatching(/broken\/tests\/cloud-checks.ts: does not load: /),
    ]);
  });
});
