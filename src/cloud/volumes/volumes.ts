// Volumes and snapshots: zones, one attachment at a time, detach before delete, snapshots to move data.
import { int, iso, map, optStr, str, type ActionDef } from "../core/action";
import { findInstance } from "../compute/instances";
import { CloudError, incorrectState, invalidParameter, notFound } from "../core/errors";
import { newId } from "../core/ids";
import { checkQuota } from "../core/quotas";
import type { CloudState, Snapshot, Volume } from "../core/model";

const VOLUME_TYPES = ["standard", "ssd"];
const MAX_VOLUME_GIB = 16_384;

export function findVolume(state: CloudState, id: string): Volume {
  const volume = state.volumes.find((v) => v.id === id || v.tags.Name === id);
  if (!volume) throw notFound("InvalidVolume.NotFound", "volume", id);
  return volume;
}

function findSnapshot(state: CloudState, id: string): Snapshot {
  const snapshot = state.snapshots.find((s) => s.id === id);
  if (!snapshot) throw notFound("InvalidSnapshot.NotFound", "snapshot", id);
  return snapshot;
}

const volumeView = (v: Volume) => ({
  id: v.id,
  name: v.tags.Name ?? "",
  zone: v.zone,
  sizeGiB: v.sizeGiB,
  type: v.type,
  state: v.state,
  snapshotId: v.snapshotId ?? "",
  attachedTo: v.attachment?.instanceId ?? "",
  device: v.attachment?.device ?? "",
  tags: v.tags,
});

const snapshotView = (s: Snapshot) => ({
  id: s.id,
  volumeId: s.volumeId,
  sizeGiB: s.sizeGiB,
  state: s.state,
  started: iso(s.startedAtMs),
  description: s.description,
});

const volumeParam = {
  volume: {
    kind: "string" as const,
    required: true,
    positional: true,
    help: "volume id (or Name tag)",
  },
};

export const storageActions: ActionDef[] = [
  {
    name: "DescribeVolumes",
    permission: "storage:DescribeVolumes",
    group: "volumes",
    verb: "list",
    summary: "List the volumes of the region.",
    params: {},
    resource: () => "volume/*",
    columns: ["id", "name", "zone", "sizeGiB", "state", "attachedTo", "device"],
    run: (ctx) => ({
      items: ctx.state.volumes.filter((v) => v.region === ctx.region).map(volumeView),
    }),
  },
  {
    name: "DescribeVolume",
    permission: "storage:DescribeVolumes",
    group: "volumes",
    verb: "describe",
    summary: "Show one volume.",
    params: volumeParam,
    resource: (p) => `volume/${String(p.volume)}`,
    run: ({ state }, params) => volumeView(findVolume(state, str(params, "volume"))),
  },
  {
    name: "CreateVolume",
    permission: "storage:CreateVolume",
    group: "volumes",
    verb: "create",
    summary: "Create a volume in a zone, empty or from a snapshot (creating, then available).",
    params: {
      zone: { kind: "string", required: true, help: "availability zone" },
      size: { kind: "int", help: "size in GiB (default: the snapshot's size)" },
      type: { kind: "string", help: "standard or ssd (default standard)" },
      snapshot: { kind: "string", help: "snapshot id to restore from" },
      name: { kind: "string", help: "its Name tag" },
      tag: { kind: "map", help: "tags, KEY=VALUE (repeatable)" },
    },
    resource: () => "volume/*",
    run: (ctx, params) => {
      const { state } = ctx;
      const zone = str(params, "zone");
      const region = state.regions.find((r) => r.name === ctx.region);
      if (!region?.zones.includes(zone))
        throw invalidParameter(
          `Value (${zone}) for parameter availabilityZone is invalid. ${zone} is not a zone of ${ctx.region} (${region?.zones.join(", ")}).`,
        );
      const snapshotId = optStr(params, "snapshot");
      const snapshot = snapshotId === undefined ? undefined : findSnapshot(state, snapshotId);
      if (snapshot && snapshot.state !== "completed")
        throw incorrectState(
          "IncorrectState",
          `Snapshot '${snapshot.id}' is not completed yet (it is ${snapshot.state}).`,
        );
      const size = params.size === undefined && snapshot ? snapshot.sizeGiB : int(params, "size");
      if (size < 1 || size > MAX_VOLUME_GIB)
        throw invalidParameter(`Volume size ${size} GiB is out of range (1-${MAX_VOLUME_GIB}).`);
      if (snapshot && size < snapshot.sizeGiB)
        throw invalidParameter(
          `Volume of ${size} GiB is smaller than snapshot '${snapshot.id}', expect size >= ${snapshot.sizeGiB}`,
        );
      const type = optStr(params, "type") ?? "standard";
      if (!VOLUME_TYPES.includes(type))
        throw invalidParameter(
          `The volume type '${type}' is invalid: use ${VOLUME_TYPES.join(" or ")}`,
        );
      checkQuota(state, "volumes", 1);
      checkQuota(state, "volumeGiB", size);
      const tags = map(params, "tag");
      const name = optStr(params, "name");
      if (name !== undefined) tags.Name = name;
      const volume: Volume = {
        id: newId(state, "vol"),
        region: ctx.region,
        zone,
        sizeGiB: size,
        type,
        state: "creating",
        stateSinceMs: state.nowMs,
        snapshotId: snapshot?.id ?? null,
        attachment: null,
        tags,
      };
      state.volumes.push(volume);
      return volumeView(volume);
    },
  },
  {
    name: "AttachVolume",
    permission: "storage:AttachVolume",
    group: "volumes",
    verb: "attach",
    summary: "Attach an available volume to an instance in the same zone.",
    params: {
      ...volumeParam,
      instance: { kind: "string", required: true, help: "instance id (or Name tag)" },
      device: { kind: "string", help: "device name (default /dev/sdf)" },
    },
    resource: (p) => `volume/${String(p.volume)}`,
    run: ({ state }, params) => {
      const volume = findVolume(state, str(params, "volume"));
      const instance = findInstance(state, str(params, "instance"));
      if (volume.attachment)
        throw new CloudError(
          "VolumeInUse",
          `${volume.id} is already attached to an instance (${volume.attachment.instanceId})`,
          409,
        );
      if (volume.state !== "available")
        throw incorrectState(
          "IncorrectState",
          `Volume '${volume.id}' is not 'available' (it is '${volume.state}').`,
        );
      if (instance.state !== "running" && instance.state !== "stopped")
        throw incorrectState(
          "IncorrectInstanceState",
          `Instance '${instance.id}' is not 'running' or 'stopped' (it is '${instance.state}').`,
        );
      if (volume.zone !== instance.zone)
        throw new CloudError(
          "InvalidVolume.ZoneMismatch",
          `The volume '${volume.id}' is not in the same availability zone as instance '${instance.id}' (volume: ${volume.zone}, instance: ${instance.zone}).`,
        );
      const device = optStr(params, "device") ?? "/dev/sdf";
      if (
        state.volumes.some(
          (v) => v.attachment?.instanceId === instance.id && v.attachment.device === device,
        )
      )
        throw invalidParameter(
          `Invalid value '${device}' for unixDevice. Attachment point ${device} is already in use`,
        );
      volume.attachment = { instanceId: instance.id, device, attachedAtMs: state.nowMs };
      volume.state = "in-use";
      volume.stateSinceMs = state.nowMs;
      return volumeView(volume);
    },
  },
  {
    name: "DetachVolume",
    permission: "storage:DetachVolume",
    group: "volumes",
    verb: "detach",
    summary: "Detach a volume from its instance.",
    params: volumeParam,
    resource: (p) => `volume/${String(p.volume)}`,
    run: ({ state }, params) => {
      const volume = findVolume(state, str(params, "volume"));
      if (!volume.attachment)
        throw new CloudError(
          "IncorrectState",
          `Volume '${volume.id}' is in the '${volume.state}' state and not attached.`,
          409,
        );
      volume.attachment = null;
      volume.state = "available";
      volume.stateSinceMs = state.nowMs;
      return volumeView(volume);
    },
  },
  {
    name: "DeleteVolume",
    permission: "storage:DeleteVolume",
    group: "volumes",
    verb: "delete",
    summary: "Delete a volume (detach it first).",
    params: volumeParam,
    resource: (p) => `volume/${String(p.volume)}`,
    run: ({ state }, params) => {
      const volume = findVolume(state, str(params, "volume"));
      if (volume.attachment)
        throw new CloudError(
          "VolumeInUse",
          `Volume ${volume.id} is currently attached to ${volume.attachment.instanceId}`,
          409,
        );
      if (volume.state === "creating")
        throw incorrectState("IncorrectState", `Volume '${volume.id}' is still being created.`);
      state.volumes.splice(state.volumes.indexOf(volume), 1);
      return { deleted: volume.id };
    },
  },
  {
    name: "DescribeSnapshots",
    permission: "storage:DescribeSnapshots",
    group: "snapshots",
    verb: "list",
    summary: "List snapshots.",
    params: {},
    resource: () => "snapshot/*",
    columns: ["id", "volumeId", "sizeGiB", "state", "started", "description"],
    run: (ctx) => ({
      items: ctx.state.snapshots.filter((s) => s.region === ctx.region).map(snapshotView),
    }),
  },
  {
    name: "CreateSnapshot",
    permission: "storage:CreateSnapshot",
    group: "snapshots",
    verb: "create",
    summary: "Snapshot a volume (pending, then completed); restore it in any zone of the region.",
    params: {
      volume: { kind: "string", required: true, help: "volume id (or Name tag)" },
      description: { kind: "string", help: "what it holds" },
    },
    resource: (p) => `volume/${String(p.volume)}`,
    run: (ctx, params) => {
      const volume = findVolume(ctx.state, str(params, "volume"));
      if (volume.state === "creating")
        throw incorrectState("IncorrectState", `Volume '${volume.id}' is still being created.`);
      const snapshot: Snapshot = {
        id: newId(ctx.state, "snap"),
        region: volume.region,
        volumeId: volume.id,
        sizeGiB: volume.sizeGiB,
        state: "pending",
        startedAtMs: ctx.state.nowMs,
        description: optStr(params, "description") ?? "",
        tags: {},
      };
      ctx.state.snapshots.push(snapshot);
      return snapshotView(snapshot);
    },
  },
  {
    name: "DeleteSnapshot",
    permission: "storage:DeleteSnapshot",
    group: "snapshots",
    verb: "delete",
    summary: "Delete a snapshot that no volume is being restored from.",
    params: { snapshot: { kind: "string", required: true, positional: true, help: "snapshot id" } },
    resource: (p) => `snapshot/${String(p.snapshot)}`,
    run: ({ state }, params) => {
      const snapshot = findSnapshot(state, str(params, "snapshot"));
      const restoring = state.volumes.find(
        (v) => v.snapshotId === snapshot.id && v.state === "creating",
      );
      if (restoring)
        throw new CloudError(
          "InvalidSnapshot.InUse",
          `The snapshot ${snapshot.id} is in use by volume ${restoring.id} being created from it.`,
          409,
        );
      state.snapshots.splice(state.snapshots.indexOf(snapshot), 1);
      return { deleted: snapshot.id };
    },
  },
];
