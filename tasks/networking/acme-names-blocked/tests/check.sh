#!/usr/bin/env bash
# Grader: the office resolver (asked from pc and a new office PC) answers Acme's names and their
# addresses back, a host Acme adds at grading too; Acme's DNS is untouched; the office's own and public
# names still resolve; a public name pointing into our networks is still refused and private reverse
# lookups outside Acme's are still answered NXDOMAIN by the resolver itself; again after ns reboots.
source /run/opslab-grader/lib.sh
untouched() {
  sha256sum --status -c - <<'SUMS'
abdbd8adc9ab42e8c7d32ed3d21b33f8e1ad414e2e3930c61c9aab0ab5f1b6c1  /etc/netns/acmedns/dnsmasq.conf
79e0c26c651c331b253ead980b997a30e022907306ba6598e0f3a18558dccda9  /srv/acme/dns/hosts
SUMS
}
# NOTE: one dig asks every question (a dig start costs a good share of a second in the VM).
# lookups HOST QUERY...: asks the office resolver from HOST; one line per query: "NAME TYPE STATUS ANSWER...".
lookups() {
  ip netns exec "$1" dig +time=2 +tries=1 @10.0.1.53 +noall +comments +question +answer "${@:2}" 2>/dev/null | awk '
    function flush() { if (q != "") print q, st ans; q = ""; ans = "" }
    /status: / { flush(); match($0, /status: [A-Z]+/); st = substr($0, RSTART + 8, RLENGTH - 8) }
    /^;[^; ]/ { q = substr($1, 2) " " $3 }
    /^[^;]/ && NF >= 5 { ans = ans " " $5 }
    END { flush() }'
}
# got NAME TYPE: the status and answers of NAME's TYPE query in the last lookups ("NOERROR 10.20.1.15").
got() { awk -v n="$1." -v t="$2" '$1 == n && $2 == t { $1 = $2 = ""; sub(/^ +/, ""); print }' <<<"$table"; }
# Acme's DNS gets a new host, and the Internet's DNS a public name pointing into the office LAN: names
# no one asked for before (ns's cache is empty of them, and again after its reboot).
n=$RANDOM
acme_name="new$n-$RANDOM.acme.internal" acme_addr="10.20.$((n % 200 + 10)).$((n % 250 + 2))"
acme_ptr=$(awk -F. '{ print $4 "." $3 "." $2 "." $1 ".in-addr.arpa" }' <<<"$acme_addr")
public_name="office$n-$RANDOM.dyn.example.net"
checks() {
  local when=$1
  table=$(lookups newpc files.acme.internal "$acme_name" wiki.corp.example www.corp.example updates.vendor.example "$public_name" -x 10.20.1.15 -x "$acme_addr" -x 10.0.1.99 -x 192.168.10.5)
  check "$when: pc resolves db.acme.internal" '[ "$(ip netns exec pc getent ahostsv4 db.acme.internal | awk "NR == 1 { print \$1 }")" = 10.20.1.15 ]'
  check "$when: a new office PC gets files.acme.internal and a host Acme just added" '[ "$(got files.acme.internal A)" = "NOERROR 10.20.1.16" ] && [ "$(got "$acme_name" A)" = "NOERROR $acme_addr" ]'
  check "$when: Acme's addresses resolve back to names (10.20.1.15, and the new host's)" '[ "$(got 15.1.20.10.in-addr.arpa PTR)" = "NOERROR db.acme.internal." ] && [ "$(got "$acme_ptr" PTR)" = "NOERROR $acme_name." ]'
  check "$when: the office's own and public names still resolve (wiki, www)" '[ "$(got wiki.corp.example A)" = "NOERROR 10.0.1.20" ] && [ "$(got www.corp.example A)" = "NOERROR 185.199.108.80" ]'
  check "$when: a public name pointing into the office LAN is still refused" '[ "$(got updates.vendor.example A)" = "NOERROR 151.101.64.20" ] && [ "$(got "$public_name" A)" = NOERROR ]'
  check "$when: reverse lookups of other private addresses are still answered NXDOMAIN by the resolver" '[ "$(got 99.1.0.10.in-addr.arpa PTR)" = NXDOMAIN ] && [ "$(got 5.10.168.192.in-addr.arpa PTR)" = NXDOMAIN ]'
}
check "Acme's DNS server is as Acme left it" 'untouched'
echo "$acme_addr   $acme_name" >>/srv/acme/dns/hosts
echo "10.0.1.$((n % 200 + 30))   $public_name" >>/srv/dns/public.hosts
systemctl kill -s HUP acmedns-dnsmasq pubdns-dnsmasq
plug_in newpc lan 10.0.1.77/24 10.0.1.1
# NOTE: the servers read their files again in the background: wait until both answer the new names.
eventually 5 "ip netns exec gw dig +time=1 +tries=1 +short @10.20.0.53 $acme_name | grep -q . && ip netns exec gw dig +time=1 +tries=1 +short @203.0.113.53 $public_name | grep -q ."
checks_across_reboot '[ "$(ip netns exec pc dig +time=1 +tries=1 +short @10.0.1.53 www.corp.example)" = 185.199.108.80 ]' ns
finish
