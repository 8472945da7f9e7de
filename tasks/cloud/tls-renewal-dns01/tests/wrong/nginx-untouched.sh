#!/usr/bin/env bash
# Wrong: repair the zone, the rights and the timer and renew; the renewal writes /etc/nginx/tls, but nginx still serves the hand-made certificate, which expires in two days.
set -euo pipefail
sed -i 's/^ZONE=.*/ZONE=corp.example/' /etc/default/cert-renew
cloud iam update-policy certbot-dns01 --document '{"statements": [
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/corp.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer", "dns:ListHostedZones"], "resources": ["*"]}]}'
systemctl start cert-renew.service
systemctl enable --now cert-renew.timer
