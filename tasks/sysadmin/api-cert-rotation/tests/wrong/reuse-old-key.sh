#!/usr/bin/env bash
# Wrong: renew the issuing CA and the certificate, but for the old key, left world-readable; the chain verifies, yet the key that security wants replaced is still the one in use, readable by every account.
set -euo pipefail
cd /root/pki
openssl req -new -key issuing-ca/private/issuing-ca.key -subj "/O=Northwind/CN=Northwind Issuing CA 1" -out issuing.csr
openssl x509 -req -in issuing.csr -CA root-ca/root-ca.crt -CAkey root-ca/private/root-ca.key -CAcreateserial \
  -days 1095 -extfile extensions.cnf -extensions issuing_ca -out issuing-ca/issuing-ca.crt
openssl req -new -key /etc/nginx/tls/api.internal.key -subj "/O=Northwind/CN=api.internal" -out api.csr
openssl x509 -req -in api.csr -CA issuing-ca/issuing-ca.crt -CAkey issuing-ca/private/issuing-ca.key -CAcreateserial \
  -days 365 -extfile extensions.cnf -extensions server -out api.crt
cat api.crt issuing-ca/issuing-ca.crt > /etc/nginx/tls/api.internal.fullchain.pem
systemctl reload nginx
systemctl start inventory-sync.service
