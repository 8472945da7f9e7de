// A fake Vm for unit tests of the layers above: commands answered by a handler, files in a map.
import { VmDestroyedError } from "./errors";
import type { FileCheckSpec, FileFinding } from "./integrity/check-files";
import {
  quietChannelReport,
  type ChannelReport,
  type ExecOptions,
  type ExecResult,
  type HostCallHandler,
  type Vm,
  type VmConsole,
} from "./vm";

export interface FakeCommandResult {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  timedOut?: boolean;
  cancelled?: boolean;
  durationMs?: number;
}

export type FakeCommandHandler = (
  command: string,
  options: ExecOptions,
) => FakeCommandResult | Promise<FakeCommandResult>;

const encoder = new TextEncoder();
/** What a fake guest's /proc/self/mountinfo says unless a test writes its own: the 9p root alone. */
export const FAKE_MOUNTINFO = "13 1 0:12 / / rw,relatime shared:1 - 9p host9p rw\n";

/** A whole ExecResult from the parts a test cares about (exit 0, no output, 1 ms otherwise). */
export function execResult(r: FakeCommandResult = {}, cwd = "/root"): ExecResult {
  const stdout = r.stdout ?? "";
  const stderr = r.stderr ?? "";
  return {
    exitCode: r.exitCode ?? 0,
    stdout,
    stderr,
    raw: { stdout: encoder.encode(stdout), stderr: encoder.encode(stderr) },
    stdoutTotalBytes: encoder.encode(stdout).length,
    stderrTotalBytes: encoder.encode(stderr).length,
    stdoutTruncated: false,
    stderrTruncated: false,
    timedOut: r.timedOut ?? false,
    cancelled: r.cancelled ?? false,
    durationMs: r.durationMs ?? 1,
    cwd,
  };
}

/** Exit code of a command cancelled through ExecOptions.signal, as the guest agent gives it. */
const CANCELLED_EXIT_CODE = 130;

/** NOTE: for unit tests only; integration tests always drive the real VM. */
export class FakeVm implements Vm {
  readonly files = new Map<string, Uint8Array>();
  readonly commands: { command: string; options: ExecOptions }[] = [];
  /** What checkFiles() finds (nothing unless a test says so), and the specs it was asked with. */
  fileFindings: FileFinding[] = [];
  readonly fileChecks: FileCheckSpec[] = [];
  /** Host-call handlers by service, for tests to call as a guest program would. */
  readonly hostCallHandlers = new Map<string, HostCallHandler>();
  private destroyed = false;

  constructor(private readonly handler: FakeCommandHandler = () => ({})) {}

  /** Sessions killed with killSession(), in order. */
  readonly killedSessions: string[] = [];
  /** What killSession() says is left. */
  remainingAfterKill = 0;
  syncs = 0;
  /** What channelReport() returns; tests may replace it. */
  report: ChannelReport = quietChannelReport();

  /** NOTE: an aborted signal ends the command at once with a cancelled result, as the agent would. */
  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.destroyed) throw new VmDestroyedError();
    this.commands.push({ command, options });
    const { signal } = options;
    const cancelled = execResult({ exitCode: CANCELLED_EXIT_CODE, cancelled: true }, options.cwd);
    if (signal?.aborted) return cancelled;
    let onAbort = (): void => {};
    const aborted = new Promise<ExecResult>((resolve) => {
      onAbort = () => resolve(cancelled);
      signal?.addEventListener("abort", onAbort, { once: true });
    });
    try {
      const ran = Promise.resolve(this.handler(command, options)).then((r) =>
        execResult(r, options.cwd),
      );
      return await (signal ? Promise.race([ran, aborted]) : ran);
    } finally {
      signal?.removeEventListener("abort", onAbort);
    }
  }

  killSession(session: string): Promise<{ remaining: number }> {
    if (this.destroyed) return Promise.reject(new VmDestroyedError());
    this.killedSessions.push(session);
    return Promise.resolve({ remaining: this.remainingAfterKill });
  }

  syncFiles(): Promise<void> {
    if (this.destroyed) return Promise.reject(new VmDestroyedError());
    this.syncs++;
    return Promise.resolve();
  }

  channelReport(): ChannelReport {
    return this.report;
  }

  writeFile(path: string, data: string | Uint8Array): Promise<void> {
    if (this.destroyed) return Promise.reject(new VmDestroyedError());
    this.files.set(path, typeof data === "string" ? encoder.encode(data) : data);
    return Promise.resolve();
  }

  readFile(path: string): Promise<Uint8Array> {
    const data =
      this.files.get(path) ??
      (path === "/proc/self/mountinfo" ? encoder.encode(FAKE_MOUNTINFO) : undefined);
    return data ? Promise.resolve(data) : Promise.reject(new Error(`no such file: ${path}`));
  }

  checkFiles(spec: FileCheckSpec): Promise<FileFinding[]> {
    this.fileChecks.push(spec);
    return Promise.resolve(this.fileFindings);
  }

  saveState(): Promise<ArrayBuffer> {
    return Promise.resolve(new ArrayBuffer(0));
  }

  /** NOTE: a restore or a reset starts a new channel report, as in the real VM. */
  restoreState(): Promise<void> {
    this.report = quietChannelReport();
    return Promise.resolve();
  }

  reset(): Promise<void> {
    this.files.clear();
    this.report = quietChannelReport();
    return Promise.resolve();
  }

  destroy(): Promise<void> {
    this.destroyed = true;
    return Promise.resolve();
  }

  handleHostCalls(service: string, handler: HostCallHandler): () => void {
    this.hostCallHandlers.set(service, handler);
    return () => {
      if (this.hostCallHandlers.get(service) === handler) this.hostCallHandlers.delete(service);
    };
  }

  readonly console: VmConsole = { onData: () => () => {}, write: () => {} };
}
