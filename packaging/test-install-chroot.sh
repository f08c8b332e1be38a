#!/usr/bin/env bash
# Opt-in (needs root, debootstrap and a Debian mirror): installs the package with apt into fresh Debian 12
# (bookworm) and 13 (trixie) trees, then removes and purges it, and checks each step. Nothing is installed
# on this machine: each tree is a debootstrap --variant=minbase, cached in $VNETD_CHROOT_CACHE
# (default /var/tmp/vnetd-chroots) and never changed itself; every run works on an overlay of it in a
# mount namespace of its own (gone when the run ends), with its own PID, UTS and IPC namespaces.
# apt downloads the dependencies (--download-only runs no maintainer script) with this machine's network;
# the install, remove and purge then run in a new, empty network namespace, so the postinst (and its
# vnetd-train run) cannot touch this machine's network, and the test checks it left that namespace bare.
# Usage: packaging/test-install-chroot.sh [DEB] [SUITE...]   (default: dist/deb/vnetd_*.deb, bookworm trixie)
# VNETD_UPGRADE_FROM=OLDER.deb installs that build first, starts its daemon with a network and a port on
# its bridge, and upgrades to DEB: the conffile edit and definitions must survive, the maintainer scripts
# must ask systemctl for try-restart only (never stop/start), and the restarted daemon must adopt the
# network (same bridge ifindex, port still on it, rules unchanged) while a guest namespace on that port pings
# the bridge every 100 ms without a loss. No systemd runs in the tree: a
# stand-in systemctl logs the calls and restarts the daemon as systemd would; socket units and the
# file-descriptor store are not exercised here (DaemonRestartLosesNothingTest does that, with a harness).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
deb=${1:-$(ls "$root"/dist/deb/vnetd_*.deb 2>/dev/null | head -n1)}
[ -f "$deb" ] || { echo "test-install-chroot: no package: run scripts/package-deb" >&2; exit 1; }
deb=$(readlink -f "$deb")
shift || true
suites=("$@")
[ ${#suites[@]} -gt 0 ] || suites=(bookworm trixie)
cache=${VNETD_CHROOT_CACHE:-/var/tmp/vnetd-chroots}
mirror=${DEBIAN_MIRROR:-http://deb.debian.org/debian}
[ "$(id -u)" = 0 ] || { echo "test-install-chroot: needs root" >&2; exit 1; }
command -v debootstrap >/dev/null || { echo "test-install-chroot: needs debootstrap (apt-get install debootstrap)" >&2; exit 1; }
mkdir -p "$cache"

# The checks, run inside the tree (by `chroot`); $1 = the step.
inside=$(cat <<'IN'
set -euo pipefail
export DEBIAN_FRONTEND=noninteractive LC_ALL=C
fail() { echo "  FAIL: $*"; exit 1; }
step=$1
case "$step" in
download)
  apt-get update -qq
  # why the package bundles its runtime: what this release offers as a JDK 25
  echo "  $(. /etc/os-release; echo "$PRETTY_NAME"): openjdk-25-jre-headless candidate:" \
    "$(apt-cache policy openjdk-25-jre-headless | awk '/Candidate:/ {print $2}' | grep . || echo none)"
  apt-get install -y -qq --download-only /tmp/pkg/vnetd_*.deb >/dev/null
  # the upgrade's guest pings with it (minbase has no ping)
  [ ! -d /tmp/pkg/old ] || apt-get install -y -qq --download-only iputils-ping >/dev/null
  ;;
install)
  find / -xdev -path /proc -prune -o -print 2>/dev/null | sort > /tmp/before.list
  if [ -d /tmp/pkg/old ]; then
    # an upgrade: the older build first, with an admin's edit of the conffile and a definition
    apt-get install -y -q /tmp/pkg/old/vnetd_*.deb > /tmp/install-old.log 2>&1 || { cat /tmp/install-old.log; fail "apt install (older build)"; }
    echo "# admin was here" >> /etc/vnetd/vnetd.conf
    printf '<network><name>old</name><bridge name="vold0"/></network>\n' > /etc/vnetd/networks/old.xml
    echo "  older build installed: $(dpkg-query -W -f='${Version}' vnetd)"
    # The older daemon runs a network with a port on its bridge, as a host does when it is upgraded. No
    # systemd runs here: a stand-in /usr/sbin/systemctl (dpkg gives maintainer scripts a fixed PATH) logs what the maintainer scripts ask of it
    # and does a restart the way systemd would for this unit (SIGTERM, wait, exec the new /usr/bin/vnetd).
    mkdir -p /run/systemd/system
    cat > /usr/sbin/systemctl <<'SH'
#!/bin/sh
echo "$*" >> /tmp/systemctl.log
case " $* " in
*" restart vnetd.service "*|*" try-restart vnetd.service "*)
  pid=$(cat /run/vnetd/vnetd.pid 2>/dev/null) || exit 0
  kill -0 "$pid" 2>/dev/null || exit 0
  kill -TERM "$pid"
  i=0; while kill -0 "$pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
  setsid /usr/bin/vnetd --no-default-network >> /tmp/vnetd-daemon.log 2>&1 < /dev/null &
  ;;
esac
exit 0
SH
    chmod 0755 /usr/sbin/systemctl && : > /tmp/systemctl.log
    answers() { i=0; until vnetctl net-list >/dev/null 2>&1; do i=$((i + 1)); [ $i -lt 900 ] || fail "vnetd does not answer: $(tail -5 /tmp/vnetd-daemon.log)"; sleep 0.1; done; }
    setsid /usr/bin/vnetd --no-default-network >> /tmp/vnetd-daemon.log 2>&1 < /dev/null &
    answers
    printf '%s\n' '<network><name>up</name><bridge name="vup0"/><ip address="10.99.0.1" netmask="255.255.255.0"><dhcp><range start="10.99.0.10" end="10.99.0.20"/></dhcp></ip></network>' > /tmp/up.xml
    vnetctl net-define /tmp/up.xml >/dev/null && vnetctl net-start up >/dev/null || fail "the older daemon cannot start a network: $(tail -5 /tmp/vnetd-daemon.log)"
    ip link add gport type veth peer name gpeer && ip link set gport master vup0 up
    # a guest on that port pings the bridge every 100 ms through the upgrade
    apt-get install -y -qq iputils-ping >/dev/null 2>&1 || fail "cannot install ping from the downloaded packages"
    ip netns add guest && ip link set gpeer netns guest
    ip -n guest link set lo up && ip -n guest addr add 10.99.0.50/24 dev gpeer && ip -n guest link set gpeer up
    i=0; until ip netns exec guest ping -c1 -W1 10.99.0.1 >/dev/null 2>&1; do i=$((i + 1)); [ $i -lt 30 ] || fail "the guest cannot ping the bridge"; done
    ip netns exec guest ping -i 0.1 10.99.0.1 > /tmp/guest-ping.log 2>&1 &
    ping_pid=$!
    # /sys shows the namespace it was mounted in, not this one: ask ip
    ifindex() { ip -o link show "$1" | cut -d: -f1; }
    # the rules without their packet counters, which the guest's pings move
    rules() { nft list ruleset | sed -E 's/counter packets [0-9]+ bytes [0-9]+/counter/g' | md5sum; }
    old_pid=$(cat /run/vnetd/vnetd.pid) old_index=$(ifindex vup0) old_rules=$(rules)
    [ -n "$old_index" ] || fail "no bridge vup0: $(tail -5 /tmp/vnetd-daemon.log)"
    echo "  older daemon (pid $old_pid) runs network 'up' (bridge vup0, ifindex $old_index) with port gport; systemctl is $(command -v systemctl)"
  fi
  start=$(date +%s)
  apt-get install -y -q /tmp/pkg/vnetd_*.deb > /tmp/install.log 2>&1 || { cat /tmp/install.log; fail "apt install"; }
  if [ -d /tmp/pkg/old ]; then
    grep -qx 'try-restart vnetd.service' /tmp/systemctl.log || fail "the upgrade did not try-restart vnetd: $(cat /tmp/systemctl.log); $(sed -n '/Setting up vnetd/,$p' /tmp/install.log)"
    ! grep -Eq '(^| )(stop|start|restart) .*vnetd' /tmp/systemctl.log || fail "the upgrade stopped or started vnetd: $(cat /tmp/systemctl.log)"
    answers
    new_pid=$(cat /run/vnetd/vnetd.pid)
    [ "$new_pid" != "$old_pid" ] || fail "the daemon was not restarted (pid $old_pid)"
    vnetctl net-info up | grep -Eq '^Active: +yes' || fail "network 'up' is not active after the upgrade: $(vnetctl net-info up)"
    [ "$(ifindex vup0)" = "$old_index" ] || fail "the bridge was made again (ifindex $old_index -> $(ifindex vup0))"
    ip -o link show gport | grep -q 'master vup0' || fail "the port left the bridge"
    [ "$(rules)" = "$old_rules" ] || fail "the upgrade changed the firewall rules: $(nft list ruleset)"
    grep -q "adopted running network 'up'" /tmp/vnetd-daemon.log || fail "the new daemon did not adopt 'up': $(tail -20 /tmp/vnetd-daemon.log)"
    sleep 1 # a few more pings after the adoption
    kill -INT "$ping_pid"; wait "$ping_pid" || true
    pings=$(grep 'packets transmitted' /tmp/guest-ping.log)
    sent=$(echo "$pings" | awk '{print $1}') got=$(echo "$pings" | awk '{print $4}')
    [ -n "$sent" ] && [ "$sent" -gt 0 ] && [ "$sent" = "$got" ] || fail "the guest lost pings during the upgrade: $pings"
    echo "  upgrade under a running daemon: maintainer scripts asked systemctl for: $(tr '\n' ';' < /tmp/systemctl.log)"
    echo "  the daemon was restarted (pid $old_pid -> $new_pid) and adopted 'up': bridge vup0 kept (ifindex $old_index), its port stayed, rules unchanged"
    echo "  the guest on the port pinged the bridge every 100 ms through the upgrade: $pings"
    # leave the namespace as a plain install does
    vnetctl net-destroy up >/dev/null && vnetctl net-undefine up >/dev/null
    kill -TERM "$new_pid"; i=0; while kill -0 "$new_pid" 2>/dev/null && [ $i -lt 600 ]; do sleep 0.1; i=$((i + 1)); done
    ip netns del guest
    ip link del gport 2>/dev/null || true
    # What net-destroy of the last network leaves is vnetd's idle table, kept on purpose for the next start
    # (its hook registration was most of a start's firewall time): hook chains and empty dispatch maps, no
    # network's chain, map element or rule, and nothing else in the ruleset.
    [ "$(nft list tables)" = "table inet vnetd" ] || fail "after net-destroy the ruleset holds other tables: $(nft list tables)"
    nft list table inet vnetd > /tmp/left.nft
    not_hooks=$(awk '/^\tchain /{c=$2; h=0} /hook/{h=1} /^\t}/{ if (c != "" && !h) print c; c="" }' /tmp/left.nft | tr '\n' ' ')
    [ -z "$not_hooks" ] || fail "net-destroy left network chains: $not_hooks"
    ! grep -q 'elements = ' /tmp/left.nft || fail "net-destroy left dispatch elements: $(grep 'elements = ' /tmp/left.nft)"
    echo "  after net-destroy the daemon left vnetd's idle table only ($(grep -c . /tmp/left.nft) lines: $(grep -cP '^\tchain ' /tmp/left.nft) hook chains, $(grep -cP '^\tmap ' /tmp/left.nft) empty dispatch maps; no network's chain, element or rule); deleted"
    nft delete table inet vnetd
    rm -rf /run/systemd/system /usr/sbin/systemctl /tmp/systemctl.log
    rm -f /etc/vnetd/networks/autostart/up.xml /etc/vnetd/networks/up.xml
  fi
  if [ -d /tmp/pkg/old ]; then
    [ "$(dpkg-query -W -f='${Version}' vnetd)" = "$(dpkg-deb -f /tmp/pkg/vnetd_*.deb Version)" ] || fail "the upgrade did not install the newer build"
    grep -q '^# admin was here' /etc/vnetd/vnetd.conf || fail "the upgrade lost the admin's edit of vnetd.conf"
    [ -f /etc/vnetd/networks/old.xml ] || fail "the upgrade lost a network definition"
    echo "  upgraded to $(dpkg-query -W -f='${Version}' vnetd): vnetd.conf edit and definitions kept"
  fi
  echo "  apt install: $(( $(date +%s) - start )) s; postinst said:"
  sed -n '/Setting up vnetd/,/^Processing triggers/p' /tmp/install.log | grep -v '^Processing' | sed 's/^/    /'
  [ "$(dpkg-query -W -f='${Status}' vnetd)" = "install ok installed" ] || fail "vnetd is not installed"
  for f in /usr/bin/vnetd /usr/bin/vnetctl /usr/lib/vnetd/runtime/bin/java /etc/vnetd/vnetd.conf \
           /usr/lib/systemd/system/vnetd.service /usr/lib/systemd/system/vnetd.socket /usr/lib/systemd/system/vnetd-ro.socket \
           /usr/share/man/man8/vnetd.8.gz /usr/share/man/man1/vnetctl.1.gz \
           /usr/share/bash-completion/completions/vnetctl; do
    [ -e "$f" ] || fail "$f is missing"
  done
  echo "  vnetctl --version: $(vnetctl --version)"
  java_used=$(bash -c '. /usr/lib/vnetd/lib/java.sh; vnetd_find_java; echo $VNETD_JAVA_HOME')
  [ "$java_used" = /usr/lib/vnetd/lib/../runtime ] || fail "the launcher runs $java_used, not the bundled runtime"
  vnetd --help >/dev/null || fail "vnetd --help"
  for c in vnetd.aot vnetctl.aot; do
    if [ -s /usr/lib/vnetd/lib/$c ]; then echo "  AOT cache $c: $(du -h /usr/lib/vnetd/lib/$c | cut -f1)"; else echo "  AOT cache $c: not made"; fi
  done
  # not enabled, not started, and the training left nothing in the network
  [ ! -e /etc/systemd/system/multi-user.target.wants/vnetd.service ] || fail "the service was enabled on install"
  links=$(ip -o link show | awk -F': ' '{print $2}' | tr '\n' ' ')
  [ "$links" = "lo " ] || fail "the install left links in its network namespace: $links"
  [ -z "$(ip netns list)" ] || fail "the install left network namespaces: $(ip netns list)"
  [ -z "$(nft list ruleset 2>/dev/null)" ] || fail "the install left nftables rules"
  echo "  network namespace after install: only lo, no netns, no nftables rules"
  if grep -qs 'org[.]vnetd[.]daemon[.]Main' /proc/[0-9]*/cmdline; then fail "a vnetd daemon is running after install"; fi
  # what an admin leaves behind: a definition and a lease file
  printf '<network><name>keep</name><bridge name="vkeep0"/></network>\n' > /etc/vnetd/networks/keep.xml
  echo lease > /var/lib/vnetd/keep-lease
  echo "  install: OK"
  ;;
remove)
  apt-get remove -y -q vnetd > /tmp/remove.log 2>&1 || { cat /tmp/remove.log; fail "apt remove"; }
  [ "$(dpkg-query -W -f='${db:Status-Abbrev}' vnetd)" = "rc " ] || fail "vnetd is not in state rc after remove"
  [ ! -e /usr/lib/vnetd ] || fail "/usr/lib/vnetd is left after remove: $(find /usr/lib/vnetd | head)"
  [ ! -e /usr/bin/vnetd ] || fail "/usr/bin/vnetd is left after remove"
  [ -f /etc/vnetd/networks/keep.xml ] || fail "remove deleted the network definitions"
  [ -f /var/lib/vnetd/keep-lease ] || fail "remove deleted the leases"
  [ -f /etc/vnetd/vnetd.conf ] || fail "remove deleted the conffile"
  echo "  remove: OK (definitions, leases and vnetd.conf kept; /usr/lib/vnetd gone)"
  ;;
purge)
  apt-get purge -y -q vnetd > /tmp/purge.log 2>&1 || { cat /tmp/purge.log; fail "apt purge"; }
  dpkg-query -W vnetd >/dev/null 2>&1 && fail "dpkg still knows vnetd after purge"
  find / -xdev -path /proc -prune -o -print 2>/dev/null | sort > /tmp/after.list
  stray=$(comm -13 /tmp/before.list /tmp/after.list | grep -i vnetd || true)
  [ -z "$stray" ] || fail "files left after purge: $stray"
  echo "  purge: OK (no path naming vnetd left that was not there before the install)"
  ;;
esac
IN
)

run_suite() {
  local suite=$1 base=$cache/$1 t0
  if [ ! -d "$base" ]; then
    t0=$(date +%s)
    echo "test-install-chroot: debootstrap $suite (cached in $base afterwards)"
    rm -rf "$base.tmp"
    debootstrap --variant=minbase "$suite" "$base.tmp" "$mirror" > "$cache/$suite.debootstrap.log" 2>&1 \
      || { tail "$cache/$suite.debootstrap.log" >&2; return 1; }
    mv "$base.tmp" "$base"
    echo "test-install-chroot: debootstrap $suite took $(( $(date +%s) - t0 )) s"
  fi
  local work
  work=$(mktemp -d /var/tmp/vnetd-chroot-run.XXXXXX)
  # shellcheck disable=SC2016
  unshare --mount --pid --fork --uts --ipc --propagation private bash -euo pipefail -c '
    base=$1 work=$2 deb=$3 inside=$4 old=$5
    r=$work/root
    mount -t tmpfs tmpfs "$work"
    mkdir -p "$work/upper" "$work/work" "$r"
    mount -t overlay overlay -o "lowerdir=$base,upperdir=$work/upper,workdir=$work/work" "$r"
    mount -t proc proc "$r/proc"
    mount -t sysfs sysfs "$r/sys"
    mount --rbind /dev "$r/dev"
    mount -t tmpfs tmpfs "$r/run"
    mount -t tmpfs tmpfs "$r/tmp"
    mkdir -p "$r/tmp/pkg"
    cp "$deb" "$r/tmp/pkg/"
    if [ -n "$old" ]; then mkdir -p "$r/tmp/pkg/old"; cp "$old" "$r/tmp/pkg/old/"; fi
    printf "%s\n" "$inside" > "$r/tmp/pkg/inside.sh"
    cp /etc/resolv.conf "$r/etc/resolv.conf"
    hostname vnetd-chroot-test
    chroot "$r" bash /tmp/pkg/inside.sh download
    # from here on: an empty network namespace
    unshare --net chroot "$r" bash /tmp/pkg/inside.sh install
    unshare --net chroot "$r" bash /tmp/pkg/inside.sh remove
    unshare --net chroot "$r" bash /tmp/pkg/inside.sh purge
  ' run "$base" "$work" "$deb" "$inside" "${VNETD_UPGRADE_FROM:+$(readlink -f "$VNETD_UPGRADE_FROM")}"
  local rc=$?
  rmdir "$work" 2>/dev/null || rm -rf "$work"
  return $rc
}

status=0
for s in "${suites[@]}"; do
  echo "test-install-chroot: $s: $(basename "$deb")"
  t0=$(date +%s)
  if run_suite "$s"; then
    echo "test-install-chroot: $s: OK ($(( $(date +%s) - t0 )) s)"
  else
    echo "test-install-chroot: $s: FAIL" >&2
    status=1
  fi
done
exit $status
