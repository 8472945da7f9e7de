#!/usr/bin/env bash
# Grader: alice logs in with her own password through PAM; the leaver stays out; nobody else changed.
# Logs in with su from an unprivileged account on a pseudo-terminal, as a person would.
PASSWORD_LOGIN='
import os, pty, select, sys, time
user, password = sys.argv[1], sys.argv[2]
pid, fd = pty.fork()
if pid == 0:
    os.setgroups([]); os.setgid(65534); os.setuid(65534)
    os.execv("/bin/su", ["su", "-", user, "-c", "echo LOGIN-OK $(id -un)"])
out, sent, deadline = b"", False, time.time() + 20
while time.time() < deadline:
    if select.select([fd], [], [], 0.5)[0]:
        try:
            data = os.read(fd, 1024)
        except OSError:
            break
        if not data:
            break
        out += data
        if not sent and b"assword" in out:
            os.write(fd, password.encode() + b"\n")
            sent = True
os.waitpid(pid, 0)
sys.exit(0 if b"LOGIN-OK " + user.encode() in out else 1)
'
logs_in() { python3 -c "$PASSWORD_LOGIN" "$1" "$2" >/dev/null 2>&1; }
check() { if eval "$2"; then echo "PASS: $1"; else echo "FAIL: $1"; failed=1; fi; }
failed=0
check "alice logs in with her password" 'logs_in alice Lp7-winter-Kettle'
check "a wrong password still does not let alice in" '! logs_in alice not-her-password'
check "alice keeps her UID 1040 and her files" '[ "$(id -u alice)" = 1040 ] && [ "$(stat -c %U /home/alice/notes.txt)" = alice ] && grep -q "rotate the backup disks" /home/alice/notes.txt'
check "mallory (contract ended) still cannot log in" '! logs_in mallory Qr4-summer-Anvil'
check "mallory's account is still there, for the audit" '[ "$(id -u mallory 2>/dev/null)" = 1041 ] && [ -d /home/mallory ]'
check "bob still logs in with his password" 'logs_in bob Wt2-autumn-Ladle'
exit $failed
