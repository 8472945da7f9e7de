#!/usr/bin/env bash
# Both api.internal's certificate and the issuing CA that signed it have expired: the root renews the
# issuing CA (same key), the renewed issuing CA signs a new certificate for a new, private key, and
# nginx serves it with the renewed issuing CA in its chain.
set -euo pipefail
journalctl -u inventory-sync.service -n 5 --no-pager || true
openssl s_client -connect api.internal:8443 -servername api.internal -showcerts </dev/null 2>&1 | grep -E 'verify|s:|i:|NotAfter' || true
openssl x509 -in /root/pki/issuing-ca/issuing-ca.crt -noout -subject -enddate
cd /root/pki
openssl req -new -key issuing-ca/private/issuing-ca.key -subj "/O=Northwind/CN=Northwind Issuing CA 1" -out issuing-ca/issuing-ca.csr
openssl x509 -req -in issuing-ca/issuing-ca.csr -CA root-ca/root-ca.crt -CAkey root-ca/private/root-ca.key \
  -CAcreateserial -days 1095 -extfile extensions.cnf -extensions issuing_ca -out issuing-ca/issuing-ca.crt
(umask 077 && openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/nginx/tls/api.internal.key.new)
openssl req -new -key /etc/nginx/tls/api.internal.key.new -subj "/O=Northwind/CN=api.internal" \
  -addext "subjectAltName=DNS:api.internal" -out /root/pki/api.internal.csr
openssl x509 -req -in /root/pki/api.internal.csr -CA issuing-ca/issuing-ca.crt -CAkey issuing-ca/private/issuing-ca.key \
  -CAcreateserial -days 365 -extfile extensions.cnf -extensions server -copy_extensions copy -out /root/pki/api.internal.crt
cat /root/pki/api.internal.crt issuing-ca/issuing-ca.crt > /etc/nginx/tls/api.internal.fullchain.pem
mv /etc/nginx/tls/api.internal.key.new /etc/nginx/tls/api.internal.key
chmod 600 /etc/nginx/tls/api.internal.key
nginx -t
systemctl reload nginx
openssl s_client -connect api.internal:8443 -servername api.internal -CAfile /etc/ssl/northwind/root-ca.crt \
  -verify_return_error </dev/null 2>&1 | grep 'Verify return code'
systemctl start inventory-sync.service
