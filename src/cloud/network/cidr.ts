// IPv4 addresses and CIDR blocks as numbers: parsing, containment, overlap, allocation.
import { invalidParameter } from "../core/errors";

export interface Cidr {
  base: number;
  prefix: number;
}

export function parseIp(text: string): number | undefined {
  const parts = text.split(".");
  if (parts.length !== 4) return undefined;
  let value = 0;
  for (const part of parts) {
    if (!/^\d{1,3}$/.test(part) || Number(part) > 255) return undefined;
    value = value * 256 + Number(part);
  }
  return value;
}

export function formatIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => Math.floor(value / 2 ** shift) % 256).join(".");
}

/** Parses "10.0.1.0/24"; throws InvalidParameterValue naming the parameter when it is not one. */
export function parseCidr(text: string, param = "CidrBlock"): Cidr {
  const [ip, bits] = text.split("/");
  const base = parseIp(ip ?? "");
  const prefix = Number(bits);
  if (base === undefined || !/^\d{1,2}$/.test(bits ?? "") || prefix > 32) {
    throw invalidParameter(
      `Value (${text}) for parameter ${param} is invalid. This is not a valid CIDR block.`,
    );
  }
  const size = 2 ** (32 - prefix);
  if (base % size !== 0) {
    throw invalidParameter(
      `Value (${text}) for parameter ${param} is invalid. The host bits must be zero (did you mean ${formatIp(base - (base % size))}/${prefix}?).`,
    );
  }
  return { base, prefix };
}

export const cidrSize = (cidr: Cidr): number => 2 ** (32 - cidr.prefix);

export function cidrContainsIp(cidr: Cidr, ip: number): boolean {
  return ip >= cidr.base && ip < cidr.base + cidrSize(cidr);
}

export function cidrContains(outer: Cidr, inner: Cidr): boolean {
  return inner.prefix >= outer.prefix && cidrContainsIp(outer, inner.base);
}

export function cidrsOverlap(a: Cidr, b: Cidr): boolean {
  return cidrContainsIp(a, b.base) || cidrContainsIp(b, a.base);
}
