// A saved machine state as a delta against the base state: its 4 KiB blocks found in the base are references.
//
// A v86 state (format 6) is a 16-byte header, a JSON info block and its buffers (memory packed as its
// non-zero pages, the 9p files, devices). A task's state shares most of its memory pages and files
// with the base it was readied from, though often at other offsets (a page that became non-zero
// shifts the packed pages after it), so blocks are matched by content, not by position.

/** v86's state magic and the one format version these deltas understand. */
const V86_STATE_MAGIC = 0x86768676;
const V86_STATE_VERSION = 6;
const V86_HEADER_BYTES = 16;
/** The delta's magic ("OLSD", little-endian) and format version. */
const DELTA_MAGIC = 0x44534c4f;
const DELTA_VERSION = 1;
const DELTA_HEADER_BYTES = 12;
/** Bytes per block: the guest's page size, so that packed memory pages line up. */
export const STATE_BLOCK_BYTES = 4096;

export class StateDeltaError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StateDeltaError";
  }
}

/** Where a state's buffers lie (absolute byte ranges, in order). */
export interface StateLayout {
  buffers: { start: number; length: number }[];
}

/** Reads the layout of an uncompressed v86 state; throws StateDeltaError when it is not one. */
export function stateLayout(state: Uint8Array): StateLayout {
  if (state.byteLength < V86_HEADER_BYTES) throw new StateDeltaError("the state is truncated");
  const view = new DataView(state.buffer, state.byteOffset, state.byteLength);
  if (view.getUint32(0, true) !== V86_STATE_MAGIC)
    throw new StateDeltaError("not an uncompressed v86 state (wrong magic)");
  if (view.getInt32(4, true) !== V86_STATE_VERSION)
    throw new StateDeltaError(`v86 state format ${view.getInt32(4, true)}, not 6`);
  if (view.getInt32(8, true) !== state.byteLength)
    throw new StateDeltaError("the state's length does not match its header (truncated?)");
  const infoBytes = view.getInt32(12, true);
  if (infoBytes < 0 || V86_HEADER_BYTES + infoBytes > state.byteLength)
    throw new StateDeltaError("the state's info block runs past its end");
  let info: unknown;
  try {
    info = JSON.parse(
      new TextDecoder().decode(state.subarray(V86_HEADER_BYTES, V86_HEADER_BYTES + infoBytes)),
    );
  } catch {
    throw new StateDeltaError("the state's info block is not JSON");
  }
  const infos = (info as { buffer_infos?: unknown }).buffer_infos;
  if (!Array.isArray(infos)) throw new StateDeltaError("the state's info block lists no buffers");
  // NOTE: v86 aligns the buffer block to 4 bytes after the info block.
  const blockStart = (V86_HEADER_BYTES + infoBytes + 3) & ~3;
  let end = blockStart;
  const buffers = infos.map((entry: unknown) => {
    const { offset, length } = entry as { offset?: unknown; length?: unknown };
    if (!Number.isInteger(offset) || !Number.isInteger(length))
      throw new StateDeltaError("a buffer of the state has no offset or length");
    const start = blockStart + (offset as number);
    if (start < end || start + (length as number) > state.byteLength)
      throw new StateDeltaError("the state's buffers overlap or run past its end");
    end = start + (length as number);
    return { start, length: length as number };
  });
  return { buffers };
}

/** A block's content as a map key: FNV-1a over its 32-bit words (collisions are checked byte by byte). */
function blockHash(words: Uint32Array): number {
  let hash = 0x811c9dc5;
  for (let i = 0; i < words.length; i++) hash = Math.imul(hash ^ words[i]!, 0x01000193);
  return hash >>> 0;
}

/** The full blocks of the base's buffers, in order: a delta refers to them by index. */
function baseBlocks(base: Uint8Array): number[] {
  const starts: number[] = [];
  for (const { start, length } of stateLayout(base).buffers)
    for (let at = start; at + STATE_BLOCK_BYTES <= start + length; at += STATE_BLOCK_BYTES)
      starts.push(at);
  return starts;
}

function blockWords(bytes: Uint8Array, at: number): Uint32Array {
  // NOTE: a copy when unaligned (a buffer starts on a 4-byte boundary, so only in a misaligned view).
  const absolute = bytes.byteOffset + at;
  return absolute % 4 === 0
    ? new Uint32Array(bytes.buffer, absolute, STATE_BLOCK_BYTES / 4)
    : new Uint32Array(bytes.slice(at, at + STATE_BLOCK_BYTES).buffer);
}

function sameBlock(a: Uint8Array, aAt: number, b: Uint8Array, bAt: number): boolean {
  const x = blockWords(a, aAt);
  const y = blockWords(b, bAt);
  for (let i = 0; i < x.length; i++) if (x[i] !== y[i]) return false;
  return true;
}

/**
 * The delta (uncompressed) that rebuilds `state` from `base`: a header, one op per full block of
 * the state's buffers (0: literal, k + 1: the base's block k) and the literal bytes (everything
 * outside those blocks, and the blocks not found in the base), in the state's byte order.
 */
export function encodeStateDelta(base: Uint8Array, state: Uint8Array): Uint8Array {
  const starts = baseBlocks(base);
  const index = new Map<number, number[]>();
  starts.forEach((at, k) => {
    const hash = blockHash(blockWords(base, at));
    const list = index.get(hash);
    if (list) list.push(k);
    else index.set(hash, [k]);
  });
  const ops: number[] = [];
  const literals: Uint8Array[] = [];
  let copied = 0;
  for (const { start, length } of stateLayout(state).buffers) {
    literals.push(state.subarray(copied, start));
    copied = start;
    for (let at = start; at + STATE_BLOCK_BYTES <= start + length; at += STATE_BLOCK_BYTES) {
      const candidates = index.get(blockHash(blockWords(state, at))) ?? [];
      const found = candidates.find((k) => sameBlock(base, starts[k]!, state, at));
      ops.push(found === undefined ? 0 : found + 1);
      if (found === undefined) literals.push(state.subarray(at, at + STATE_BLOCK_BYTES));
      copied = at + STATE_BLOCK_BYTES;
    }
  }
  literals.push(state.subarray(copied));
  const literalBytes = literals.reduce((sum, part) => sum + part.byteLength, 0);
  const out = new Uint8Array(DELTA_HEADER_BYTES + ops.length * 4 + literalBytes);
  const view = new DataView(out.buffer);
  view.setUint32(0, DELTA_MAGIC, true);
  view.setUint32(4, DELTA_VERSION, true);
  view.setUint32(8, ops.length, true);
  ops.forEach((op, i) => view.setUint32(DELTA_HEADER_BYTES + i * 4, op, true));
  let at = DELTA_HEADER_BYTES + ops.length * 4;
  for (const part of literals) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}

/** Reads literal bytes of a delta in order, refusing to run past their end. */
class LiteralReader {
  constructor(
    private readonly delta: Uint8Array,
    private at: number,
  ) {}
  take(bytes: number): Uint8Array {
    if (this.at + bytes > this.delta.byteLength)
      throw new StateDeltaError("the state delta is truncated");
    const part = this.delta.subarray(this.at, this.at + bytes);
    this.at += bytes;
    return part;
  }
  get left(): number {
    return this.delta.byteLength - this.at;
  }
}

/** The 16 bytes of v86 header a delta's literals start with, then the whole info block. */
function readHeaderAndInfo(literals: LiteralReader): { head: Uint8Array; total: number } {
  const header = literals.take(V86_HEADER_BYTES);
  const view = new DataView(header.buffer, header.byteOffset, V86_HEADER_BYTES);
  const total = view.getInt32(8, true);
  const infoBytes = view.getInt32(12, true);
  if (view.getUint32(0, true) !== V86_STATE_MAGIC || total < 0 || infoBytes < 0)
    throw new StateDeltaError("the state delta does not hold a v86 state header");
  const info = literals.take(infoBytes);
  const head = new Uint8Array(V86_HEADER_BYTES + infoBytes);
  head.set(header);
  head.set(info, V86_HEADER_BYTES);
  return { head, total };
}

/**
 * Rebuilds the state a delta was made from, given the same base; throws StateDeltaError when the
 * delta is corrupt or truncated or was made against another base (a reference past its blocks).
 * NOTE: a wrong base can still rebuild a wrong state: callers check the result's hash.
 */
export function applyStateDelta(base: Uint8Array, delta: Uint8Array): Uint8Array {
  if (delta.byteLength < DELTA_HEADER_BYTES) throw new StateDeltaError("the state delta is empty");
  const view = new DataView(delta.buffer, delta.byteOffset, delta.byteLength);
  if (view.getUint32(0, true) !== DELTA_MAGIC) throw new StateDeltaError("not a state delta");
  if (view.getUint32(4, true) !== DELTA_VERSION)
    throw new StateDeltaError(
      `state delta format ${view.getUint32(4, true)}, not ${DELTA_VERSION}`,
    );
  const opCount = view.getUint32(8, true);
  if (DELTA_HEADER_BYTES + opCount * 4 > delta.byteLength)
    throw new StateDeltaError("the state delta is truncated");
  const starts = baseBlocks(base);
  const literals = new LiteralReader(delta, DELTA_HEADER_BYTES + opCount * 4);
  const { head, total } = readHeaderAndInfo(literals);
  if (total < head.byteLength)
    throw new StateDeltaError("the state delta's header is inconsistent");
  const state = new Uint8Array(total);
  state.set(head);
  // NOTE: the layout needs only the header and info block, which are in place already.
  const { buffers } = stateLayout(state);
  let written = head.byteLength;
  let op = 0;
  for (const { start, length } of buffers) {
    state.set(literals.take(start - written), written);
    written = start;
    for (let at = start; at + STATE_BLOCK_BYTES <= start + length; at += STATE_BLOCK_BYTES) {
      if (op >= opCount) throw new StateDeltaError("the state delta has too few blocks");
      const ref = view.getUint32(DELTA_HEADER_BYTES + op++ * 4, true);
      if (ref === 0) state.set(literals.take(STATE_BLOCK_BYTES), at);
      else if (ref <= starts.length)
        state.set(base.subarray(starts[ref - 1]!, starts[ref - 1]! + STATE_BLOCK_BYTES), at);
      else throw new StateDeltaError("the state delta refers past the base (another base?)");
      written = at + STATE_BLOCK_BYTES;
    }
  }
  state.set(literals.take(total - written), written);
  if (op !== opCount || literals.left !== 0)
    throw new StateDeltaError("the state delta has bytes left over (corrupt)");
  return state;
}
