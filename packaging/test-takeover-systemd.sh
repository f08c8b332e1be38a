#!/usr/bin/env bash
# Opt-in (needs root, systemd-nspawn, debootstrap and a Debian mirror): `vnetctl import-libvirt --takeover` under
# the packaged unit, with real systemd as PID 1 and Debian's libvirt running its `default` network.
# A Debian tree (the debootstrap cache of test-install-chroot.sh, $VNETD_CHROOT_CACHE, plus systemd, dbus and
# libvirt-daemon-system, cached as SUITE-systemd) is booted with `systemd-nspawn --boot --private-network` on an
# overlay in a mount namespace of its own (gone when the run ends): the container has only its own network
# namespace, nothing reaches this machine's network. vnetd's package is installed into it (VNETD_NO_AOT_TRAINING=1).
# Inside, as an administrator would: libvirt's `default` runs; libvirtd is stopped; vnetd is started by systemd.
#   1. a failed takeover (a process holds UDP 53 on 192.168.122.1, so vnetd's DNS cannot bind once libvirt's
#      dnsmasq is gone) gives the network back: libvirt's rules equal line for line, its dnsmasq running again
#      as libvirt's user in a transient unit of its own (not in vnetd.service's cgroup), its status file back;
#   2. with the port free, the takeover goes through: the network is vnetd's, libvirt's dnsmasq and rules gone.
# Usage: packaging/test-takeover-systemd.sh [DEB] [SUITE]   (default: dist/deb/vnetd_*.deb, bookworm; trixie works too)
# Needs no systemd on this machine: nspawn runs with --register=no --keep-unit (no machined, no bus). It booted
# Debian 12's systemd 252 and Debian 13's 257 on a host with the hybrid cgroup hierarchy (v1 plus name=systemd and
# cgroup2 at /sys/fs/cgroup/unified).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "$root"/dist/deb/vnetd_*.deb 2>/dev/null | head -n1)}
[ -f "$deb" ] || { echo "test-takeover-systemd: no package: run scripts/package-deb" >&2; exit 1; }
deb=$(readlink -f "$deb")
suite=${2:-bookworm}
cache=${VNETD_CHROOT_CACHE:-/var/tmp/vnetd-chroots}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "test-takeover-systemd: needs root" >&2; exit 1; }
for c in systemd-nspawn debootstrap nsenter; do
  command -v $c >/dev/null || { echo "test-takeover-systemd: needs $c" >&2; exit 1; }
done
mkdir -p "$cache"
base=$cache/$suite
tree=$cache/$suite-systemd
t0=$(date +%s)
if [ ! -d "$base" ]; then
  echo "test-takeover-systemd: debootstrap $suite (cached in $base)"
  rm -rf "$base.tmp"
  debootstrap --variant=minbase "$suite" "$base.tmp" "$mirror" > "$cache/$suite.debootstrap.log" 2>&1 \
    || { tail "$cache/$suite.debootstrap.log" >&2; exit 1; }
  mv "$base.tmp" "$base"
fi
if [ ! -d "$tree" ]; then
  echo "test-takeover-systemd: $suite with systemd and libvirt (cached in $tree)"
  rm -rf "$tree.tmp"
  cp -a "$base" "$tree.tmp"
  # shellcheck disable=SC2016
  unshare --mount --propagation private bash -euo pipefail -c '
    r=$1
    mount --bind /proc "$r/proc"; mount --bind /sys "$r/sys"; mount --rbind /dev "$r/dev"
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    printf "#!/bin/sh\nexit 101\n" > "$r/usr/sbin/policy-rc.d"; chmod +x "$r/usr/sbin/policy-rc.d"
    chroot "$r" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get update -qq
    chroot "$r" env DEBIAN_FRONTEND=noninteractive LC_ALL=C apt-get install -y -qq --no-install-recommends systemd-sysv dbus \
      libvirt-daemon-system libvirt-clients dnsmasq-base iptables nftables iproute2 python3 >/dev/null
    rm -f "$r/usr/sbin/policy-rc.d"
  ' prep "$tree.tmp" > "$cache/$suite-systemd.log" 2>&1 || { tail "$cache/$suite-systemd.log" >&2; exit 1; }
  mv "$tree.tmp" "$tree"
  echo "test-takeover-systemd: tree ready in $(( $(date +%s) - t0 )) s"
fi

# The test, run inside the booted container (nsenter into its namespaces).
inside=$(cat <<'IN'
set -euo pipefail
export LC_ALL=C
fail() { echo "  FAIL: $*"; exit 1; }
rules() { iptables-save | grep -v '^#' | sed 's/\[[0-9]*:[0-9]*\]//'; }
user() { getent passwd "$(awk '/^Uid:/ {print $2}' /proc/$1/status)" | cut -d: -f1; }
for i in $(seq 600); do [ -S /run/systemd/private ] && break; sleep 0.1; done   # entered before systemd listens
state=$(systemctl is-system-running --wait || true)
echo "  systemd $(systemctl --version | head -1 | cut -d' ' -f2) as PID 1: $state"
virsh -q net-info default >/dev/null 2>&1 || virsh -q net-define /usr/share/libvirt/networks/default.xml >/dev/null
virsh -q net-start default >/dev/null
pid=$(cat /run/libvirt/network/default.pid)
echo "  libvirt's default runs: dnsmasq pid $pid as $(user "$pid"), $(rules | grep -c LIBVIRT_) iptables lines naming LIBVIRT_"
before=$(rules)
systemctl stop libvirtd.service libvirtd.socket libvirtd-ro.socket libvirtd-admin.socket
kill -0 "$pid" || fail "libvirt's dnsmasq ended with libvirtd"
systemctl start vnetd.service
systemctl is-active -q vnetd.service || fail "vnetd.service is not active"
vnetctl net-list --all

echo "  1. a takeover that fails (UDP 53 on 192.168.122.1 held) under vnetd.service"
python3 -c '
import socket, time
s = socket.socket(socket.AF_INET, socket.SOCK_DGRAM)
s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
s.bind(("192.168.122.1", 53))
time.sleep(600)' &
squatter=$!
sleep 1
if vnetctl import-libvirt --takeover > /tmp/import1.out 2>&1; then cat /tmp/import1.out; fail "the import went through"; fi
sed 's/^/    /' /tmp/import1.out
again=$(cat /run/libvirt/network/default.pid)
[ "$again" != "$pid" ] || fail "libvirt's dnsmasq was not restarted"
kill -0 "$again" || fail "libvirt's dnsmasq (pid $again) does not run"
echo "    libvirt's dnsmasq runs again: pid $again as $(user "$again"), cgroup $(grep -m1 'name=systemd\|^0::' /proc/$again/cgroup)"
grep -q vnetd.service /proc/$again/cgroup && fail "it runs in vnetd.service's cgroup"
systemctl list-units --all --no-legend 'vnetd-gave-back-*' | sed 's/^/    unit: /'
[ "$(rules)" = "$before" ] || { diff <(echo "$before") <(rules) || true; fail "libvirt's rules differ"; }
echo "    libvirt's iptables rules equal line for line"
[ -f /run/libvirt/network/default.xml ] || fail "libvirt's status file is not back"
echo "    libvirt's status file is back"
systemctl is-active -q vnetd.service || fail "vnetd.service is not active after the failed import"
journalctl -u vnetd.service --no-pager -o cat | grep -i 'libvirt\|given back' | sed 's/^/    vnetd: /'

echo "  2. the takeover with the port free"
kill "$squatter"; wait "$squatter" 2>/dev/null || true
vnetctl import-libvirt --takeover | sed 's/^/    /'
for i in $(seq 50); do kill -0 "$again" 2>/dev/null || break; sleep 0.1; done
kill -0 "$again" 2>/dev/null && fail "libvirt's dnsmasq still runs"
rules | grep -q LIBVIRT_ && fail "libvirt's rules are left"
vnetctl net-list --all | sed 's/^/    /'
vnetctl net-list | grep -q 'default.*active' || fail "default is not active in vnetd"
sleep 2
left=$(systemctl list-units --all --no-legend 'vnetd-gave-back-*')
[ -z "$left" ] || fail "the give-back's unit is left: $left"
echo "    libvirt's dnsmasq and rules gone; its transient unit collected; default is vnetd's"
ls /run/vnetd/libvirt-release/ | grep -q . && fail "a release record is left"
echo "  OK"
IN
)

work=$(mktemp -d /var/tmp/vnetd-nspawn-run.XXXXXX)
echo "test-takeover-systemd: $suite: $(basename "$deb")"
rc=0
# shellcheck disable=SC2016
unshare --mount --propagation private bash -euo pipefail -c '
  tree=$1 work=$2 deb=$3 inside=$4
  r=$work/root
  mount -t tmpfs tmpfs "$work"
  mkdir -p "$work/upper" "$work/work" "$r"
  mount -t overlay overlay -o "lowerdir=$tree,upperdir=$work/upper,workdir=$work/work" "$r"
  mkdir -p "$r/root/pkg"
  cp "$deb" "$r/root/pkg/"
  printf "%s\n" "$inside" > "$r/root/pkg/inside.sh"
  # the package goes in before the boot, offline: its dependencies are in the tree
  unshare --net --pid --fork --mount-proc=/proc bash -c "
    mount --bind /proc \"$r/proc\"; mount --bind /sys \"$r/sys\"; mount --rbind /dev \"$r/dev\"
    chroot \"$r\" env DEBIAN_FRONTEND=noninteractive VNETD_NO_AOT_TRAINING=1 dpkg -i /root/pkg/$(basename "$deb") >/dev/null
    umount -l \"$r/dev\" \"$r/sys\" \"$r/proc\""
  systemd-nspawn -q -D "$r" --boot --register=no --keep-unit --private-network --console=pipe --machine=vnetd-takeover \
    > "$work/console.log" 2>&1 &
  nspawn=$!
  leader=
  for i in $(seq 300); do   # the container'"'"'s PID 1 is systemd-nspawn'"'"'s child
    leader=$(ps -e -o pid=,ppid=,comm= | awk -v n="$nspawn" '"'"'$2 == n && $3 == "systemd" {print $1}'"'"')
    [ -z "$leader" ] || break
    sleep 0.1
  done
  [ -n "$leader" ] || { cat "$work/console.log"; echo "test-takeover-systemd: the container did not start" >&2; exit 1; }
  rc=0
  nsenter -t "$leader" -m -u -i -n -p -C bash -c "$inside" || rc=$?
  kill -s RTMIN+4 "$leader" 2>/dev/null || kill "$nspawn"   # SIGRTMIN+4: systemd powers off
  for i in $(seq 300); do kill -0 "$nspawn" 2>/dev/null || break; sleep 0.1; done
  kill -9 "$nspawn" 2>/dev/null || true
  exit $rc
' run "$tree" "$work" "$deb" "$inside"
XXX 2>/dev/null || rm -rf "$work"
echo "test-takeover-systemd: $suite: $([ $rc = 0 ] && echo OK || echo FAILED) ($(( $(date +%s) - t0 )) s)"
exit $rc
