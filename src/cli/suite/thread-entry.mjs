// A suite worker thread's entry: registers the TypeScript and raw-text hooks in this thread, then runs worker.ts.
// NOTE: on Node 20 a worker thread does not get the module hooks of tsx's --import flags (a ".ts" file
// fails with "Unknown file extension"), so the thread registers them itself.
import { register } from "node:module";
import { register as registerTypeScript } from "tsx/esm/api";

registerTypeScript();
register("../node-hooks/raw-text.mjs", import.meta.url);
await import("./worker.ts");
