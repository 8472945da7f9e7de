// Hands a file to the person: a download of text made in the page.
import type { DownloadFile } from "../../state/history-store";

export function download(file: DownloadFile): void {
  const url = URL.createObjectURL(new Blob([file.text], { type: file.type }));
  const link = document.createElement("a");
  link.href = url;
  link.download = file.name;
  document.body.append(link);
  link.click();
  link.remove();
  // NOTE: revoked after the click has handed the blob to the browser's download.
  setTimeout(() => URL.revokeObjectURL(url), 10_000);
}
