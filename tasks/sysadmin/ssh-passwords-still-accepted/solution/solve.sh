#!/usr/bin/env bash
# Three ways in with a password: the image's drop-in sshd_config.d/50-cloud-init.conf says
# PasswordAuthentication yes, and the Include at the top of sshd_config makes it win over the hardening
# below it (sshd keeps the first value it reads); KbdInteractiveAuthentication yes lets PAM ask for the
# password through keyboard-interactive; and a Match block gives the contractors passwords back. ci's
# account has no password at all (locked, "!"): only PAM lets it in with its key, so UsePAM stays.
set -euo pipefail
sshd -T | grep -E '^(passwordauthentication|kbdinteractiveauthentication|usepam|authenticationmethods) '
grep -n -i -E '^[^#]*(include|password|kbdinteractive|match)' /etc/ssh/sshd_config /etc/ssh/sshd_config.d/*.conf
rm /etc/ssh/sshd_config.d/50-cloud-init.conf
sed -i 's/^KbdInteractiveAuthentication yes/KbdInteractiveAuthentication no/' /etc/ssh/sshd_config
sshd -T -C user=vkumar,host=localhost,addr=127.0.0.1 | grep -E '^(passwordauthentication|kbdinteractiveauthentication) '
id vkumar
sed -i '/^Match Group contractors/,/^$/ s/^\tPasswordAuthentication yes$/\tPasswordAuthentication no/' /etc/ssh/sshd_config
sshd -t
for user in alice ops ci vkumar root; do sshd -T -C "user=$user,host=localhost,addr=127.0.0.1" | grep -E '^(passwordauthentication|kbdinteractiveauthentication) ' | tr '\n' ' '; echo "$user"; done
systemctl restart ssh.service
ssh -F /dev/null -o KexAlgorithms=curve25519-sha256 -i /root/.ssh/ci_deploy -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null ci@127.0.0.1 id -un
ssh -F /dev/null -o KexAlgorithms=curve25519-sha256 -i /root/.ssh/ops_admin -o BatchMode=yes -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null ops@127.0.0.1 id -un
{ ssh -F /dev/null -o KexAlgorithms=curve25519-sha256 -o BatchMode=yes -o PubkeyAuthentication=no -o StrictHostKeyChecking=no -o UserKnownHostsFile=/dev/null vkumar@127.0.0.1 true 2>&1 || true; } | grep -F 'Permission denied (publickey)'
