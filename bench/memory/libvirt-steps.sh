#!/usr/bin/env bash
# The libvirt half of ./run, run by the private libvirtd's script (libvirtd-private.sh ... -- libvirt-steps.sh)
# inside libvirt's namespaces once libvirtd is up; the steps follow what ./run asks for through files in CTL:
# `default` started -> CTL/one; once CTL/more exists, N-1 more NAT networks -> CTL/many; once CTL/stop exists,
# everything destroyed (libvirtd is stopped by the script that started it). Every wait is bounded.
set -euo pipefail
ctl=$1 n=$2 xmls=$3
virsh() { command virsh -q -c qemu:///system "$@"; }
await() { for _ in $(seq 1200); do [ -e "$ctl/$1" ] && return 0; sleep 0.5; done; echo "no $1 from ./run in 600 s" >&2; exit 1; }
virsh net-start default >/dev/null
touch "$ctl/one"
await more
cmds=()
for ((k = 0; k < n - 1; k++)); do cmds+=("net-define $xmls/b$k.xml ; net-start bench$k"); done
(IFS=';'; virsh "${cmds[*]}" >/dev/null)
touch "$ctl/many"
await stop
cmds=()
for ((k = 0; k < n - 1; k++)); do cmds+=("net-destroy bench$k ; net-undefine bench$k"); done
(IFS=';'; virsh "${cmds[*]}" >/dev/null)
virsh net-destroy default >/dev/null
