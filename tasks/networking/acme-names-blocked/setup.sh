#!/usr/bin/env bash
# CHG-4790 as it was left (files/): ns forwards acme.internal to Acme's DNS, but its rebinding protection
# (stop-dns-rebind) throws away every answer with a private address, Acme's included; and bogus-priv
# answers every reverse lookup of a private address NXDOMAIN itself, Acme's 10.20.0.0/16 included, since
# no server is named for that reverse zone.
set -euo pipefail
for _ in $(seq 1 20); do
  ip netns exec pc dig +time=1 +tries=1 +short @10.0.1.53 www.corp.example | grep -q . &&
    ip netns exec gw dig +time=1 +tries=1 +short @10.20.0.53 db.acme.internal | grep -q . && break
  sleep 1
done
