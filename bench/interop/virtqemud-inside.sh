#!/usr/bin/env bash
# Runs inside `ip netns exec NS unshare -m --propagation private` (bench/interop/virtqemud starts it): vnetd
# and virtqemud share this mount namespace's private /run, so virtqemud's QEMU driver finds vnetd where it
# looks for libvirt's network daemon, /run/libvirt/virtnetworkd-sock. Prints the transcript; exits non-zero at
# the first check that fails. Nothing outside the namespaces is touched.
set -euo pipefail
work=$1 vnetd=$2 virtqemud=$3 kernel=$4 initrd=$5 mode=${6:-default}
mac=52:54:00:69:0e:01
N='network:///system?socket=/run/libvirt/virtnetworkd-sock'
Q='qemu:///system?socket=/run/libvirt/virtqemud-sock'

# private /run, libvirt's config, state, cache and logs
mount -t tmpfs tmpfs /run
mkdir -p /run/libvirt /run/lock "$work/etc" "$work/lib" "$work/cache"
cp -a /etc/libvirt/. "$work/etc/"
rm -rf "$work/etc/qemu/networks" "$work/etc/qemu/"*.xml
# QEMU runs as root without DAC relabelling, a per-domain mount namespace, cgroups or virtlogd: the
# namespaces here have none of the host's security labels, machined or log daemon to offer.
cat >> "$work/etc/qemu.conf" <<'CONF'
user = "+0"
group = "+0"
dynamic_ownership = 0
remember_owner = 0
security_driver = "none"
namespaces = [ ]
cgroup_controllers = [ ]
stdio_handler = "file"
CONF
printf 'auth_unix_rw = "none"\nauth_unix_ro = "none"\nlog_outputs = "3:file:%s/virtqemud.log"\n' "$work" \
  > "$work/etc/virtqemud.conf"
mount --bind "$work/etc" /etc/libvirt
mount --bind "$work/lib" /var/lib/libvirt
mkdir -p /var/lib/libvirt/qemu
mount --bind "$work/cache" /var/cache/libvirt
mount -t tmpfs tmpfs /var/log
mkdir -p /var/log/libvirt/qemu
# no cgroup file system in this mount namespace: libvirt then makes no cgroup for the domain
umount -l /sys/fs/cgroup 2>/dev/null || true

vpid= qpid= opids=
stop_daemons() {
  [ -n "$qpid" ] && kill "$qpid" 2>/dev/null && wait "$qpid" 2>/dev/null || true
  [ -n "$vpid" ] && kill "$vpid" 2>/dev/null && wait "$vpid" 2>/dev/null || true
  for p in $opids; do kill "$p" 2>/dev/null && wait "$p" 2>/dev/null || true; done
}
trap stop_daemons EXIT
say() { printf '\n$ %s\n' "$*"; "$@"; }
fail() { echo "FAILED: $*"; echo "--- vnetd log (tail)"; tail -30 "$work/vnetd.log"; echo "--- virtqemud log (tail)";
         tail -30 "$work/virtqemud.log" 2>/dev/null; echo "--- guest console (tail)"; tail -20 "$work/console.log" 2>/dev/null; exit 1; }
wait_for() { # SECONDS WHAT COMMAND...
  local t=$1 what=$2; shift 2
  for _ in $(seq $((t * 10))); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
  fail "$what (waited ${t}s)"
}
start_vnetd() {
  "$vnetd" --config-dir "$work/v/etc" --state-dir "$work/v/lib" >>"$work/vnetd.log" 2>&1 &
  vpid=$!
  wait_for 120 "vnetd serves /run/libvirt/virtnetworkd-sock" virsh -q -c "$N" net-list
}
start_virtqemud() {
  "$virtqemud" -f /etc/libvirt/virtqemud.conf >>"$work/virtqemud.stderr" 2>&1 &
  qpid=$!
  wait_for 120 "virtqemud answers" virsh -q -c "$Q" list
}
port_count() { local l; l=$(virsh -q -c "$N" net-port-list default); echo "$l" | grep -c . || true; }

start_vnetd
echo "vnetd runs (pid $vpid); libvirt's network socket here is vnetd's:"
say ss -xlp src /run/libvirt/virtnetworkd-sock
start_virtqemud
say virsh -c "$Q" version
cat > "$work/guest.xml" <<XML
<domain type='qemu'>
  <name>vnt-guest</name>
  <uuid>6e7a0b1c-2d3e-4f50-8a61-7b8c9d0e1f21</uuid>
  <memory unit='MiB'>256</memory>
  <vcpu>1</vcpu>
  <os>
    <type arch='x86_64' machine='pc'>hvm</type>
    <kernel>$kernel</kernel>
    <initrd>$initrd</initrd>
    <cmdline>console=ttyS0 panic=-1 loglevel=4</cmdline>
  </os>
  <on_poweroff>destroy</on_poweroff>
  <on_reboot>destroy</on_reboot>
  <devices>
    <emulator>/usr/bin/qemu-system-x86_64</emulator>
    <controller type='usb' model='none'/>
    <interface type='network'>
      <source network='default'/>
      <mac address='$mac'/>
      <model type='virtio'/>
    </interface>
    <serial type='file'>
      <source path='$work/console.log'/>
      <target port='0'/>
    </serial>
    <memballoon model='none'/>
  </devices>
</domain>
XML
if [ "$mode" = ovs ]; then
  . "$(dirname "$0")/virtqemud-ovs.sh"
  exit 0
fi
say virsh -c "$Q" define "$work/guest.xml"
say virsh -c "$Q" start vnt-guest || fail "the domain did not start"
say virsh -c "$Q" domiflist vnt-guest
tap=$(virsh -q -c "$Q" domiflist vnt-guest | awk '{print $1}')
[ -n "$tap" ] || fail "no tap in domiflist"
say ip -br link show master virbr0
[[ "$(ip -o link show "$tap")" == *"master virbr0"* ]] || fail "$tap is not on vnetd's virbr0"
say virsh -c "$N" net-port-list default
[ "$(port_count)" = 1 ] || fail "vnetd does not hold the domain's port"
port=$(virsh -q -c "$N" net-port-list default | awk '{print $1}')
say virsh -c "$N" net-port-dumpxml default "$port"
[[ "$(virsh -c "$N" net-port-dumpxml default "$port")" == *"$mac"* ]] || fail "the port has not the domain's MAC"

echo; echo "# the guest: DHCP from vnetd, then HTTP to the upstream namespace through vnetd's NAT"
# (the first tries may fail while the guest's ARP and the upstream's listener settle: any reply counts)
wait_for 240 "the guest's first HTTP reply through NAT" grep -q "^VNT-HTTP [0-9]* hello-from-upstream" "$work/console.log"
say grep -a -m 1 "^VNT-DHCP" "$work/console.log"
say grep -a -m 1 "^VNT-HTTP [0-9]* hello-from-upstream" "$work/console.log"
say virsh -c "$N" net-dhcp-leases default
[[ "$(virsh -c "$N" net-dhcp-leases default)" == *"$mac"* ]] || fail "no lease for $mac in vnetd"
say virsh -c "$Q" domifaddr vnt-guest --source lease

echo; echo "# vnetd restarts with the domain running: the port survives"
kill "$vpid"; wait "$vpid" 2>/dev/null || true; vpid=
start_vnetd
say virsh -c "$N" net-port-list default
[ "$(port_count)" = 1 ] || fail "the port did not survive vnetd's restart"
n=$(grep -ac "^VNT-HTTP .* hello-from-upstream" "$work/console.log")
wait_for 60 "the guest still reaches upstream after vnetd's restart" \
  sh -c "[ \$(grep -ac '^VNT-HTTP .* hello-from-upstream' '$work/console.log') -gt $n ]"
echo "(the guest's HTTP through NAT keeps answering: $(grep -ac '^VNT-HTTP .* hello-from-upstream' "$work/console.log") replies so far)"

echo; echo "# virtqemud restarts with the domain running: it finds its port by UUID in vnetd and keeps it"
kill "$qpid"; wait "$qpid" 2>/dev/null || true; qpid=
start_virtqemud
say virsh -c "$Q" list
say virsh -c "$N" net-port-list default
[ "$(port_count)" = 1 ] || fail "one port after virtqemud's restart"
[ "$(virsh -q -c "$N" net-port-list default | awk '{print $1}')" = "$port" ] || fail "the port has another uuid"

echo; echo "# the network daemon forgot the port while virtqemud was down: virtqemud's restart reclaims it"
echo "# (NETWORK_PORT_CREATE_XML with RECLAIM and the port's <plug>, same UUID)"
kill "$qpid"; wait "$qpid" 2>/dev/null || true; qpid=
say virsh -c "$N" net-port-delete default "$port"
[ "$(port_count)" = 0 ] || fail "the port was not deleted"
start_virtqemud
wait_for 60 "vnetd logs the reclaim" grep -q "port $port reclaimed" "$work/vnetd.log"
say virsh -c "$N" net-port-list default
[ "$(virsh -q -c "$N" net-port-list default | awk '{print $1}')" = "$port" ] || fail "the reclaimed port has another uuid"
echo "vnetd's log of the port:"
grep -a "port $port" "$work/vnetd.log" | sed 's/^/  /'
n=$(grep -ac "^VNT-HTTP .* hello-from-upstream" "$work/console.log")
wait_for 60 "the guest still reaches upstream after the reclaim" \
  sh -c "[ \$(grep -ac '^VNT-HTTP .* hello-from-upstream' '$work/console.log') -gt $n ]"
echo "(the guest's HTTP through NAT keeps answering: $(grep -ac '^VNT-HTTP .* hello-from-upstream' "$work/console.log") replies so far)"

echo; echo "# virsh destroy: virtqemud deletes the port in vnetd"
say virsh -c "$Q" destroy vnt-guest
say virsh -c "$N" net-port-list default
[ "$(port_count)" = 0 ] || fail "the port is still in vnetd after destroy"
ip link show "$tap" >/dev/null 2>&1 && fail "$tap still exists"
say virsh -c "$Q" undefine vnt-guest
echo; echo "OK: a QEMU domain of virtqemud used vnetd as its network daemon"
