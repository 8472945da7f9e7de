#!/usr/bin/env bash
# Wrong: repair December's folder and scans and put the setgid bit back, but leave scan-inbox's umask; the scans already filed open, every new one still comes out 0600.
set -euo pipefail
chmod 2770 /srv/share/scans
chgrp -R accounts /srv/share/scans/2026-12
chmod -R g+rX /srv/share/scans/2026-12
chmod g+s /srv/share/scans/2026-12
