// Browser entry point: wires the real services and renders the app.
import { createRoot } from "react-dom/client";
import { App } from "../ui/App";
import { ErrorBoundary } from "../ui/ErrorBoundary";
import { createServices } from "./services";

const rootElement = document.getElementById("root");
if (rootElement === null) {
  throw new Error('OpsLab: index.html has no <div id="root">; the app has nowhere to render.');
}

const stores = createServices();
// NOTE: before the first render, so the VM worker and its downloads start while React renders the page.
void stores.vm.getState().start();
createRoot(rootElement).render(
  <ErrorBoundary part="OpsLab">
    <App stores={stores} />
  </ErrorBoundary>,
);
