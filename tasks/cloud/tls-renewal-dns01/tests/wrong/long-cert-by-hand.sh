#!/usr/bin/env bash
# Wrong: issue a ten-year certificate by hand with the CA's key where nginx reads it and reload; the site is fine today, but the renewal is as broken as before.
set -euo pipefail
openssl ecparam -name prime256v1 -genkey -noout -out /etc/ssl/intranet/intranet.corp.example.key
openssl req -new -key /etc/ssl/intranet/intranet.corp.example.key -subj /CN=intranet.corp.example |
  openssl x509 -req -CA /etc/pki/internal-ca/ca.crt -CAkey /etc/pki/internal-ca/ca.key -CAcreateserial -days 3650 \
    -extfile <(printf 'subjectAltName=DNS:intranet.corp.example\n') -out /etc/ssl/intranet/intranet.corp.example.pem
systemctl reload nginx
