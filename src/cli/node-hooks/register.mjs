// Registers OpsLab's Node module hooks; every tsx entry point loads it: `tsx --import ./src/cli/node-hooks/register.mjs`.
import { register } from "node:module";

register("./raw-text.mjs", import.meta.url);
