// The `cloud` program, host-side: a request from the guest (argv and identity) in, stdout, stderr and exit code out.
import type { CloudControlPlane, Credentials } from "../core/control-plane";
import { search, type JSONValue } from "@jmespath-community/jmespath";
import { formatResult } from "./format";
import { parseArgv } from "./parse";

export const EXIT_OK = 0;
/** The cloud refused or failed the call (its error code is printed). */
export const EXIT_API_ERROR = 1;
export const EXIT_USAGE = 2;

/** What the in-VM `cloud` program sends. */
export interface CliRequest {
  argv: string[];
  profile?: string;
  credentials?: { accessKeyId: string; secretAccessKey: string };
  role?: string;
  region?: string;
}

export interface CliResponse {
  stdout: string;
  stderr: string;
  exitCode: number;
}

/**
 * Runs one `cloud` command against the control plane. `credentials` is who the caller is,
 * already decided by the host (the keys from the request).
 */
export function runCli(
  plane: CloudControlPlane,
  request: CliRequest,
  credentials: Credentials | undefined,
): CliResponse {
  const parsed = parseArgv(request.argv);
  if (parsed.kind === "help") return { stdout: parsed.text, stderr: "", exitCode: EXIT_OK };
  if (parsed.kind === "usage-error") {
    return {
      stdout: "",
      stderr: `${parsed.usage}\ncloud: error: ${parsed.message}\n`,
      exitCode: EXIT_USAGE,
    };
  }
  const region = parsed.region ?? request.region;
  const result = plane.call({
    credentials,
    action: parsed.action.name,
    params: parsed.params,
    ...(region ? { region } : {}),
  });
  if (!result.ok) {
    return {
      stdout: "",
      stderr: `An error occurred (${result.error.code}) when calling the ${parsed.action.name} operation: ${result.error.message}\n`,
      exitCode: EXIT_API_ERROR,
    };
  }
  // NOTE: --query selects from the result as JSON shows it (the shape `-o json` prints), so an
  // expression tried on JSON output works the same with the other formats.
  const shown =
    parsed.query === undefined
      ? result.result
      : search(JSON.parse(JSON.stringify(result.result)) as JSONValue, parsed.query);
  return {
    stdout: formatResult(
      shown,
      parsed.output,
      parsed.query === undefined ? parsed.action.columns : undefined,
    ),
    stderr: "",
    exitCode: EXIT_OK,
  };
}
