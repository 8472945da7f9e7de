// Typed errors of task loading and running; each names the file and says what was expected.

export class TaskLoadError extends Error {
  constructor(
    readonly file: string,
    readonly field: string | undefined,
    readonly expected: string,
  ) {
    super(`${file}${field ? `: ${field}` : ""}: ${expected}`);
    this.name = "TaskLoadError";
  }
}

export class TaskRunError extends Error {
  constructor(
    readonly step: "fixtures" | "network" | "setup" | "solution" | "wrong-fix" | "check",
    message: string,
  ) {
    super(message);
    this.name = "TaskRunError";
  }
}
