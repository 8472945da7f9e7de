#!/usr/bin/env bash
# Wrong: repair the zone, the rights and nginx, and renew by running the service once; the timer stays disabled, so nothing renews the certificate in 90 days.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=corp.example/' /etc/default/cert-renew
cloud iam update-policy certbot-dns01 --document '{"statements": [
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/corp.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer", "dns:ListHostedZones"], "resources": ["*"]}]}'
systemctl start cert-renew.service
sed -i -e 's#^\(\s*ssl_certificate\) .*#\1 /etc/nginx/tls/intranet.corp.example.crt;#' \
  -e 's#^\(\s*ssl_certificate_key\) .*#\1 /etc/nginx/tls/intranet.corp.example.key;#' /etc/nginx/sites-available/intranet
systemctl reload nginx
