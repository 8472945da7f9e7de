// Lint rules for the repo, including the layer import boundaries of architecture.md.
import { defineConfig, globalIgnores } from "eslint/config";
import reactHooks from "eslint-plugin-react-hooks";
import tseslint from "typescript-eslint";

const SOURCE_FILES = "{ts,tsx,js,mjs}";

/** Every layer under src/ and the layers it may import (architecture.md, "Layers"). */
const LAYERS = {
  domain: [],
  vm: ["domain"],
  cloud: ["domain"],
  agent: ["domain", "vm", "cloud"],
  tasks: ["domain", "vm", "cloud", "agent"],
  analysis: ["domain"],
  storage: ["domain"],
  share: ["domain"],
  state: ["domain", "vm", "cloud", "agent", "tasks", "analysis", "storage", "share"],
  ui: ["state", "domain"],
  app: [
    "domain",
    "vm",
    "cloud",
    "agent",
    "tasks",
    "analysis",
    "storage",
    "share",
    "state",
    "ui",
    "cli",
  ],
  cli: ["domain", "vm", "cloud", "agent", "tasks", "analysis", "storage", "share"],
};
const LAYER_NAMES = Object.keys(LAYERS);

/** Packages that only some folders may import: [package regex, folders allowed, why]. */
const OWNED_PACKAGES = [
  ["^v86(/|$)", ["src/vm"], "only src/vm/ (the v86 driver) may import v86"],
  ["^react(/|$)", ["src/ui"], "only src/ui/ may import React"],
  [
    "^react-dom(/|$)",
    ["src/ui", "src/app"],
    "only src/ui/ and src/app/ (mounting) may import react-dom",
  ],
  ["^@xterm/", ["src/ui"], "only src/ui/ may import xterm"],
  ["^idb(/|$)", ["src/storage"], "only src/storage/ may import idb"],
  ["^openai(/|$)", ["src/agent/providers"], "only src/agent/providers/ may import openai"],
  [
    "^@anthropic-ai/",
    ["src/agent/providers"],
    "only src/agent/providers/ may import the Anthropic SDK",
  ],
];

const MAX_DEPTH = 8;

/** Restriction patterns for the packages a folder does not own. */
function packagePatterns(folder) {
  return OWNED_PACKAGES.filter(
    ([, owners]) => !owners.some((owner) => folder === owner || folder.startsWith(`${owner}/`)),
  ).map(([regex, , message]) => ({ regex, message }));
}

/**
 * Restriction patterns for the layers that `layer` may not import, for a file `depth`
 * folders below src/<layer>/ (depth 1 = directly inside it). NOTE: relative imports are
 * matched by their exact number of "../" steps, so a sub-folder such as src/ui/tasks/ is
 * not mistaken for the src/tasks/ layer.
 */
function layerPatterns(layer, depth) {
  const forbidden = LAYER_NAMES.filter((name) => name !== layer && !LAYERS[layer].includes(name));
  if (forbidden.length === 0) return [];
  const names = `(${forbidden.join("|")})`;
  const up = "\\.\\./".repeat(depth);
  return [
    {
      regex: `^(\\./)?${up}${names}(/|$)`,
      message: `src/${layer}/ may import only: ${LAYERS[layer].join(", ") || "nothing of the project"} (architecture.md)`,
    },
    {
      regex: `(^|/)src/${names}(/|$)`,
      message: `src/${layer}/ may import only: ${LAYERS[layer].join(", ") || "nothing of the project"} (architecture.md)`,
    },
  ];
}

function restrict(patterns) {
  return { "no-restricted-imports": ["error", { patterns }] };
}

/** One config entry per layer and folder depth, so each file matches exactly one. */
function boundaryConfigs() {
  const configs = [];
  for (const layer of LAYER_NAMES) {
    for (let depth = 1; depth <= MAX_DEPTH; depth += 1) {
      const glob = `src/${layer}/${"*/".repeat(depth - 1)}*.${SOURCE_FILES}`;
      configs.push({
        files: [glob],
        rules: restrict([...layerPatterns(layer, depth), ...packagePatterns(`src/${layer}`)]),
      });
    }
  }
  // src/agent/providers/ is the one sub-folder that owns a package (openai).
  for (let depth = 2; depth <= MAX_DEPTH; depth += 1) {
    configs.push({
      files: [`src/agent/providers/${"*/".repeat(depth - 2)}*.${SOURCE_FILES}`],
      rules: restrict([
        ...layerPatterns("agent", depth),
        ...packagePatterns("src/agent/providers"),
      ]),
    });
  }
  return configs;
}

/**
 * A task's TypeScript modules (tests/cloud-checks.ts) read the cloud through its query API and nothing
 * else of the project, so a grader cannot reach the VM, the runner or the control plane's mutations.
 */
const TASK_MODULE_RULES = restrict([
  ...packagePatterns("tasks"),
  {
    regex: "(^|/)src/(?!cloud/queries(/index(\\.ts)?)?$)",
    message: "a task's checks may import only src/cloud/queries (the read-only query API)",
  },
]);

export default defineConfig(
  globalIgnores(["dist/", "node_modules/", "public/vm/", "coverage/", ".cache/"]),
  tseslint.configs.recommended,
  {
    // Owned packages apply everywhere; images/ is the VM image's own build tooling.
    files: [`**/*.${SOURCE_FILES}`],
    ignores: ["images/**"],
    rules: restrict(packagePatterns("")),
  },
  boundaryConfigs(),
  { files: [`tasks/**/*.${SOURCE_FILES}`], rules: TASK_MODULE_RULES },
  {
    files: ["src/ui/**/*.{ts,tsx}"],
    ...reactHooks.configs.flat.recommended,
  },
);
