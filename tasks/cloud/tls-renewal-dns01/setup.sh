#!/usr/bin/env bash
# The ops box serves intranet.corp.example with nginx; cert-renew (DNS-01 in the cloud DNS, profile "certbot")
# renews its certificate from the internal CA. The site still serves the certificate issued by hand in the spring.
set -euo pipefail
chmod 755 /usr/local/sbin/cert-renew
chmod 700 /etc/pki/internal-ca
chmod 600 /etc/pki/internal-ca/ca.key
cat >>/root/.cloud/credentials <<'CREDS'

[certbot]
access_key_id = AKIA0CRT9D1N5S3C7H2L
secret_access_key = Cr9Tb1Dn5Sc3Ch7Lk2Mq6Wn0Ex4Rt8Yu2Io6Pa1S
CREDS
printf '\n[profile certbot]\nregion = eu-west-1\n' >>/root/.cloud/config
# issue KEY CERT DAYS: a fresh key and a certificate of the internal CA for intranet.corp.example.
issue() {
  mkdir -p "${1%/*}" "${2%/*}"
  openssl ecparam -name prime256v1 -genkey -noout -out "$1"
  chmod 600 "$1"
  openssl req -new -key "$1" -subj /CN=intranet.corp.example |
    openssl x509 -req -CA /etc/pki/internal-ca/ca.crt -CAkey /etc/pki/internal-ca/ca.key -CAcreateserial \
      -days "$3" -sha256 -extfile <(printf 'subjectAltName=DNS:intranet.corp.example\nextendedKeyUsage=serverAuth\n') \
      -out "$2" 2>/dev/null
  chmod 644 "$2"
}
issue /etc/ssl/intranet/intranet.corp.example.key /etc/ssl/intranet/intranet.corp.example.pem 2
issue /etc/nginx/tls/intranet.corp.example.key /etc/nginx/tls/intranet.corp.example.crt 29
ln -s ../sites-available/intranet /etc/nginx/sites-enabled/intranet
systemctl reload nginx
systemctl daemon-reload
# Today's renewal attempt.
systemctl start cert-renew.service || true
