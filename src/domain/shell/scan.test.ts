// Unit tests of scanLine: what shell-quote cannot read is taken out of a line, and the rest reads right.
import { describe, expect, it } from "vitest";
import { HEREDOC_FILE, PROCESS_FILE, SUBSTITUTION_WORD, scanLine } from "./scan";

describe("scanLine", () => {
  it("takes out command substitutions, nested ones whole, in and out of double quotes", () => {
    const scan = scanLine("echo $(echo $(id)) \"at `date`\" '$(not)'");
    expect(scan.substitutions).toEqual(["echo $(id)", "date"]);
    expect(scan.flat).toBe(`echo ${SUBSTITUTION_WORD} "at ${SUBSTITUTION_WORD}" '$(not)'`);
  });

  it("makes process substitutions a file and arithmetic a number, keeping what runs inside", () => {
    expect(scanLine("diff <(ls a) >(cat)")).toMatchObject({
      flat: `diff ${PROCESS_FILE} ${PROCESS_FILE}`,
      substitutions: ["ls a", "cat"],
    });
    expect(scanLine("x=$((1 + $(id -u)))")).toMatchObject({
      flat: "x=0",
      substitutions: ["id -u"],
    });
  });

  it("ends a command at a line break, drops comments and joins continued lines", () => {
    expect(scanLine("ls # rm -rf /\nrm x").flat).toBe("ls  ; rm x");
    expect(scanLine("ls \\\n -l").flat).toBe("ls  -l");
  });

  it("takes here-doc bodies out, saying whether they expand, and reads here-strings as input", () => {
    const scan = scanLine("cat <<'A' > /tmp/a\n$(x)\nA\nbash <<-B\n\trm -rf /\n\tB\nls");
    expect(scan.heredocs).toEqual([
      { body: "$(x)", expands: false },
      { body: "\trm -rf /", expands: true },
    ]);
    expect(scan.flat).toContain(`< ${HEREDOC_FILE}`);
    expect(scan.flat).toMatch(/; ls$/);
    expect(scanLine("bash <<< 'ls'").flat).toContain(`< ${HEREDOC_FILE}`);
  });

  it("reads &> and >| as writes", () => {
    expect(scanLine("a &> f").flat).toBe("a  >  f");
    expect(scanLine("a &>> f").flat).toBe("a  >>  f");
    expect(scanLine("a >| f").flat).toBe("a  >  f");
  });

  it("says what it cannot read", () => {
    expect(scanLine("echo 'open").problem).toMatch(/single quote/);
    expect(scanLine("echo $(open").problem).toMatch(/never closed/);
    expect(scanLine("echo `open").problem).toMatch(/backtick/);
    expect(scanLine("cat <<").problem).toMatch(/delimiter/);
  });
});
