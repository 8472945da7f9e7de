#!/usr/bin/env bash
# Wrong: empties fw's filter table, keeping only its masquerade (nftables.conf, loaded); the office opens the pages through fw, and the Internet now reaches every server.
set -euo pipefail
python3 - <<'PY'
import re
path = "/etc/netns/fw/nftables.conf"
text = open(path).read()
text = re.sub(r"table inet filter \{.*?\n\}\n", "", text, flags=re.S)
open(path, "w").write(text)
PY
on fw nft -f /etc/nftables.conf
