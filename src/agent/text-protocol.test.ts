// Unit tests of the plain-text protocol's reply parsing.
import { describe, expect, it } from "vitest";
import { parseTextReply } from "./text-protocol";

describe("parseTextReply", () => {
  it("takes the last fenced command of a reply", () => {
    const reply = "First\n```bash\nls /\n```\nthen\n```\ncat /etc/hostname\n```\n";
    expect(parseTextReply(reply, "s1")).toEqual({
      id: "s1",
      name: "run_command",
      argumentsJson: JSON.stringify({ command: "cat /etc/hostname" }),
    });
  });

  it("reads FINISH with its summary, and nothing from a reply without either", () => {
    expect(parseTextReply("Done.\nFINISH: restarted nginx", "s2")).toMatchObject({
      name: "finish",
      argumentsJson: JSON.stringify({ summary: "restarted nginx" }),
    });
    expect(parseTextReply("I think the problem is DNS.", "s3")).toBeNull();
  });
});
