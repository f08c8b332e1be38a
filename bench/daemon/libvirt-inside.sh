#!/usr/bin/env bash
# Runs inside `ip netns exec NS unshare -m`: gives libvirtd private /etc/libvirt, /run/libvirt and
# /var/lib/libvirt (bind/tmpfs mounts visible only in this mount namespace), starts it, runs the
# libvirt half of bench.py, stops it. Nothing outside the namespaces is touched.
set -euo pipefail
dir=$1 ns=$2 out=$3 n=$4 bench=$5
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
python3 "$bench" libvirt "$ns" "$out" "$n"
