#!/usr/bin/env bash
# Wrong: pins today's names in client's /etc/hosts; they resolve, but the PC still asks a resolver that does not exist, and any other name fails.
set -euo pipefail
on client 'printf "10.0.2.10 wiki.corp.example wiki\n10.0.2.11 git.corp.example git\n" >> /etc/hosts'
