#!/usr/bin/env bash
# Grader: after a reboot of sshd, Martin's key (from his laptop; it never was on this server) opens none of
# mweber, deploy or root, and his password no longer logs him in; the CI's and Mark Webb's keys still
# reach deploy, the break-glass key root, anna her account with her password; mweber has no sudo
# rights, anna keeps hers; his account, UID and files are kept; the nightly report, started as its timer
# starts it with his home out of reach, is written by reports, readable by finance (anna).
source /run/opslab-grader/lib.sh
KEYS=$(mktemp -d)
chmod 700 "$KEYS"
cat >"$KEYS/martin" <<'KEY'
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACAEZk6sjEslC9FD0e33V+yyEJFfWJI/JHDDhgXXG/UixQAAAJBJOZnxSTmZ
8QAAAAtzc2gtZWQyNTUxOQAAACAEZk6sjEslC9FD0e33V+yyEJFfWJI/JHDDhgXXG/UixQ
AAAEDsggOfHjQXR+rblFG2QCNLAoW4nT1nXey2kwt/dBHKyQRmTqyMSyUL0UPR7fdX7LIQ
kV9Ykj8kcMOGBdcb9SLFAAAABm1hcnRpbgECAwQFBgc=
-----END OPENSSH PRIVATE KEY-----
KEY
cat >"$KEYS/ci" <<'KEY'
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACAUN7onIfWATCGZMdIIOZaz7yXNb6rZB7og+jHbkGnMxwAAAIhhkUDwYZFA
8AAAAAtzc2gtZWQyNTUxOQAAACAUN7onIfWATCGZMdIIOZaz7yXNb6rZB7og+jHbkGnMxw
AAAECrrcONG8rTa8GmpseyJTxzuqWI7/Z61/ufssIl8CZuFRQ3uich9YBMIZkx0gg5lrPv
Jc1vqtkHuiD6MduQaczHAAAAAmNpAQID
-----END OPENSSH PRIVATE KEY-----
KEY
cat >"$KEYS/mwebb" <<'KEY'
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDGjrbamh0E8M0jv/6iUB2KYFnvGVl/gY96ez8OBonHvwAAAIga3qCgGt6g
oAAAAAtzc2gtZWQyNTUxOQAAACDGjrbamh0E8M0jv/6iUB2KYFnvGVl/gY96ez8OBonHvw
AAAED9QPk5ypB7LVBBgBwUYjt55m6HfLv1cSyR4TOWfVdVZcaOttqaHQTwzSO//qJQHYpg
We8ZWX+Bj3p7Pw4Gice/AAAABW13ZWJi
-----END OPENSSH PRIVATE KEY-----
KEY
cat >"$KEYS/breakglass" <<'KEY'
-----BEGIN OPENSSH PRIVATE KEY-----
b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW
QyNTUxOQAAACDqJ1tExE0gkiq64Cy6WQsAEhi1rsfp3kTI1iy+RNH9XgAAAJDoAbvA6AG7
wAAAAAtzc2gtZWQyNTUxOQAAACDqJ1tExE0gkiq64Cy6WQsAEhi1rsfp3kTI1iy+RNH9Xg
AAAEBE6TFOWimKXbSGGQuLGmPaUW/juObYaK4gKw+oYgerWOonW0TETSCSKrrgLLpZCwAS
GLWux+neRMjWLL5E0f1eAAAACmJyZWFrZ2xhc3MBAgM=
-----END OPENSSH PRIVATE KEY-----
KEY
chmod 600 "$KEYS"/*
REPORTS=/srv/reports/invoices
# ssh_as KEY USER: logs in as USER with KEY and prints `id -un` there.
# NOTE: ConnectTimeout (60 s, SSH_CLIENT's) bounds the key exchange too: logins take seconds of the VM's
# CPU each, twice that beside another VM, so 20 s failed good logins under load.
ssh_as() {
  "${SSH_CLIENT[@]}" -i "$KEYS/$1" -o BatchMode=yes -o IdentitiesOnly=yes -o PasswordAuthentication=no \
    "$2@127.0.0.1" id -un </dev/null 2>/dev/null
}
# opens KEY USER: KEY opens a session as USER.
opens() { [ "$(ssh_as "$1" "$2")" = "$2" ]; }
# NOTE: the checks that need no login come first: they cost a second where the logins cost ten or more,
# and a grade that stops at its first failure (verification's) then ends before the logins when they fail.
check "mweber has no sudo rights" 'sudo -n -l -U mweber 2>&1 | grep -q "is not allowed to run sudo"'
check "anna may still start the report with sudo" 'sudo -n -l -U anna 2>/dev/null | grep -q "NOPASSWD: /usr/bin/systemctl start invoice-report.service"'
# His account and files as they were: UID 1001, the scripts and drafts unchanged and his.
files_kept() {
  [ "$(id -u mweber 2>/dev/null)" = 1001 ] && [ -d /home/mweber ] &&
    [ "$(stat -c %u /home/mweber /home/mweber/bin/invoice-report /home/mweber/drafts/handover.md /home/mweber/drafts/q4-reconciliation.txt | sort -u)" = 1001 ] &&
    grep -qx 'Q4 reconciliation: 3 invoices disputed by CUST-074, waiting on legal' /home/mweber/drafts/q4-reconciliation.txt &&
    grep -q 'runs from my ~/bin, timer at 05:30' /home/mweber/drafts/handover.md &&
    grep -q "awk -F, 'NR == 1 || \$4 == \"open\"" /home/mweber/bin/invoice-report
}
check "mweber's account, UID and files are kept" 'files_kept'
check "the report's timer is enabled at boot" 'enabled_at_boot invoice-report.timer'
today=$REPORTS/invoices-$(date +%F).csv
expected=$(awk -F, 'NR == 1 || $4 == "open" || $4 == "overdue"' /var/lib/invoicing/invoices.csv)
rm -f "$today"
# The report runs as its timer starts it, with mweber's home out of reach (as if archived): nothing of
# it may depend on him.
# NOTE: detached lazily: whatever the report left running in his home, the logins below see his own
# files again.
doing step "running tonight's report as its timer does, with mweber's home out of reach"
mount -t tmpfs -o size=1m,mode=700 offboarded /home/mweber
systemctl start invoice-report.service >/dev/null 2>&1
umount -l /home/mweber
check "tonight's report is written, without mweber's home" '[ -f "$today" ] && [ "$(cat "$today")" = "$expected" ]'
check "tonight's report is written by reports" '[ "$(stat -c %U "$today" 2>/dev/null)" = reports ]'
check "anna reads tonight's report and the earlier ones" 'as_user anna cat "$today" "$REPORTS/invoices-2026-12-01.csv" >/dev/null 2>&1'
check "other accounts cannot read the reports" '! as_user mwebb cat "$today" >/dev/null 2>&1 && ! as_user nobody cat "$today" >/dev/null 2>&1'
reboot_unit ssh.service
# NOTE: each login costs seconds of the VM's CPU; the key logins are made at once (check_later) and
# their results given in turn as they end, and the two password logins on a terminal beside them (a
# refused one waits out PAM's failure delay). One after the other, the reference solution's grade took
# 20.8 s against 14.2 s (run side by side).
check_later "Martin's key no longer opens mweber" '! opens martin mweber'
check_later "Martin's key no longer opens deploy" '! opens martin deploy'
check_later "Martin's key no longer opens root" '! opens martin root'
check_later "the CI's and Mark Webb's keys still open deploy" 'opens ci deploy & ci=$!; opens mwebb deploy && wait "$ci"'
check_later "the break-glass key still opens root" 'opens breakglass root'
logins "mweber:Winter-mw-2026#" "anna:Ledger-anna-2026!" >"$KEYS/passwords.out" &
passwords=$!
settle_checks
wait "$passwords"
mapfile -t passwords <"$KEYS/passwords.out"
check "mweber's password no longer logs him in" '[ "${passwords[0]-}" = "mweber refused" ]'
check "anna still logs in with her password" '[ "${passwords[1]-}" = "anna in" ]'
rm -rf "$KEYS"
finish
