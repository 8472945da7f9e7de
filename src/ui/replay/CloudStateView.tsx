// The cloud's state after a run, readable: each kind of resource with its ids, names and states, and the audit log of who did what.
import { seconds } from "../run/describe";

/** Parts of the state that are the world's catalogue rather than the task's resources. */
const CATALOGUE_KEYS = new Set(["regions", "machineTypes", "images", "audit"]);
/** Fields shown for each resource, when it has them, in this order. */
const RESOURCE_FIELDS = [
  "id",
  "name",
  "state",
  "status",
  "health",
  "cidr",
  "privateIp",
  "publicIp",
];

type Row = Record<string, unknown>;
const isRow = (v: unknown): v is Row => typeof v === "object" && v !== null && !Array.isArray(v);

const cell = (value: unknown): string => {
  if (value === null || value === undefined) return "";
  if (typeof value === "string" || typeof value === "number" || typeof value === "boolean")
    return String(value);
  return JSON.stringify(value);
};

function Resources({ name, rows }: { name: string; rows: Row[] }) {
  const fields = RESOURCE_FIELDS.filter((f) => rows.some((r) => f in r));
  return (
    <details open={rows.length <= 8}>
      <summary>
        {name} ({rows.length})
      </summary>
      {rows.length > 0 && (
        <table className="cloud-table">
          <thead>
            <tr>
              {fields.map((f) => (
                <th key={f}>{f}</th>
              ))}
            </tr>
          </thead>
          <tbody>
            {rows.map((row, i) => (
              <tr key={i}>
                {fields.map((f) => (
                  <td key={f}>{cell(row[f])}</td>
                ))}
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </details>
  );
}

function AuditLog({ entries }: { entries: Row[] }) {
  return (
    <details open data-testid="cloud-audit">
      <summary>Audit log ({entries.length} calls)</summary>
      <div className="cloud-audit">
        <table className="cloud-table">
          <thead>
            <tr>
              <th>#</th>
              <th>time</th>
              <th>who</th>
              <th>action</th>
              <th>resource</th>
              <th>outcome</th>
            </tr>
          </thead>
          <tbody>
            {entries.map((entry, i) => (
              <tr key={i} className={entry.outcome === "error" ? "fail" : undefined}>
                <td>{cell(entry.seq)}</td>
                <td>{typeof entry.timeMs === "number" ? seconds(entry.timeMs) : ""}</td>
                <td>{cell(entry.principal)}</td>
                <td>{cell(entry.action)}</td>
                <td>{cell(entry.resource)}</td>
                <td>
                  {entry.outcome === "error"
                    ? cell(entry.errorCode) || "error"
                    : cell(entry.outcome)}
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      </div>
    </details>
  );
}

/** NOTE: the state is whatever the record holds (unknown): every field is checked before it is read. */
export function CloudStateView({ state }: { state: unknown }) {
  if (!isRow(state))
    return (
      <section className="cloud-state" data-testid="cloud-state">
        <h3>The cloud after the run</h3>
        <pre className="output">{cell(state)}</pre>
      </section>
    );
  const kinds = Object.entries(state).filter(
    (entry): entry is [string, unknown[]] =>
      !CATALOGUE_KEYS.has(entry[0]) && Array.isArray(entry[1]) && entry[1].every(isRow),
  );
  const audit = Array.isArray(state.audit) ? state.audit.filter(isRow) : [];
  return (
    <section className="cloud-state" data-testid="cloud-state" aria-label="The cloud after the run">
      <h3>The cloud after the run</h3>
      <div className="cloud-resources">
        {kinds.map(([name, rows]) => (
          <Resources key={name} name={name} rows={rows as Row[]} />
        ))}
      </div>
      <AuditLog entries={audit} />
      <details>
        <summary>The whole state as JSON</summary>
        <pre className="output">{JSON.stringify(state, null, 2)}</pre>
      </details>
    </section>
  );
}
