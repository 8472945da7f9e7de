#!/usr/bin/env bash
# Wrong: inserts the established/related rule into the running ruleset only; web reaches the database now, but its nftables.conf is unchanged, so the next boot drops the answers again.
set -euo pipefail
on web nft insert rule inet filter input ct state established,related accept
