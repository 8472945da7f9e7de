// Unit tests of the image and state manifests' rules.
import { readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";
import {
  kernelCmdline,
  KERNEL_CMDLINE,
  stateManifestFileFor,
  stateMatches,
  stateMismatch,
  V86_VERSION,
} from "./image";
import { testImage as image, testState as state } from "./manifest-fixture";

describe("stateMatches", () => {
  it("accepts a state of the same image and emulator", () => {
    expect(stateMatches(state, image, V86_VERSION)).toBe(true);
  });
  it("rejects a state of another image, emulator version or memory size", () => {
    expect(stateMatches({ ...state, imageId: "other" }, image, V86_VERSION)).toBe(false);
    expect(stateMatches(state, image, "0.5.1")).toBe(false);
    expect(stateMatches({ ...state, memoryBytes: 1 }, image, V86_VERSION)).toBe(false);
  });
});

describe("stateMismatch", () => {
  it("says nothing for a matching state, and which field differs otherwise", () => {
    expect(stateMismatch(state, image, V86_VERSION)).toBe("");
    expect(stateMismatch({ ...state, imageId: "old" }, image, V86_VERSION)).toBe(
      "it was made from image old, not abc",
    );
    expect(stateMismatch(state, image, "0.5.1")).toBe(
      `it was made with v86 ${V86_VERSION}, not 0.5.1`,
    );
    expect(stateMismatch({ ...state, memoryBytes: 1 }, image, V86_VERSION)).toMatch(
      /1 bytes of memory/,
    );
    expect(stateMismatch({ ...state, version: 1 as never }, image, V86_VERSION)).toMatch(
      /version 1 state manifest/,
    );
  });
});

describe("stateManifestFileFor", () => {
  it("pairs each image manifest with its own state manifest", () => {
    expect(stateManifestFileFor("image.json")).toBe("state.json");
    expect(stateManifestFileFor("image-debian.json")).toBe("state-debian.json");
  });
  it("refuses a name that is not an image manifest", () => {
    expect(() => stateManifestFileFor("../image.json")).toThrow(/not an image manifest/);
    expect(() => stateManifestFileFor("state.json")).toThrow(/image-<name>\.json/);
  });
});

describe("kernelCmdline", () => {
  it("appends the image's own arguments to the common ones", () => {
    expect(kernelCmdline(image)).toBe(KERNEL_CMDLINE);
    expect(kernelCmdline({ ...image, kernelArgs: "root=host9p" })).toBe(
      `${KERNEL_CMDLINE} root=host9p`,
    );
  });
});

describe("V86_VERSION", () => {
  it("is the exact version pinned in package.json", () => {
    const pkg = JSON.parse(
      readFileSync(new URL("../../package.json", import.meta.url), "utf8"),
    ) as {
      dependencies: Record<string, string>;
    };
    expect(pkg.dependencies.v86).toBe(V86_VERSION);
  });
});
