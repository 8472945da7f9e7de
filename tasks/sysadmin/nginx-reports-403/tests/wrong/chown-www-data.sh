#!/usr/bin/env bash
# Wrong: chown -R www-data the reports; the pages load, but the signing key now belongs to the web server's account.
set -euo pipefail
chown -R www-data:www-data /srv/reports
