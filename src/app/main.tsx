// Browser entry point: wires the real services (the v86 VM in the page) and renders the app.
import { createRoot } from "react-dom/client";
import { createVmStore } from "../state/vm-store";
import { App } from "../ui/App";
import { startBrowserVm } from "../vm/browser-vm";

const rootElement = document.getElementById("root");
if (rootElement === null) {
  throw new Error('OpsLab: index.html has no <div id="root">; the app has nowhere to render.');
}

const vmStore = createVmStore({
  now: () => Date.now(),
  startVm: (onProgress) => startBrowserVm({ vmUrl: new URL("vm/", document.baseURI), onProgress }),
});

createRoot(rootElement).render(<App vmStore={vmStore} />);
