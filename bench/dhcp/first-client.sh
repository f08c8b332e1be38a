#!/usr/bin/env bash
# The first client after a server start: STARTS times per server, a fresh server (fresh lease files),
# PAUSE seconds, then one new client's DISCOVER->OFFER and REQUEST->ACK (bench/dhcp/dora_once.py, a
# relay-style client), then a second new client for comparison. vnetd here is the packaged daemon
# (dist/bin/vnetd with its AOT cache, as installed), which creates the bridge from a network definition.
#
#   sudo bench/dhcp/first-client.sh   (env: STARTS, PAUSE, SERVERS)
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib/java.sh"
STARTS=${STARTS:-5}
PAUSE=${PAUSE:-2}
SERVERS=${SERVERS:-"vnetd dnsmasq kea"}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SRV=vnt-bfcs-$$
CLI=vnt-bfcc-$$
TMP=$(mktemp -d /tmp/vnetd-bench-first.XXXXXX)
SERVER_PID=
. "$ROOT/bench/dhcp/servers.sh"
trap cleanup EXIT INT TERM
for c in dnsmasq kea-dhcp4 ip python3; do
    command -v "$c" >/dev/null || { echo "missing $c: apt-get install -y kea-dhcp4-server dnsmasq-base python3" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 2; }
[ -x "$ROOT/dist/bin/vnetd" ] || { echo "no dist/bin/vnetd: run scripts/build first" >&2; exit 2; }
[ -f "$ROOT/dist/lib/vnetd.aot" ] || echo "note: no AOT cache (dist/bin/vnetd-train writes it); vnetd starts colder" >&2

# the packaged daemon in $SRV, defining and starting a network whose bridge is vbr0 with the topology's
# address and pool (the script's own vbr0 is deleted first and made again afterwards)
start_vnetd_daemon() {
    ip -n "$SRV" link del vbr0
    rm -rf "$TMP/daemon"
    mkdir -p "$TMP/daemon"
    ip netns exec "$SRV" "$ROOT/dist/bin/vnetd" --no-default-network --config-dir "$TMP/daemon/etc" \
        --state-dir "$TMP/daemon/var" --run-dir "$TMP/daemon/run" --log-level WARN >"$TMP/vnetd.log" 2>&1 &
    SERVER_PID=$!
    for _ in $(seq 300); do [ -S "$TMP/daemon/run/vnetd.sock" ] && break; sleep 0.05; done
    cat >"$TMP/daemon/bench.xml" <<XML
<network><name>bench</name><bridge name='vbr0' stp='off'/>
  <ip address='10.96.0.1' prefix='12'><dhcp><range start='10.97.0.0' end='10.97.255.254'/></dhcp></ip></network>
XML
    "$ROOT/dist/bin/vnetctl" -c "$TMP/daemon/run/vnetd.sock" net-create "$TMP/daemon/bench.xml" >/dev/null
    ip -n "$SRV" link set vh0 master vbr0
}

stop_vnetd_daemon() {
    "$ROOT/dist/bin/vnetctl" -c "$TMP/daemon/run/vnetd.sock" net-destroy bench >/dev/null || true
    stop_server
    ip -n "$SRV" link add vbr0 type bridge forward_delay 0
    ip -n "$SRV" addr add 10.96.0.1/12 dev vbr0
    ip -n "$SRV" link set vbr0 up
    ip -n "$SRV" link set vh0 master vbr0
}

setup_topology
declare -A FIRST SECOND
n=0
for s in $SERVERS; do
    for i in $(seq "$STARTS"); do
        rm -rf "$TMP/kea" "$TMP/dnsmasq.leases"
        sync # as run.sh does: no server's first fdatasync waits for writeback it did not cause
        case $s in
            vnetd) start_vnetd_daemon ;;
            *) "start_$s"; wait_port67 ;;
        esac
        sleep "$PAUSE"
        # each start may bring a new vbr0 with a new MAC: the client must not send to the old one; and
        # vnetd's bridge is new at every start, with no neighbour entry for the relay yet, while the
        # script's bridge (dnsmasq, Kea) keeps its entries across starts: both caches start empty, so
        # every server's first reply pays the same ARP exchange
        ip -n "$CLI" neigh flush all
        ip -n "$SRV" neigh flush all
        n=$((n + 1))
        first=$(ip netns exec "$CLI" python3 "$ROOT/bench/dhcp/dora_once.py" 10.96.0.1 10.96.0.2 "$(printf '02:fc:%02x:00:00:01' $n)")
        second=$(ip netns exec "$CLI" python3 "$ROOT/bench/dhcp/dora_once.py" 10.96.0.1 10.96.0.2 "$(printf '02:fc:%02x:00:00:02' $n)")
        echo "   $s start $i: first client $first ms, second $second ms (DISCOVER->OFFER REQUEST->ACK)" >&2
        FIRST[$s]="${FIRST[$s]:-} $(echo "$first" | awk '$1 != "timeout" { printf "%.2f", $1 + $2 } $1 == "timeout" { print "timeout" }')"
        SECOND[$s]="${SECOND[$s]:-} $(echo "$second" | awk '$1 != "timeout" { printf "%.2f", $1 + $2 } $1 == "timeout" { print "timeout" }')"
        case $s in
            vnetd) stop_vnetd_daemon ;;
            *) stop_server ;;
        esac
    done
done

printf '\nFirst DHCP client after a server start (%s starts each, %s s after the start; DORA ms = DISCOVER->OFFER + REQUEST->ACK)\n' "$STARTS" "$PAUSE"
printf '%-8s | %-40s | %s\n' server "first client, DORA ms per start" "second client"
for s in $SERVERS; do
    printf '%-8s | %-40s | %s\n' "$s" "${FIRST[$s]# }" "${SECOND[$s]# }"
done
