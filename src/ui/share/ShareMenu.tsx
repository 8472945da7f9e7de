// The Share menu of a finished run: its link to copy (or a summary link and a file when too big), and the exports.
import { useState } from "react";
import type { StoreApi } from "zustand/vanilla";
import type { RunRecord } from "../../domain/run";
import { MAX_LINK_CHARS } from "../../state/share-store";
import type { ShareOffer, ShareState } from "../../state/share-store";
import { download } from "../history/download";
import { castFileName, runCast } from "./cast";

/** The page's address without its fragment: where a share link opens. */
const baseUrl = () => `${location.origin}${location.pathname}${location.search}`;

async function copy(text: string): Promise<boolean> {
  try {
    await navigator.clipboard.writeText(text);
    return true;
  } catch {
    return false; // no permission or no clipboard (http, an iframe): the text field below has it
  }
}

function Offer({ record, offer }: { record: RunRecord; offer: ShareOffer }) {
  const [copied, setCopied] = useState<"yes" | "no" | undefined>();
  const kb = (chars: number) => `${(chars / 1024).toFixed(1)} KB`;
  return (
    <div className="share-offer" data-testid="share-offer">
      {offer.tooBig && (
        <p className="warning" data-testid="share-too-big">
          This run is too big for a link ({kb(offer.runLinkChars)}, links are kept under{" "}
          {kb(MAX_LINK_CHARS)} so chat apps do not cut them). The link below shows its summary and
          asks for the file: send both.
        </p>
      )}
      <label className="share-link">
        {offer.tooBig ? "Summary link" : "Link"}
        <input
          readOnly
          value={offer.url}
          data-testid="share-link"
          onFocus={(e) => e.currentTarget.select()}
        />
      </label>
      <div className="share-buttons">
        <button
          type="button"
          onClick={() => void copy(offer.url).then((ok) => setCopied(ok ? "yes" : "no"))}
        >
          Copy link
        </button>
        <button type="button" onClick={() => download(offer.file)} data-testid="share-file">
          Download .opslab.json
        </button>
        <button type="button" onClick={() => download(offer.json)}>
          Export JSON
        </button>
        <button
          type="button"
          data-testid="share-cast"
          onClick={() =>
            download({
              name: castFileName(record),
              type: "application/x-asciicast",
              text: runCast(record),
            })
          }
        >
          Export cast
        </button>
        <button type="button" onClick={() => download(offer.markdown)}>
          Export Markdown
        </button>
      </div>
      {copied === "yes" && <p className="ok">Link copied.</p>}
      {copied === "no" && (
        <p className="muted">
          The browser did not let OpsLab copy: select the link above and copy it.
        </p>
      )}
    </div>
  );
}

/** NOTE: only for a run that has ended: a link of a run still going would be a partial run. */
export function ShareMenu({ record, share }: { record: RunRecord; share: StoreApi<ShareState> }) {
  const [offer, setOffer] = useState<{ id: string; offer: ShareOffer } | undefined>();
  const [error, setError] = useState<string | undefined>();
  const onToggle = (open: boolean) => {
    if (!open || offer?.id === record.id) return;
    share
      .getState()
      .offer(record, baseUrl())
      .then((made) => setOffer({ id: record.id, offer: made }))
      .catch((e: unknown) => setError(`The link could not be made: ${(e as Error).message}`));
  };
  return (
    <details
      className="share-menu"
      data-testid="share-menu"
      onToggle={(e) => onToggle(e.currentTarget.open)}
    >
      <summary>Share</summary>
      {error && <p className="error">{error}</p>}
      {offer?.id === record.id ? (
        <Offer record={record} offer={offer.offer} />
      ) : (
        !error && <p className="muted">Making the link…</p>
      )}
    </details>
  );
}
