#!/usr/bin/env bash
# Wrong: remount the volume bigger and put a fresh log file in place; the space is still held by the deleted log that ingestd keeps writing, and the volume outgrows what the customer pays for.
set -euo pipefail
mount -o remount,size=64m /srv/data
echo "$(date +%Y-%m-%dT%H:%M:%S) ingest: log recreated" > /srv/data/ingest.log
