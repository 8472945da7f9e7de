// Browser entry point: wires the real services and renders the app.
import { createRoot } from "react-dom/client";
import { App } from "../ui/App";
import { createServices } from "./services";

const rootElement = document.getElementById("root");
if (rootElement === null) {
  throw new Error('OpsLab: index.html has no <div id="root">; the app has nowhere to render.');
}

createRoot(rootElement).render(<App stores={createServices()} />);
