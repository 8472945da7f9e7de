#!/usr/bin/env bash
# Wrong: delete files on the volume to make room; the customers' uploads are lost and the space held by the deleted log stays taken.
set -euo pipefail
rm -rf /srv/data/uploads/*
