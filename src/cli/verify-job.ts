// A job worker of `npm run tasks -- verify` (job-pool.ts): verifies each task folder it is sent in a VM
// of its own.
import type { JobWorker } from "../tasks/job-pool";
import { verifyInVm, type FolderReport, type VerifyJob } from "./verify-folder";
import { startNodeVm } from "../vm/driver/node-vm";

const verifyWorker: JobWorker<undefined, VerifyJob, FolderReport> = async () => {
  const vm = await startNodeVm();
  return { run: verifyInVm(vm), stop: () => vm.destroy() };
};
export default verifyWorker;
