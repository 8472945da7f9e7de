#!/usr/bin/env bash
# The intrusion is in the cloud (cloud.json); the security team left its finding and the ci account's API activity
# in /root/SEC-IR-412.
set -euo pipefail
chmod 700 /root/SEC-IR-412
chmod 600 /root/SEC-IR-412/*
