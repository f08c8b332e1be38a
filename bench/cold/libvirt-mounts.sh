#!/usr/bin/env bash
# Runs as `ip netns exec NS unshare -m --propagation private bash libvirt-mounts.sh DIR`: gives libvirtd
# (exec'd later into this mount namespace with nsenter) its own /etc/libvirt, /var/cache/libvirt and
# /var/lib/libvirt (copies in DIR, kept across the run's boots, with `default` set to autostart as
# libvirt's Debian package sets it) and an empty /run and /var/log, as at boot. Prints "mounted", then holds
# the namespace until its stdin closes. Nothing outside the namespaces is touched.
set -euo pipefail
dir=$1
if [ ! -d "$dir/etc" ]; then
  mkdir -p "$dir/etc" "$dir/lib" "$dir/cache"
  cp -a /etc/libvirt/. "$dir/etc/"
  [ -d /var/cache/libvirt ] && cp -a /var/cache/libvirt/. "$dir/cache/"
  mkdir -p "$dir/etc/qemu/networks/autostart"
  ln -sfn ../default.xml "$dir/etc/qemu/networks/autostart/default.xml"
fi
mount --bind "$dir/etc" /etc/libvirt
mkdir -p /var/cache/libvirt
mount --bind "$dir/cache" /var/cache/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mkdir -p /var/lib/libvirt/dnsmasq /var/lib/libvirt/network
mount -t tmpfs tmpfs /run
mkdir -p /run/libvirt /run/lock
mount -t tmpfs tmpfs /var/log
mkdir -p /var/log/libvirt
echo mounted
cat >/dev/null   # holds the namespace until the bench closes our stdin
