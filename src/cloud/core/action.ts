// What an API action is: its permission, parameters (which the CLI turns into flags), resource and handler.
import { invalidParameter, missingParameter } from "./errors";
import type { CloudState, Policy } from "./model";

export interface Caller {
  /** "user/alice" or "role/deployer". */
  principal: string;
  /** The policies that apply. */
  policies: Policy[];
}

export interface ActionContext {
  state: CloudState;
  caller: Caller;
  region: string;
}

export type ParamValue = string | number | boolean | string[] | Record<string, string>;
export type Params = Record<string, ParamValue | undefined>;

export interface ParamSpec {
  kind: "string" | "int" | "bool" | "list" | "map";
  help: string;
  required?: boolean;
  /** Given without a flag, as the command's argument (at most one per action). */
  positional?: boolean;
}

export interface ActionDef {
  /** The API's name for it, e.g. "RunInstances". */
  name: string;
  /** "<service>:<name>", checked against the caller's policies. */
  permission: string;
  /** CLI words: `cloud <group> <verb>`. */
  group: string;
  verb: string;
  summary: string;
  params: Record<string, ParamSpec>;
  /** The resource the call acts on, e.g. "instance/i-0abc…" or "instance/*" for creation and lists. */
  resource(params: Params): string;
  run(ctx: ActionContext, params: Params): unknown;
  /** Columns of the table output when the result is a list ({ items }). */
  columns?: string[];
}

export function str(params: Params, name: string): string {
  const value = params[name];
  if (value === undefined || value === "") throw missingParameter(name);
  if (typeof value !== "string") throw invalidParameter(`${name} must be a string`);
  return value;
}

export function optStr(params: Params, name: string): string | undefined {
  return params[name] === undefined ? undefined : str(params, name);
}

export function int(params: Params, name: string, fallback?: number): number {
  const value = params[name];
  if (value === undefined) {
    if (fallback === undefined) throw missingParameter(name);
    return fallback;
  }
  if (typeof value !== "number" || !Number.isInteger(value)) {
    throw invalidParameter(
      `Value (${String(value)}) for parameter ${name} is invalid: expected an integer`,
    );
  }
  return value;
}

export function bool(params: Params, name: string): boolean {
  return params[name] === true;
}

export function list(params: Params, name: string, required = false): string[] {
  const value = params[name];
  if (value === undefined) {
    if (required) throw missingParameter(name);
    return [];
  }
  return Array.isArray(value) ? value : [String(value)];
}

export function map(params: Params, name: string): Record<string, string> {
  const value = params[name];
  if (value === undefined) return {};
  if (typeof value !== "object" || Array.isArray(value))
    throw invalidParameter(`${name} must be KEY=VALUE pairs`);
  return value;
}

/** The ISO time of a simulated instant, for output. */
export const iso = (ms: number): string => new Date(ms).toISOString();
