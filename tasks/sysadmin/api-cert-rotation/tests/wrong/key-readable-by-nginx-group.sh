#!/usr/bin/env bash
# Wrong: the right renewal, but the new key is given to the web server's group (0640 root:www-data) "so nginx can read it"; nginx reads keys as root, and now its workers, or anything running as www-data, can read the key.
set -euo pipefail
cd /root/pki
openssl req -new -key issuing-ca/private/issuing-ca.key -subj "/O=Northwind/CN=Northwind Issuing CA 1" -out issuing.csr
openssl x509 -req -in issuing.csr -CA root-ca/root-ca.crt -CAkey root-ca/private/root-ca.key -CAcreateserial \
  -days 1095 -extfile extensions.cnf -extensions issuing_ca -out issuing-ca/issuing-ca.crt
openssl genpkey -algorithm EC -pkeyopt ec_paramgen_curve:P-256 -out /etc/nginx/tls/api.internal.key
chown root:www-data /etc/nginx/tls/api.internal.key
chmod 640 /etc/nginx/tls/api.internal.key
openssl req -new -key /etc/nginx/tls/api.internal.key -subj "/O=Northwind/CN=api.internal" -out api.csr
openssl x509 -req -in api.csr -CA issuing-ca/issuing-ca.crt -CAkey issuing-ca/private/issuing-ca.key -CAcreateserial \
  -days 365 -extfile extensions.cnf -extensions server -out api.crt
cat api.crt issuing-ca/issuing-ca.crt > /etc/nginx/tls/api.internal.fullchain.pem
systemctl reload nginx
systemctl start inventory-sync.service
