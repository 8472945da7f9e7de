// A job process of `npm run tasks -- verify` (job-processes.ts): verifies each task folder it is sent in
// a VM of its own, started at the first.
import { serveJobs } from "../tasks/job-processes";
import { verifyFolder, type FolderReport, type VerifyJob } from "./verify-folder";
import { startNodeVm } from "../vm/driver/node-vm";

serveJobs<VerifyJob, FolderReport, Awaited<ReturnType<typeof startNodeVm>>>(
  () => startNodeVm(),
  (job, vm) => verifyFolder(vm, job),
  (vm) => vm.destroy(),
);
