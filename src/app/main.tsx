// Browser entry point: finds the page's root element and renders the app into it.
import { createRoot } from "react-dom/client";
import { App } from "../ui/App";

const rootElement = document.getElementById("root");
if (rootElement === null) {
  throw new Error('OpsLab: index.html has no <div id="root">; the app has nowhere to render.');
}
createRoot(rootElement).render(<App />);
