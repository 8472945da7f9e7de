#!/usr/bin/env bash
# Wrong: masquerades the office behind core's server address (core's nftables.conf, loaded), so app answers core on its own network; the office opens the pages, and app's log shows 10.0.2.1 for every PC.
set -euo pipefail
cat > /etc/netns/core/nftables.conf <<'NFT'
#!/usr/sbin/nft -f
flush ruleset

table ip nat {
    chain postrouting {
        type nat hook postrouting priority srcnat; policy accept;
        oifname "eth1" ip saddr 10.0.1.0/24 ip daddr 10.0.2.20 masquerade
    }
}
NFT
on core nft -f /etc/nftables.conf
