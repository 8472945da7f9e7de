// Which addresses are the internet: a CIDR block admits the internet unless it lies in a non-public range.
import { cidrContains, parseCidr } from "../network/cidr";

/**
 * Ranges no internet host sends from (RFC 1918 private, shared, loopback, link-local, "this network").
 * NOTE: the documentation ranges (192.0.2.0/24, 198.51.100.0/24, 203.0.113.0/24) stand for the
 * internet in this simulation (public addresses are handed out from 198.51.100.0/24), so they count
 * as public.
 */
export const NON_PUBLIC_BLOCKS = [
  "0.0.0.0/8",
  "10.0.0.0/8",
  "100.64.0.0/10",
  "127.0.0.0/8",
  "169.254.0.0/16",
  "172.16.0.0/12",
  "192.168.0.0/16",
] as const;

const nonPublic = NON_PUBLIC_BLOCKS.map((block) => parseCidr(block));

/**
 * Whether a rule's CIDR source takes in any internet address: true unless the block lies wholly
 * inside one non-public range (aligned blocks cannot be a union of them without containing a public
 * one, so that test is exact). A group reference ("sg-…") is not the internet.
 */
export function admitsInternetSource(source: string): boolean {
  if (source.startsWith("sg-")) return false;
  const cidr = parseCidr(source, "source");
  return !nonPublic.some((block) => cidrContains(block, cidr));
}
