#!/usr/bin/env bash
# Wrong: let the certbot account change records in any zone (dns:ChangeResourceRecordSets on "*") instead of corp.example's; a leaked key could now rewrite www.shop.example.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=corp.example/' /etc/default/cert-renew
cloud iam update-policy certbot-dns01 --document '{"statements": [
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets", "dns:TestDNSAnswer", "dns:ListHostedZones"], "resources": ["*"]}]}'
systemctl start cert-renew.service
sed -i -e 's#^\(\s*ssl_certificate\) .*#\1 /etc/nginx/tls/intranet.corp.example.crt;#' \
  -e 's#^\(\s*ssl_certificate_key\) .*#\1 /etc/nginx/tls/intranet.corp.example.key;#' /etc/nginx/sites-available/intranet
systemctl reload nginx
systemctl enable --now cert-renew.timer
