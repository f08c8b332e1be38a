#!/bin/sh
# Debian's libvirtd in a mount namespace of its own; the one set-up of a private libvirtd, for the tests'
# fixture (PrivateLibvirtd) and for the benches (bench/daemon, bench/memory, bench/cold, bench/libvirt-protocol).
#
#   ip netns exec NS unshare -m --propagation private libvirtd-private.sh [OPTIONS] DIR [-- COMMAND...]
#
# libvirtd gets private copies of /etc/libvirt, /var/lib/libvirt and /var/cache/libvirt in DIR (made on the
# first run with DIR and kept, so a bench can boot it again on the same state), and an empty /run and /var/log,
# as at a host's boot. Nothing outside the namespaces is touched.
#
# Options:
#   --networks none|keep|autostart-default   which of the host's network definitions the copy keeps (first run
#        only): none (the default), all of them with none autostarted, or all with `default` autostarted as
#        Debian's package sets it
#   --as-host   sockets and run state (status, pid files) where libvirtd.conf and a host put them, in the
#        namespace's tmpfs /run (benches: libvirt fsyncs its status files, so a disk there would slow it);
#        without it the sockets are in DIR/sock with no authentication, for clients outside the mount namespace,
#        and the run state in DIR/run (emptied first), where a test reads it as an administrator reads /run/libvirt
#   --hold      set up, print "mounted" and hold the mount namespace until stdin closes; the caller execs
#        libvirtd into it (nsenter) to time its start
# Without --hold: with a COMMAND, libvirtd is started, COMMAND runs once its socket is there (30 s at most) and
# libvirtd is stopped after it (its exit status is COMMAND's); without one, this script becomes libvirtd.
set -eu
networks=none as_host= hold=
while [ $# -gt 0 ]; do
  case $1 in
    --networks) networks=$2; shift 2 ;;
    --as-host) as_host=1; shift ;;
    --hold) hold=1; shift ;;
    -*) echo "libvirtd-private.sh: unknown option $1" >&2; exit 2 ;;
    *) break ;;
  esac
done
[ $# -ge 1 ] || { echo "usage: libvirtd-private.sh [--networks none|keep|autostart-default] [--as-host] [--hold] DIR [-- COMMAND...]" >&2; exit 2; }
dir=$1
shift
[ "${1:-}" != -- ] || shift

if [ ! -d "$dir/etc" ]; then
  mkdir -p "$dir/etc" "$dir/lib" "$dir/cache"
  cp -a /etc/libvirt/. "$dir/etc/"
  if [ -d /var/cache/libvirt ]; then cp -a /var/cache/libvirt/. "$dir/cache/"; fi
  rm -f "$dir/etc/qemu/networks/autostart/"*
  case $networks in
    none) rm -f "$dir/etc/qemu/networks/"*.xml ;;
    keep) ;;
    autostart-default)
      mkdir -p "$dir/etc/qemu/networks/autostart"
      ln -sfn ../default.xml "$dir/etc/qemu/networks/autostart/default.xml" ;;
    *) echo "libvirtd-private.sh: --networks none, keep or autostart-default, not '$networks'" >&2; exit 2 ;;
  esac
  if [ -z "$as_host" ]; then
    printf 'unix_sock_dir = "%s"\nauth_unix_rw = "none"\nauth_unix_ro = "none"\n' "$dir/sock" >"$dir/etc/libvirtd.conf"
  fi
fi
mount --bind "$dir/etc" /etc/libvirt
mount --bind "$dir/lib" /var/lib/libvirt
mkdir -p /var/lib/libvirt/dnsmasq /var/lib/libvirt/network
if [ -d /var/cache/libvirt ]; then mount --bind "$dir/cache" /var/cache/libvirt; fi
mount -t tmpfs tmpfs /run
mkdir -p /run/libvirt /run/lock
if [ -n "$as_host" ]; then
  sock=/run/libvirt/libvirt-sock
else
  rm -rf "$dir/run"
  mkdir -p "$dir/run" "$dir/sock"
  mount --bind "$dir/run" /run/libvirt
  sock=$dir/sock/libvirt-sock
fi
mount -t tmpfs tmpfs /var/log
mkdir -p /var/log/libvirt

if [ -n "$hold" ]; then
  echo mounted
  exec cat >/dev/null
fi
[ $# -gt 0 ] || exec libvirtd -f /etc/libvirt/libvirtd.conf

libvirtd -f /etc/libvirt/libvirtd.conf &
lpid=$!
trap 'kill $lpid 2>/dev/null; wait $lpid 2>/dev/null || true' EXIT
i=0
while [ ! -S "$sock" ]; do
  i=$((i + 1))
  [ $i -le 300 ] && kill -0 $lpid 2>/dev/null || { echo "libvirtd-private.sh: libvirtd did not come up" >&2; exit 1; }
  sleep 0.1
done
"$@"
