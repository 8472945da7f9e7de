// Typed errors of the VM layer; each message says what happened and what to do.

export type VmErrorCode =
  | "boot-failed"
  | "unresponsive"
  | "agent-restarted"
  | "reset"
  | "destroyed"
  | "guest-op-failed"
  | "protocol"
  | "asset-missing";

export class VmError extends Error {
  constructor(
    readonly code: VmErrorCode,
    message: string,
  ) {
    super(message);
    this.name = "VmError";
  }
}

export class VmBootError extends VmError {
  constructor(message: string) {
    super("boot-failed", message);
    this.name = "VmBootError";
  }
}

export class VmUnresponsiveError extends VmError {
  constructor(what: string, waitedMs: number) {
    super(
      "unresponsive",
      `The VM did not answer ${what} within ${Math.round(waitedMs / 1000)} s: reset the VM to recover.`,
    );
    this.name = "VmUnresponsiveError";
  }
}

export class VmAgentRestartedError extends VmError {
  constructor() {
    super(
      "agent-restarted",
      "The guest agent restarted while the command ran (the command probably killed it): its result is lost; run it again.",
    );
    this.name = "VmAgentRestartedError";
  }
}

export class VmResetError extends VmError {
  constructor() {
    super("reset", "The VM was reset while the request was running.");
    this.name = "VmResetError";
  }
}

export class VmDestroyedError extends VmError {
  constructor() {
    super("destroyed", "The VM has been shut down; start a new one.");
    this.name = "VmDestroyedError";
  }
}

/** The guest agent ran the request and it failed there (for example, no such file). */
export class GuestOpError extends VmError {
  constructor(op: string, detail: string) {
    super("guest-op-failed", `${op} failed in the guest: ${detail}`);
    this.name = "GuestOpError";
  }
}

/** The guest agent answered outside the protocol (a reply that does not fit its request, an old agent). */
export class VmProtocolError extends VmError {
  constructor(message: string) {
    super("protocol", message);
    this.name = "VmProtocolError";
  }
}

export class VmAssetError extends VmError {
  constructor(what: string, detail: string) {
    super("asset-missing", `Could not load ${what}: ${detail}`);
    this.name = "VmAssetError";
  }
}
