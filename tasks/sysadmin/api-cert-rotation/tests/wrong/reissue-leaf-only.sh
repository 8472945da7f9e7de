#!/usr/bin/env bash
# Wrong: a new key and certificate for api.internal from the issuing CA as it is; the issuing CA has expired too, so the chain still fails to verify.
set -euo pipefail
cd /root/pki
(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/nginx/tls/api.internal.key)
openssl req -new -key /etc/nginx/tls/api.internal.key -subj "/O=Northwind/CN=api.internal" -out /root/pki/api.csr
openssl x509 -req -in /root/pki/api.csr -CA issuing-ca/issuing-ca.crt -CAkey issuing-ca/private/issuing-ca.key \
  -CAcreateserial -days 365 -extfile extensions.cnf -extensions server -out /root/pki/api.crt
cat /root/pki/api.crt issuing-ca/issuing-ca.crt > /etc/nginx/tls/api.internal.fullchain.pem
systemctl reload nginx
systemctl start inventory-sync.service || true
