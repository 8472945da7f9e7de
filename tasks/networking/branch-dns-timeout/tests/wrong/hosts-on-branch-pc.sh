#!/usr/bin/env bash
# Wrong: pins the head office's names in the branch PC's /etc/hosts; that PC finds them, and the DNS server still answers no branch PC.
set -euo pipefail
on bpc 'printf "10.0.1.20 wiki.corp.example wiki\n10.0.1.21 git.corp.example git\n10.0.1.22 print.corp.example print\n" >> /etc/hosts'
