#!/usr/bin/env bash
# Wrong: move ledger to 8010 and send local traffic for port 8000 there with an iptables redirect instead of moving the clients; the clients reach ledger, but nobody on this server reaches the metrics agent on 8000 any more, and the rule is gone after a reboot.
set -euo pipefail
sed -i 's/^LEDGER_PORT=.*/LEDGER_PORT=8010/' /etc/default/ledger
systemctl restart ledger.service
iptables -t nat -A OUTPUT -o lo -p tcp --dport 8000 -j REDIRECT --to-ports 8010
systemctl enable --now metrics-agent.service
