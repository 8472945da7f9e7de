// Node module hooks: `import text from "./x.sh?raw"` gives the file's text, as Vite does in the page.
import { readFile } from "node:fs/promises";

const RAW = "?raw";

/** NOTE: runs in Node's hooks thread; only URLs ending in ?raw are touched. */
export async function load(url, context, nextLoad) {
  if (!url.startsWith("file:") || !url.endsWith(RAW)) return nextLoad(url, context);
  const text = await readFile(new URL(url.slice(0, -RAW.length)), "utf8");
  return {
    format: "module",
    source: `export default ${JSON.stringify(text)};`,
    shortCircuit: true,
  };
}
