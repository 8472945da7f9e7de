// A fake Vm for unit tests of the layers above: commands answered by a handler, files in a map.
import { VmDestroyedError } from "./errors";
import type { FileCheckSpec, FileFinding } from "./integrity/check-files";
import type { ChannelReport, ExecOptions, ExecResult, HostCallHandler, Vm, VmConsole } from "./vm";

export interface FakeCommandResult {
  exitCode?: number;
  stdout?: string;
  stderr?: string;
  timedOut?: boolean;
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
    durationMs: r.durationMs ?? 1,
    cwd,
  };
}

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

  async exec(command: string, options: ExecOptions = {}): Promise<ExecResult> {
    if (this.destroyed) throw new VmDestroyedError();
    this.commands.push({ command, options });
    return execResult(await this.handler(command, options), options.cwd);
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

  /** What channelReport() says (a trusted, quiet channel unless a test says otherwise). */
  channel: ChannelReport = { trusted: true, alarms: [], counts: {} };
  /** Sessions killed, in order. */
  readonly killedSessions: string[] = [];

  killSession(session: string): Promise<{ remaining: number }> {
    this.killedSessions.push(session);
    return Promise.resolve({ remaining: 0 });
  }

  syncFiles(): Promise<void> {
    return Promise.resolve();
  }

  channelReport(): ChannelReport {
    return this.channel;
  }

  checkFiles(spec: FileCheckSpec): Promise<FileFinding[]> {
    this.fileChecks.push(spec);
    return Promise.resolve(this.fileFindings);
  }

  saveState(): Promise<ArrayBuffer> {
    return Promise.resolve(new ArrayBuffer(0));
  }

  restoreState(): Promise<void> {
    return Promise.resolve();
  }

  reset(): Promise<void> {
    this.files.clear();
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
