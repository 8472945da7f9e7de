// Unit tests of approval mode on a terminal: the flags, the answers typed, and a person editing a command and a file at the prompt.
import { PassThrough } from "node:stream";
import { describe, expect, it } from "vitest";
import type { ApprovalRequest } from "../domain/approval";
import { chooseApproval, readAnswer, terminalApprover } from "./terminal-approver";

describe("chooseApproval", () => {
  it("reads the flags into a setting, with the default time-out", () => {
    expect(chooseApproval({ autoApprove: [] })).toEqual({ setting: undefined });
    expect(chooseApproval({ approve: "every", autoApprove: ["read-only", "read-only"] })).toEqual({
      setting: { mode: "every", autoApprove: ["read-only"], timeoutSeconds: 120 },
    });
    expect(chooseApproval({ approve: "unjudged", autoApprove: [], timeout: "0" })).toEqual({
      setting: { mode: "unjudged", autoApprove: [], timeoutSeconds: 0 },
    });
  });

  it.each([
    [{ approve: "always", autoApprove: [] }, /--approve is every or unjudged/],
    [{ approve: "every", autoApprove: ["safe"] }, /--auto-approve is read-only or policy-allow/],
    [{ approve: "every", autoApprove: [], timeout: "soon" }, /--approval-timeout: .*NaN/],
    [{ autoApprove: ["read-only"] }, /go with --approve/],
  ])("refuses %j, saying what to write", (flags, message) => {
    expect(chooseApproval(flags)).toEqual({ error: expect.stringMatching(message) });
  });
});

describe("readAnswer", () => {
  it.each([
    ["y", { decision: "approve" }],
    [" YES ", { decision: "approve" }],
    ["e", "edit"],
    ["n", { decision: "reject" }],
    ["n  not in work hours ", { decision: "reject", message: "not in work hours" }],
    ["maybe", null],
    ["", null],
  ])("reads %j", (line, answer) => {
    expect(readAnswer(line)).toEqual(answer);
  });
});

describe("terminalApprover", () => {
  const request = (input: ApprovalRequest["input"]): ApprovalRequest => ({
    step: 2,
    callId: "c",
    input,
    asked: { because: "every" },
    timeoutSeconds: 60,
  });
  /** Types one line at each prompt (output ending in ": " or "| "). */
  function typist(lines: string[]) {
    const input = new PassThrough();
    const output = new PassThrough();
    let shown = "";
    output.on("data", (chunk: Buffer) => {
      shown += chunk.toString();
      if (!/(: |\| )$/.test(chunk.toString())) return;
      const next = lines.shift();
      if (next !== undefined) setTimeout(() => input.write(`${next}\n`), 1);
    });
    return { input, output, shown: () => shown };
  }

  it("asks again until it reads an answer, then edits the command as typed", async () => {
    const t = typist(["", "what", "e", "", "e", "systemctl reload nginx"]);
    const { approve, close } = terminalApprover(t.input, t.output);
    const answer = await approve(
      request({ tool: "run_command", command: "systemctl restart nginx" }),
      new AbortController().signal,
    );
    close();
    expect(answer).toEqual({ decision: "edit", text: "systemctl reload nginx" });
    expect(t.shown()).toContain("$ systemctl restart nginx");
    expect(t.shown()).toContain("rejected in 60 s");
  });

  it("reads a file's new text up to a lone dot", async () => {
    const t = typist(["e", "listen 80;", "server_name x;", "."]);
    const { approve, close } = terminalApprover(t.input, t.output);
    const answer = await approve(
      request({ tool: "write_file", path: "/etc/nginx/x", content: "listen 8080;\n" }),
      new AbortController().signal,
    );
    close();
    expect(answer).toEqual({ decision: "edit", text: "listen 80;\nserver_name x;\n" });
  });

  it("stops asking when the loop no longer wants the answer", async () => {
    const t = typist([]);
    const { approve, close } = terminalApprover(t.input, t.output);
    const controller = new AbortController();
    const asking = approve(request({ tool: "run_command", command: "ls" }), controller.signal);
    controller.abort();
    await expect(asking).rejects.toThrow();
    close();
  });
});
