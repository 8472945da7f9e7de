#!/usr/bin/env bash
# Four things stand between the intranet and a renewed certificate: the renewal names the zone by the id it had
# before corp.example was recreated, the certbot account may change only that old zone, nginx serves the
# certificate issued by hand (not the renewal's files), and the timer is not enabled. Fix each, renew through
# the service, and check what nginx serves.
set -euo pipefail
systemctl status cert-renew.timer cert-renew.service --no-pager || true
journalctl -u cert-renew.service --no-pager -n 20
cat /usr/local/sbin/cert-renew /etc/default/cert-renew
cloud dns zones
cloud iam get-policy certbot-dns01
sed -i 's/^ZONE=.*/ZONE=corp.example/' /etc/default/cert-renew
cloud iam update-policy certbot-dns01 --document '{"statements": [
  {"effect": "Allow", "actions": ["dns:ChangeResourceRecordSets"], "resources": ["dns-zone/corp.example"]},
  {"effect": "Allow", "actions": ["dns:TestDNSAnswer", "dns:ListHostedZones"], "resources": ["*"]}]}'
systemctl start cert-renew.service
openssl s_client -connect 127.0.0.1:443 -servername intranet.corp.example </dev/null 2>/dev/null | openssl x509 -noout -enddate
nginx -T 2>/dev/null | grep -n ssl_certificate
sed -i -e 's#^\(\s*ssl_certificate\) .*#\1 /etc/nginx/tls/intranet.corp.example.crt;#' \
  -e 's#^\(\s*ssl_certificate_key\) .*#\1 /etc/nginx/tls/intranet.corp.example.key;#' /etc/nginx/sites-available/intranet
nginx -t
systemctl reload nginx
systemctl enable --now cert-renew.timer
openssl s_client -connect 127.0.0.1:443 -servername intranet.corp.example </dev/null 2>/dev/null | openssl x509 -noout -enddate
curl -sS --cacert /etc/pki/internal-ca/ca.crt --resolve intranet.corp.example:443:127.0.0.1 https://intranet.corp.example/
