#!/usr/bin/env bash
# Grader: Marketplace's crawlers (crawler and a new one in its range) get the feed, and the new one a
# batch of 50 pages at once, every page; a stranger next to them is still rate limited and gets no
# feed, nor does an address of the partner's old range; customers browse; again after edge reboots.
source /run/opslab-grader/lib.sh
# answered HOST: how many of 50 product pages HOST gets when it asks for them all at once.
answered() {
  local i args=()
  for i in $(seq 1 50); do args+=(-o /dev/null "http://203.0.113.2/p/$i"); done
  ip netns exec "$1" curl -s --parallel --parallel-immediate --parallel-max 50 --connect-timeout 2 --max-time 6 -w '%{http_code}\n' "${args[@]}" 2>/dev/null | grep -c '^200$'
}
feed() { host_get "$1" http://203.0.113.2:8081/feed.json | grep -q '"products"'; }
page() { host_get "$1" http://203.0.113.2/ | grep -q 'In stock'; }
checks() {
  local when=$1
  check_later "$when: a stranger next to the crawlers (192.0.2.150) is still rate limited, and gets no feed" '[ "$(answered stranger)" -lt 50 ] && host_cannot_connect stranger 203.0.113.2 8081'
  check_later "$when: the partner's old range (192.0.2.20) gets no feed" 'host_cannot_connect oldrange 203.0.113.2 8081'
  check "$when: the crawler downloads the feed" 'feed crawler'
  check "$when: another crawler of the range (192.0.2.93) gets the feed and all 50 pages of a batch" 'feed crawler2 && [ "$(answered crawler2)" = 50 ]'
  check "$when: customers still browse the shop" 'page customer'
  check "$when: the shop still reaches the Internet" 'host_pings shop 192.0.2.85'
}
plug_in crawler2 inet 192.0.2.93/24 192.0.2.1
plug_in stranger inet 192.0.2.150/24 192.0.2.1
plug_in oldrange inet 192.0.2.20/24 192.0.2.1
plug_in customer up 203.0.113.5/29 203.0.113.1
checks_across_reboot 'host_get shop http://127.0.0.1/ >/dev/null' edge
finish
