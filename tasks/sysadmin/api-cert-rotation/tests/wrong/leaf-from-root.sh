#!/usr/bin/env bash
# Wrong: the root CA signs api.internal's new certificate directly (no expired CA in the way); the chain verifies, but the root must only sign CAs.
set -euo pipefail
cd /root/pki
(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/nginx/tls/api.internal.key)
openssl req -new -key /etc/nginx/tls/api.internal.key -subj "/O=Northwind/CN=api.internal" -out api.csr
openssl x509 -req -in api.csr -CA root-ca/root-ca.crt -CAkey root-ca/private/root-ca.key -CAcreateserial \
  -days 365 -extfile extensions.cnf -extensions server -out api.crt
cp api.crt /etc/nginx/tls/api.internal.fullchain.pem
systemctl reload nginx
systemctl start inventory-sync.service
