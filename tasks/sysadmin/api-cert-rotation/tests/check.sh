#!/usr/bin/env bash
# Grader: api.internal:8443 serves a chain that the company's root CA (the grader's own copy) verifies
# for the name api.internal: a new certificate, valid for a month at least, issued by a valid issuing CA
# that the root signed, for a new key that only root can read. The sync job runs unprivileged, gets the
# inventory, and still refuses a server whose certificate the root did not sign; all of it again after a
# reboot of nginx and the timer.
source /run/opslab-grader/lib.sh
HERE=$(pwd)
ROOT=$HERE/root-ca.crt
# The Northwind root CA every client trusts, as the task began.
cat >"$ROOT" <<'PEM'
-----BEGIN CERTIFICATE-----
MIIBmzCCAUKgAwIBAgICEAAwCgYIKoZIzj0EAwIwNTESMBAGA1UECgwJTm9ydGh3
aW5kMR8wHQYDVQQDDBZOb3J0aHdpbmQgUm9vdCBDQSAyMDI0MB4XDTI0MDExNTAw
MDAwMFoXDTM5MDExNTAwMDAwMFowNTESMBAGA1UECgwJTm9ydGh3aW5kMR8wHQYD
VQQDDBZOb3J0aHdpbmQgUm9vdCBDQSAyMDI0MFkwEwYHKoZIzj0CAQYIKoZIzj0D
AQcDQgAED4IX47+laBrOLFqzTELUMyj6aveBBjJUak3wlWjq+XjoItauJoYvzdp+
xZ3YJklG8HF2Q2gaZWDoS55GTnsw0qNCMEAwDwYDVR0TAQH/BAUwAwEB/zAOBgNV
HQ8BAf8EBAMCAQYwHQYDVR0OBBYEFP2uHIIGbMzYcJ30pvDa0BhYsLfQMAoGCCqG
SM49BAMCA0cAMEQCIB8svfVBAZoRaQ0KXQPdwSSDI5mCs2GTHYjtT5bzUya3AiAZ
bRZUzTUVlzgjjNMEeWBcW65GWy2bBCZaFKy/Ws+k0Q==
-----END CERTIFICATE-----
PEM
# The x coordinate of the old key's public point (P-256), the key that sat world-readable: a certificate
# for that key carries it, whether it writes the point compressed or not.
OLD_KEY_X=56607fbcbbaed8d8d49b8c933576f5abb2da67c54e046dc6a9ba2662f952ed70
MONTH=2592000
# NOTE: openssl costs 0.1 to 1 s a start in the VM (`openssl x509` the most: see lib.sh's first_pem):
# each question starts it once at most.
# served FILE: what api.internal:8443 sends (every certificate to FILE.all, the leaf to FILE.leaf) and
# whether the root CA verifies it for the name api.internal (s_client's verdict in FILE.out).
served() {
  openssl s_client -connect 127.0.0.1:8443 -servername api.internal -showcerts -CAfile "$ROOT" \
    -verify_hostname api.internal </dev/null >"$1.out" 2>/dev/null
  sed -n '/-BEGIN CERTIFICATE-/,/-END CERTIFICATE-/p' "$1.out" >"$1.all"
  first_pem "$1.all" >"$1.leaf"
}
verifies() { grep -q 'Verify return code: 0 (ok)' "$1.out"; }
# chain_from_root FILE: the served chain, verified against the root: leaf, one CA that is not the root
# (by name), then the root itself.
chain_from_root() {
  local chain issuer root
  chain=$(openssl verify -show_chain -CAfile "$ROOT" -untrusted "$1.all" "$1.leaf" 2>/dev/null | grep '^depth=')
  issuer=$(sed -n 's/^depth=1: \(.*\) (untrusted)$/\1/p' <<<"$chain")
  root=$(sed -n 's/^depth=2: //p' <<<"$chain")
  [ "$(wc -l <<<"$chain")" = 3 ] && [ -n "$issuer" ] && [ "$issuer" != "$root" ]
}
# chain_valid_for FILE SECONDS: the served chain still verifies that long from now: no certificate in it
# (leaf, issuing CA, root) expires before then.
chain_valid_for() {
  openssl verify -attime $(($(date +%s) + $2)) -CAfile "$ROOT" -untrusted "$1.all" "$1.leaf" >/dev/null 2>&1
}
# new_key FILE: the served certificate is not for the old key.
new_key() {
  local der
  der=$(cert_der "$1.leaf") && [ -n "$der" ] && [[ $der != *"$OLD_KEY_X"* ]]
}
# keys_private: each key nginx loads is root's, with no rights for others, unreadable to the other accounts.
keys_private() {
  local key user keys owner_mode
  keys=$(nginx -T 2>/dev/null | awk '$1 == "ssl_certificate_key" { sub(/;$/, "", $2); print $2 }' | sort -u)
  [ -n "$keys" ] || return 1
  for key in $keys; do
    owner_mode=$(stat -L -c %u:%a "$key") || return 1
    # root's, and the mode's last digit (the others' rights) is 0
    [ "${owner_mode%%:*}" = 0 ] && [ "${owner_mode: -1}" = 0 ] || return 1
    for user in www-data inventory nobody; do
      ! as_user "$user" test -r "$key" 2>/dev/null || return 1
    done
  done
}
# The inventory api.internal serves, as the task began.
INVENTORY='{"site": "northwind-dc1", "hosts": [
  {"name": "db1", "role": "postgres", "rack": "A3"},
  {"name": "db2", "role": "postgres", "rack": "B1"},
  {"name": "web1", "role": "nginx", "rack": "A1"},
  {"name": "web2", "role": "nginx", "rack": "B2"},
  {"name": "queue1", "role": "rabbitmq", "rack": "A2"}
]}'
# sync_runs: the sync job runs and leaves the inventory, its five hosts, as api.internal serves it.
# NOTE: compared whole, without jq (about 0.6 s a start in the VM).
sync_runs() {
  rm -f /var/lib/inventory/inventory.json
  systemctl start inventory-sync.service 2>/dev/null &&
    [ "$(</var/lib/inventory/inventory.json)" = "$INVENTORY" ]
}
# rejects_impostor: with nginx stopped, a server with a self-signed certificate for api.internal takes
# port 8443; the sync job must refuse it. NOTE: nginx stays stopped: the reboot that follows starts it.
# NOTE: the impostor's key and certificate (for api.internal, valid 2024 to 2039) are made once, here:
# making them took the VM a second or more of openssl.
rejects_impostor() {
  local pid ok=0
  cat >"$HERE/impostor.key" <<'PEM'
-----BEGIN PRIVATE KEY-----
MIGHAgEAMBMGByqGSM49AgEGCCqGSM49AwEHBG0wawIBAQQgXHjmSxuHU2PIiAV4
nHx7yFGAsKhhDun5Ov6DVJYOqWGhRANCAAR2EK6m5ZBImG501sruXK7KTIoXWupR
/UvpFGalIaaSG5LH8evOA9OrforAV4wOFpFzgmMrBOYJnJITKJMYEMq8
-----END PRIVATE KEY-----
PEM
  cat >"$HERE/impostor.crt" <<'PEM'
-----BEGIN CERTIFICATE-----
MIIBSjCB8aADAgECAhReZT12SjWDWnbKnZEGNL4yQo1gjzAKBggqhkjOPQQDAjAX
MRUwEwYDVQQDDAxhcGkuaW50ZXJuYWwwHhcNMjQwMTAxMDAwMDAwWhcNMzkxMjMx
MDAwMDAwWjAXMRUwEwYDVQQDDAxhcGkuaW50ZXJuYWwwWTATBgcqhkjOPQIBBggq
hkjOPQMBBwNCAAR2EK6m5ZBImG501sruXK7KTIoXWupR/UvpFGalIaaSG5LH8evO
A9OrforAV4wOFpFzgmMrBOYJnJITKJMYEMq8oxswGTAXBgNVHREEEDAOggxhcGku
aW50ZXJuYWwwCgYIKoZIzj0EAwIDSAAwRQIhAJEUef74L0uSvLzwP3TFDP3/WvEo
jy1bg49P9MRl/8KaAiBniXkfs7hOw/cQIkQI0UzGJRP0crEh5FEq08eJ4uPJrA==
-----END CERTIFICATE-----
PEM
  systemctl stop nginx
  openssl s_server -quiet -accept 8443 -cert "$HERE/impostor.crt" -key "$HERE/impostor.key" -www >/dev/null 2>&1 &
  pid=$!
  eventually 10 'listening 8443'
  if systemctl start inventory-sync.service 2>/dev/null; then ok=1; fi
  kill "$pid"
  wait "$pid" 2>/dev/null
  return "$ok"
}
checks() {
  local when=$1
  served "$HERE/served"
  check "$when: api.internal:8443 verifies against the company's root CA" 'verifies "$HERE/served"'
  check "$when: the chain is api.internal, an issuing CA, then the root" 'chain_from_root "$HERE/served"'
  check "$when: every certificate of the chain stays valid for 30 days at least" 'chain_valid_for "$HERE/served" $MONTH'
  check "$when: the certificate is for a new key" 'new_key "$HERE/served"'
  check "$when: the key nginx loads is readable by root only" 'keys_private'
  check "$when: inventory-sync runs and gets the inventory" 'sync_runs'
}
checks "now"
check "inventory-sync runs as the inventory account" '[ "$(systemctl show -p User --value inventory-sync.service)" = inventory ]'
check "the clients' trust file holds the root CA alone" '[ "$(grep -c BEGIN /etc/ssl/northwind/root-ca.crt)" = 1 ] && [ "$(cert_der /etc/ssl/northwind/root-ca.crt)" = "$(cert_der "$ROOT")" ]'
check "inventory-sync refuses a server the root CA did not sign" 'rejects_impostor'
check "nginx's configuration is valid" 'nginx -t >/dev/null 2>&1'
check "the inventory-sync timer is enabled at boot" 'enabled_at_boot inventory-sync.timer'
reboot_unit nginx.service inventory-sync.timer
check "the default site still answers on port 80" 'eventually 10 "[ \"\$(http_status http://127.0.0.1/)\" = 200 ]"'
checks "after a reboot"
finish
