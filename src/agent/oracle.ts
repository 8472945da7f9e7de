// The oracle agent: plays a task's reference solution through the loop, so runs work without a key.
import { ScriptedClient } from "./scripted-client";

/** Where the oracle puts the solution; it removes it when done. */
const ORACLE_SCRIPT = "/root/.oracle-solve.sh";

export function createOracleClient(solutionScript: string): ScriptedClient {
  return new ScriptedClient(
    [
      {
        text: "I am the oracle: I play the task's reference solution.",
        toolCalls: [{ name: "write_file", args: { path: ORACLE_SCRIPT, content: solutionScript } }],
      },
      {
        text: "Running it.",
        toolCalls: [
          {
            name: "run_command",
            args: { command: `bash ${ORACLE_SCRIPT}; rc=$?; rm -f ${ORACLE_SCRIPT}; exit $rc` },
          },
        ],
      },
      (request) => {
        const last = request.messages.at(-1);
        const ok = last?.role === "tool" && last.content.startsWith("exit code: 0");
        return {
          text: ok ? "The solution ran cleanly." : "The solution failed.",
          toolCalls: [
            {
              name: "finish",
              args: {
                summary: ok
                  ? "Played the reference solution."
                  : "The reference solution failed; see its output.",
              },
            },
          ],
        };
      },
    ],
    "oracle",
  );
}
