#!/usr/bin/env bash
# Two faults on ns: its rebinding protection drops Acme's answers (private addresses), and bogus-priv
# answers Acme's reverse zone NXDOMAIN itself since no server is named for it. Both are fixed for Acme
# only: the protection and bogus-priv stay for everything else.
set -euo pipefail
on pc dig +time=2 +tries=1 db.acme.internal || true
on gw dig +time=2 +tries=1 +short @10.20.0.53 db.acme.internal
journalctl -u ns-dnsmasq --no-pager -n 20
on ns cat /etc/dnsmasq.conf
# Acme's answers are private addresses by design: allow them for acme.internal, and send Acme's
# reverse zone (10.20.0.0/16) to Acme's DNS.
sed -i 's#^server=/acme.internal/10.20.0.53$#&\nrebind-domain-ok=/acme.internal/\nserver=/20.10.in-addr.arpa/10.20.0.53#' /etc/netns/ns/dnsmasq.conf
on ns dnsmasq --test --conf-file=/etc/dnsmasq.conf
systemctl restart ns-dnsmasq
on pc getent hosts db.acme.internal
on pc dig +time=2 +tries=1 +short -x 10.20.1.15
on pc dig +time=2 +tries=1 -x 10.0.1.99 | grep status
on pc getent hosts www.corp.example
