#!/usr/bin/env bash
# Runs inside `ip netns exec NS unshare -m --propagation private` (started by ./run): private /etc/libvirt,
# /run, /var/lib/libvirt and /var/log mounts, libvirtd, then the steps ./run asks for through files in CTL:
# `default` started -> CTL/one; once CTL/more exists, N-1 more NAT networks -> CTL/many; once CTL/stop exists,
# everything destroyed and libvirtd stopped. Every wait is bounded. Nothing outside the namespaces is touched.
set -euo pipefail
dir=$1 ctl=$2 n=$3 xmls=$4
mkdir -p "$dir/etc" "$dir/lib"
cp -a /etc/libvirt/. "$dir/etc/"
rm -f "$dir/etc/qemu/networks/autostart/"*
mount --bind "$dir/etc" /etc/libvirt
mount -t tmpfs tmpfs /run
mkdir -p /run/libvirt /run/lock
mount --bind "$dir/lib" /var/lib/libvirt
mkdir -p /var/lib/libvirt/dnsmasq /var/lib/libvirt/network
mount -t tmpfs tmpfs /var/log
mkdir -p /var/log/libvirt
libvirtd -f /etc/libvirt/libvirtd.conf &
lpid=$!
trap 'kill $lpid 2>/dev/null; wait $lpid 2>/dev/null || true' EXIT
for _ in $(seq 300); do [ -S /run/libvirt/libvirt-sock ] && break; sleep 0.1; done
[ -S /run/libvirt/libvirt-sock ] || { echo "libvirtd did not come up"; exit 1; }
virsh() { command virsh -q -c qemu:///system "$@"; }
await() { for _ in $(seq 1200); do [ -e "$ctl/$1" ] && return 0; sleep 0.5; done; echo "no $1 from ./run in 600 s" >&2; exit 1; }
virsh net-start default >/dev/null
echo "$lpid" > "$ctl/one"
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
