#!/usr/bin/env bash
# Grader, in the VM: the renewal runs from its timer after a reboot; when the certificate nears its expiry, the
# renewal (as the timer starts it) issues a new one and nginx serves it, also after a restart; the key stays
# private. The certbot account's rights and the zone: host-side (tests/cloud-checks.ts).
source /run/opslab-grader/lib.sh
DOMAIN=intranet.corp.example
TLS=/etc/nginx/tls
CA=/etc/pki/internal-ca
# The internal CA's certificate as shipped: what is served must chain to it, whatever is in $CA now.
cat >ca.pem <<'PEM'
-----BEGIN CERTIFICATE-----
MIIB3jCCAYWgAwIBAgIUfi8ADptDkv+zokk7bg9uytxdEl0wCgYIKoZIzj0EAwIw
PTEVMBMGA1UECgwMRXhhbXBsZSBDb3JwMSQwIgYDVQQDDBtFeGFtcGxlIENvcnAg
SW50ZXJuYWwgQ0EgUjIwHhcNMjUwMTA2MDkwMDAwWhcNMzUwMTA0MDkwMDAwWjA9
MRUwEwYDVQQKDAxFeGFtcGxlIENvcnAxJDAiBgNVBAMMG0V4YW1wbGUgQ29ycCBJ
bnRlcm5hbCBDQSBSMjBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABADN+HYm/d6i
irHASenZ8WKk0lSPZgswuJWn0GelYAhpxtB7ybMeYNo4nGIpLwkdhfmIiQDi+/hY
c9duWm55oWqjYzBhMB0GA1UdDgQWBBRqnvKnWDgpnI7i31ryPAwB5wnHgTAfBgNV
HSMEGDAWgBRqnvKnWDgpnI7i31ryPAwB5wnHgTAPBgNVHRMBAf8EBTADAQH/MA4G
A1UdDwEB/wQEAwIBhjAKBggqhkjOPQQDAgNHADBEAiAiB57zDxXAYo6yd8Cj2WCN
GGT0oDVTSShFJK94liSgggIgL54awiDjqSCRM9dcwNythXCMr9w77sqXiK6Kbf4D
Zng=
-----END CERTIFICATE-----
PEM

check "the renewal program is as shipped" 'sha256sum --quiet -c - <<<"5497e342f173c8a3cf2ac92e0ac707a0b6403a5ab1114d97df30e5252a85ad18  /usr/local/sbin/cert-renew"'
check "cert-renew.timer is enabled at boot and active after a reboot" \
  'enabled_at_boot cert-renew.timer && reboot_unit cert-renew.timer'

# served: the certificate nginx presents for the intranet (PEM).
served() {
  openssl s_client -connect 127.0.0.1:443 -servername "$DOMAIN" </dev/null 2>/dev/null | first_pem
}
# NOTE: as when the certificate comes due: the renewal's own files hold one that expires tomorrow.
doing step "ageing the certificate in $TLS"
aged=no
# NOTE: one openssl start (each costs about a second in the VM): a fresh key and the CA's certificate for
# it, plain (no extensions), as `openssl x509 -req` signs one.
openssl req -x509 -config <(printf '[req]\ndistinguished_name = dn\n[dn]\n') -newkey ec \
  -pkeyopt ec_paramgen_curve:prime256v1 -noenc -keyout aged.key -subj "/CN=$DOMAIN" \
  -CA "$CA/ca.crt" -CAkey "$CA/ca.key" -days 1 -out aged.crt 2>/dev/null &&
  install -D -m 600 aged.key "$TLS/$DOMAIN.key" && install -m 644 aged.crt "$TLS/$DOMAIN.crt" && aged=yes
check "the renewal, started as its timer starts it, succeeds for a certificate that expires tomorrow" \
  '[ $aged = yes ] && timeout 110 systemctl start cert-renew.service &&
   [ "$(systemctl show -p Result --value cert-renew.service)" = success ]'
aged_cert=$(cert_der aged.crt 2>/dev/null)
# fresh: nginx serves a certificate the shipped CA issued for the domain, valid now and in 60 days, the
# one in the renewal's files and not the aged one.
fresh() {
  local pem cert
  pem=$(served) && [ -n "$pem" ] &&
    openssl verify -CAfile ca.pem -verify_hostname "$DOMAIN" <<<"$pem" >/dev/null 2>&1 &&
    openssl verify -CAfile ca.pem -verify_hostname "$DOMAIN" -attime $(($(date +%s) + 60 * 86400)) \
      <<<"$pem" >/dev/null 2>&1 &&
    cert=$(cert_der <<<"$pem") && [ -n "$cert" ] &&
    [ "$cert" = "$(cert_der "$TLS/$DOMAIN.crt" 2>/dev/null)" ] && [ "$cert" != "$aged_cert" ]
}
check "nginx serves the certificate the renewal just issued (the internal CA's, for $DOMAIN, 60+ days left)" 'eventually 10 fresh'
check "after a restart of nginx, it still serves it" 'restart_unit nginx.service && eventually 10 fresh'
check "https://$DOMAIN/ answers with the intranet page, verified against the internal CA" \
  'curl -s --max-time 5 --cacert ca.pem --resolve "$DOMAIN:443:127.0.0.1" "https://$DOMAIN/" | grep -q "Example Corp intranet"'
check "http://$DOMAIN/ still redirects to https" \
  '[ "$(http_status "http://127.0.0.1/" -H "Host: $DOMAIN")" = 301 ]'
check "the certificate's key is readable by root only" \
  '[ $((0$(stat -L -c %a "$TLS/$DOMAIN.key") & 077)) = 0 ]'
finish
