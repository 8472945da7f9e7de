#!/usr/bin/env bash
# client asks 10.0.2.53, which is gone; the resolver is ns (10.0.2.54), as on the router.
set -euo pipefail
on client 'printf "nameserver 10.0.2.54\nsearch corp.example\n" > /etc/resolv.conf'
on client getent hosts wiki.corp.example
