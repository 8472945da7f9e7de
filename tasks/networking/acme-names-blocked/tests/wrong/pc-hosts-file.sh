#!/usr/bin/env bash
# Wrong: pins Acme's hosts in pc's /etc/hosts; pc resolves them by name, every other office machine still gets nothing from the resolver, and no address resolves back.
set -euo pipefail
on pc 'grep -v "^#" /srv/acme/dns/hosts >> /etc/hosts'
