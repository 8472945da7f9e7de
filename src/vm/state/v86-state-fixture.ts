// Test support: small v86 machine states (format 6) built byte by byte, for delta and shipped-state tests.
import { STATE_BLOCK_BYTES } from "./state-delta";

/** A v86 format-6 state: header, info JSON naming the buffers, the buffers 4-byte aligned. */
export function makeV86State(info: unknown, buffers: Uint8Array[]): Uint8Array {
  const infos: { offset: number; length: number }[] = [];
  let offset = 0;
  for (const buffer of buffers) {
    offset = (offset + 3) & ~3;
    infos.push({ offset, length: buffer.byteLength });
    offset += buffer.byteLength;
  }
  const json = new TextEncoder().encode(JSON.stringify({ state: info, buffer_infos: infos }));
  const blockStart = (16 + json.byteLength + 3) & ~3;
  const state = new Uint8Array(blockStart + offset);
  const view = new DataView(state.buffer);
  view.setUint32(0, 0x86768676, true);
  view.setInt32(4, 6, true);
  view.setInt32(8, state.byteLength, true);
  view.setInt32(12, json.byteLength, true);
  state.set(json, 16);
  buffers.forEach((buffer, i) => state.set(buffer, blockStart + infos[i]!.offset));
  return state;
}

/** `count` pages, page i filled from seed + i (distinct content per page). */
export function pages(seed: number, count: number): Uint8Array {
  const bytes = new Uint8Array(count * STATE_BLOCK_BYTES);
  for (let i = 0; i < bytes.length; i++)
    bytes[i] = (seed + Math.floor(i / STATE_BLOCK_BYTES) * 7 + i) & 0xff;
  return bytes;
}

export function concat(...parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength, 0));
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.byteLength;
  }
  return out;
}
