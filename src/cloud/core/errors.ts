// Errors of the simulated cloud API: a code and a message in the style of real cloud APIs.

/** How an error reads on the wire: like an HTTP status, so callers can tell a refusal from a fault. */
export type CloudErrorStatus = 400 | 401 | 403 | 404 | 409 | 429;

export class CloudError extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly status: CloudErrorStatus = 400,
  ) {
    super(message);
    this.name = "CloudError";
  }
}

export const notFound = (code: string, what: string, id: string): CloudError =>
  new CloudError(code, `The ${what} '${id}' does not exist`, 404);

export const invalidParameter = (message: string): CloudError =>
  new CloudError("InvalidParameterValue", message, 400);

export const missingParameter = (name: string): CloudError =>
  new CloudError("MissingParameter", `The request must contain the parameter ${name}`, 400);

export const dependencyViolation = (id: string, detail: string): CloudError =>
  new CloudError("DependencyViolation", `resource ${id} has a dependent object: ${detail}`, 409);

export const incorrectState = (code: string, message: string): CloudError =>
  new CloudError(code, message, 409);

export const alreadyExists = (what: string, name: string): CloudError =>
  new CloudError("ResourceAlreadyExists", `A ${what} named '${name}' already exists`, 409);
