#!/usr/bin/env bash
set -euo pipefail
useradd --uid 1040 --create-home --shell /bin/bash alice
useradd --uid 1041 --create-home --shell /bin/bash mallory
useradd --uid 1042 --create-home --shell /bin/bash bob
chpasswd --encrypted <<'HASHES'
alice:$6$dsLbAqVV7cFr79Tw$K6Dz9lFIoCKtBnGNFO3z3jqq9Elr5YOuiEcmD1rMLp.Ppu3BOSh05S3WLrpa0hnaQbt4CutbgQuWud.cQTEa40
mallory:$6$WBty179QknFGYMUa$iM7snFHYsTVq3fq9zBRXnwcXxtczVstYkJFAXYC6tHAJySt2ZBHgNhsL58.GSIx5qmALRAoY3dO3TdVH58AYY.
bob:$6$zzczMFDf1kBAB.mb$KkavKIPGOBbLHMrF2qQHEVu1j3ZhT11BLNnrWq6qTW7wToRlbKa31Uxrt.LN6oqgGyeoavufQFtm5f3CuTBhp0
HASHES
printf 'handover notes: rotate the backup disks on Fridays\n' > /home/alice/notes.txt
chown alice:alice /home/alice/notes.txt
# The leavers' run of the HR tool: alice went on leave, mallory's contract ended.
for user in alice mallory; do
  usermod --lock "$user"
  chage --expiredate 2024-06-30 "$user"
done
