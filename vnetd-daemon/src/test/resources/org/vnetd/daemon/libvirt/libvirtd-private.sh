#!/bin/sh
# Runs inside `ip netns exec NS unshare -m --propagation private`: libvirtd with private /etc/libvirt,
# /run, /var/lib/libvirt, /var/cache/libvirt and /var/log, its sockets in $1/sock (visible outside), its
# definitions in $1/etc/qemu/networks, its run state (status and pid files) in $1/run and its dnsmasq lease
# files in $1/lib/dnsmasq, where a test reads them as an administrator reads /etc/libvirt, /run/libvirt
# and /var/lib/libvirt.
set -eu
dir=$1
mkdir -p "$dir/etc" "$dir/lib" "$dir/cache" "$dir/sock" "$dir/run"
cp -a /etc/libvirt/. "$dir/etc/"
rm -f "$dir/etc/qemu/networks/autostart/"* "$dir/etc/qemu/networks/"*.xml
printf 'unix_sock_dir = "%s"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n' "$dir/sock" > "$dir/etc/libvirtd.conf"
mount --bind "$dir/etc" /etc/libvirt
mount -t tmpfs tmpfs /run
mkdir -p /run/libvirt /run/lock
mount --bind "$dir/run" /run/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mkdir -p /var/lib/libvirt/dnsmasq /var/lib/libvirt/network
mount --bind "$dir/cache" /var/cache/libvirt 2>/dev/null || true
mount -t tmpfs tmpfs /var/log
mkdir -p /var/log/libvirt
exec libvirtd -f /etc/libvirt/libvirtd.conf
