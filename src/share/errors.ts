// Why a share link or file does not open, as a kind the page names and a message that says what to do.

export type ShareLinkErrorKind = "broken" | "truncated" | "tampered" | "newer" | "invalid";

/** One line per kind: what happened and what to do; the detail says where. */
const MESSAGES: Record<ShareLinkErrorKind, string> = {
  broken:
    "This is not an OpsLab run link, or it was mangled on the way. Ask the sender to copy it again (Share, then Copy link).",
  truncated:
    "This link was cut short: chat apps and mail programs often cut long links. Ask the sender for the whole link, or for the run as a .opslab.json file.",
  tampered:
    "This link's content does not match its integrity hash: it was changed or damaged after it was made. Nothing of it is shown; ask the sender for a fresh link.",
  newer:
    "This link was made by a newer OpsLab than this one. Reload the page to get the latest OpsLab, then open the link again.",
  invalid:
    "This link is intact, but the run inside it does not pass OpsLab's checks of a run: it was not made by OpsLab, or by a faulty version. Nothing of it is shown.",
};

export const SHARE_ERROR_TITLES: Record<ShareLinkErrorKind, string> = {
  broken: "Not a run link",
  truncated: "This link is cut short",
  tampered: "This link was changed",
  newer: "Made by a newer OpsLab",
  invalid: "Not a valid run",
};

export class ShareLinkError extends Error {
  constructor(
    readonly kind: ShareLinkErrorKind,
    /** Where it failed, in a few words ("it holds 812 of its 3050 bytes"). */
    readonly detail: string,
  ) {
    super(`${MESSAGES[kind]} (${detail})`);
    this.name = "ShareLinkError";
  }
}
