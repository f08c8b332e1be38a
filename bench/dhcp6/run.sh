#!/usr/bin/env bash
# DHCPv6 benchmark: Kea's perfdhcp -6 against vnetd's DHCPv6 server, dnsmasq as libvirt runs it and
# kea-dhcp6 (memfile), one after the other in the same namespace topology, in one run. See README.md.
#
#   sudo bench/dhcp6/run.sh   (env: RATES, STEP, RESOLUTION, MAX_BISECT, SERVERS, VNETD_JAVA_OPTS, KEEP_LOGS)
#
# Topology (all inside namespaces this script creates and deletes):
#   vnt-bd6s-<pid>: bridge vbr0 fd96::1/64, the server under test
#   vnt-bd6c-<pid>: veth vc0 on that bridge (link-local only), perfdhcp -6 (multicast to ff02::1:2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib/java.sh" # VNETD_DAEMON_JVM_OPTS: the daemon's JVM options, as its launcher uses them
RATES=${RATES:-"250 500 1000 2000 4000 8000 16000"}
STEP=${STEP:-4}
RESOLUTION=${RESOLUTION:-5}
MAX_BISECT=${MAX_BISECT:-5}
SERVERS=${SERVERS:-"vnetd dnsmasq kea"}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SRV=vnt-bd6s-$$
CLI=vnt-bd6c-$$
TMP=$(mktemp -d /tmp/vnetd-bench-dhcp6.XXXXXX)
SERVER_PID=
RANGE_START=fd96::1:0
RANGE_END=fd96::ffff:ffff

for c in perfdhcp dnsmasq kea-dhcp6 ip; do
    command -v "$c" >/dev/null || { echo "missing $c: apt-get install -y kea-admin kea-dhcp6-server dnsmasq-base" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 2; }

. "$ROOT/bench/lib/dhcp-servers.sh" # stop_server, cleanup, build_vnetd, wait_udp_port, launch_* (shared with bench/dhcp)
trap cleanup EXIT INT TERM

setup_topology() {
    ip netns add "$SRV"
    ip netns add "$CLI"
    ip -n "$SRV" link set lo up
    ip -n "$CLI" link set lo up
    ip -n "$SRV" link add vbr0 type bridge forward_delay 0
    ip -n "$SRV" addr add fd96::1/64 dev vbr0 nodad
    ip -n "$SRV" link set vbr0 up
    ip -n "$SRV" link add vh0 type veth peer name vc0 netns "$CLI"
    ip -n "$SRV" link set vh0 master vbr0
    ip -n "$SRV" link set vh0 up
    ip -n "$CLI" link set vc0 up
    # both ends need their link-local addresses (perfdhcp sends from vc0's, replies go back to it)
    for _ in $(seq 100); do
        ip -n "$CLI" -6 addr show dev vc0 scope link -tentative | grep -q fe80 \
            && ip -n "$SRV" -6 addr show dev vbr0 scope link -tentative | grep -q fe80 && return 0
        sleep 0.1
    done
    echo "no link-local address on vc0/vbr0" >&2
    exit 1
}

start_vnetd() {
    launch_vnetd org.vnetd.daemon.dhcp6.Dhcp6BenchServer "$TMP/vnetd" vbr0 fd96::1/64 "$RANGE_START" "$RANGE_END"
}

start_dnsmasq() {
    # as libvirt writes it for an IPv6 <dhcp><range> (dhcp-range=START,END,PREFIX), no router advertisements
    # (not measured here)
    launch_dnsmasq --dhcp-range="$RANGE_START,$RANGE_END,64,1h"
}

start_kea() {
    mkdir -p "$TMP/kea"
    cat >"$TMP/kea/kea-dhcp6.conf" <<KEA
{ "Dhcp6": {
    "interfaces-config": { "interfaces": [ "vbr0" ] },
    "server-id": { "type": "LLT", "persist": false },
    "lease-database": { "type": "memfile", "persist": true, "name": "$TMP/kea/leases6.csv", "lfc-interval": 0 },
    "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 64 },
    "preferred-lifetime": 3600, "valid-lifetime": 3600, "renew-timer": 1800, "rebind-timer": 2880,
    "subnet6": [ { "id": 1, "subnet": "fd96::/64", "interface": "vbr0",
                   "pools": [ { "pool": "$RANGE_START - $RANGE_END" } ],
                   "option-data": [ { "name": "dns-servers", "data": "fd96::1" } ] } ],
    "loggers": [ { "name": "kea-dhcp6", "severity": "WARN", "output_options": [ { "output": "$TMP/kea/kea.log" } ] } ]
} }
KEA
    launch_kea kea-dhcp6
}

# perf RATE SECONDS MACBASE -> "achieved drops sent avgSA avgRR replied" (SARR: SOLICIT-ADVERTISE-REQUEST-REPLY)
perf() {
    local rate=$1 secs=$2 duid=$3
    LAST_PERF=$(timeout $(( secs + 20 )) ip netns exec "$CLI" perfdhcp -6 -l vc0 -r "$rate" -p "$secs" -R 1000000 \
        -b "mac=$duid" -W 300000 2>&1 || true)
    echo "$LAST_PERF" >>"$TMP/perfdhcp.log"
    echo "$LAST_PERF" | awk '
        /^\*\*\*Timestamps/ { exit }
        /^Rate:/ { rate=$2 }
        /Statistics for: SOLICIT-ADVERTISE/ { blk=1 } /Statistics for: REQUEST-REPLY/ { blk=2 }
        /^sent packets:/ { if (blk==1) sent=$3 }
        /^received packets:/ { if (blk==2) replied=$3 }
        /^drops:/ { drops+=$2 }
        /^avg delay:/ { avg[blk]=$3 }
        END { if (rate=="") rate=0; if (sent=="") sent=0; if (drops=="") drops=sent; if (replied=="") replied=0;
              printf "%s %d %d %s %s %d\n", rate, drops, sent, (avg[1]==""?"n/a":avg[1]), (avg[2]==""?"n/a":avg[2]), replied }'
}

# every perfdhcp run gets its own MAC block (02:HH:LL:..; perfdhcp -6 makes each client's DUID-LL
# from it, counting up the low bytes), so every exchange is a new client; not called in a subshell:
# the counter must advance
duidbase=0
nextduid() { duidbase=$((duidbase + 1)); DUID=$(printf '02:%02x:%02x:00:00:00' $((duidbase / 256)) $((duidbase % 256))); }

# probe RATE: STEP seconds, retried once; passes with zero drops while perfdhcp sent >= 90 % of RATE x STEP
probe() {
    local r=$1 attempt got drops sent asa arr replied
    for attempt in 1 2; do
        nextduid; read -r got drops sent asa arr replied < <(perf "$r" "$STEP" "$DUID")
        echo "   rate $r (try $attempt): achieved $got SARR/s, $drops drops of $sent, $replied replies" >&2
        if [ "$drops" -eq 0 ] && awk -v n="$sent" -v r="$r" -v t="$STEP" 'BEGIN{exit !(n > 0 && n >= 0.9*r*t)}'; then
            PASS_GOT=$got
            PASS_LAT=$(awk -v a="$asa" -v b="$arr" 'BEGIN{ if (a=="n/a"||b=="n/a") print "n/a"; else printf "%.2f", a+b }')
            return 0
        fi
    done
    return 1
}

rcvbuf_errors() { ip netns exec "$1" awk '$1=="Udp6RcvbufErrors"{print $2}' /proc/net/snmp6; }

# bisect: between the caller's pass and fail rates to RESOLUTION, at most MAX_BISECT probes (updates
# pass, fail, got, lat of bench_one)
bisect() {
    local n=0 mid
    while [ "$fail" -gt 0 ] && [ "$pass" -gt 0 ] && [ $(( (fail - pass) * 100 / pass )) -gt "$RESOLUTION" ] && [ $n -lt "$MAX_BISECT" ]; do
        mid=$(( (pass + fail) / 2 ))
        if probe "$mid"; then pass=$mid got=$PASS_GOT lat=$PASS_LAT; else fail=$mid; fi
        n=$((n + 1))
    done
}

declare -A RATE LAT
bench_one() {
    local name=$1 pass=0 fail=0 lat=n/a got=0 r
    echo "== $name" >&2
    sync
    "start_$name"
    wait_udp_port 547
    nextduid; perf 200 2 "$DUID" >/dev/null # warm-up (JIT, neighbour caches), the same for all
    for r in $RATES; do
        if probe "$r"; then pass=$r got=$PASS_GOT lat=$PASS_LAT; else fail=$r; break; fi
    done
    # even the first rate failed: halve it (up to 4 times) to find one that passes
    local halvings=0
    while [ "$pass" -eq 0 ] && [ "$fail" -gt 1 ] && [ $halvings -lt 4 ]; do
        r=$(( fail / 2 ))
        if probe "$r"; then pass=$r got=$PASS_GOT lat=$PASS_LAT; else fail=$r; fi
        halvings=$((halvings + 1))
    done
    bisect
    # the rate found must still pass at the end: a server that slows as its lease table grows (dnsmasq
    # rewrites its whole lease file per change) passed its rung with the small table of an early probe and
    # fails it later. Then the search goes on below it (halving up to 6 times to a rate that passes with
    # the table as it is now, then bisecting up again), once.
    if [ "$pass" -gt 0 ] && probe "$pass"; then
        got=$PASS_GOT lat=$PASS_LAT # the confirmation's figures: with the table as it is at the end
    elif [ "$pass" -gt 0 ]; then
        echo "   $pass/s no longer passes: searching below it" >&2
        fail=$pass pass=0 got=0 lat=n/a
        local lower=0
        while [ "$pass" -eq 0 ] && [ "$fail" -gt 1 ] && [ $lower -lt 6 ]; do
            r=$(( fail / 2 ))
            if probe "$r"; then pass=$r got=$PASS_GOT lat=$PASS_LAT; else fail=$r; fi
            lower=$((lower + 1))
        done
        bisect
    fi
    RATE[$name]=$got LAT[$name]=$lat OFFERED[$name]=$pass
    # where the lost packets went: a full socket receive buffer on either side (counted since the namespace began)
    echo "   UDP receive-buffer overflows so far: server side $(rcvbuf_errors "$SRV"), client side $(rcvbuf_errors "$CLI")" >&2
    stop_server
    # the server's own summary, and how many lease log syncs took over 10 ms (GroupCommitter logs those over 5)
    [ "$name" = vnetd ] && { grep -v DEBUG "$TMP/vnetd.err"; echo "   vnetd lease log syncs over 10 ms: $(grep -c 'sync took [0-9]\{2,\}' "$TMP/vnetd.err")"; } >&2 || true
}

declare -A OFFERED
START=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
setup_topology
case " $SERVERS " in *" vnetd "*) build_vnetd ;; esac
for s in $SERVERS; do bench_one "$s"; done

printf '\nDHCPv6 SARR benchmark (perfdhcp -6 %s, %s s steps, resolution %s %%, cores: %s, load before: %s, after: %s, %d s)\n' \
    "$(perfdhcp -v 2>&1 | head -1)" "$STEP" "$RESOLUTION" "$(nproc)" "$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)" $(( $(date +%s) - START ))
printf '%-8s %18s %18s %22s  %s\n' server "zero-drop offered" "achieved SARR/s" "avg latency ms (SA+RR)" "leases durable before reply"
for s in $SERVERS; do
    durable=no; [ "$s" = vnetd ] && durable="yes (fdatasync, group commit)"
    printf '%-8s %18s %18s %22s  %s\n' "$s" "${OFFERED[$s]}" "${RATE[$s]}" "${LAT[$s]}" "$durable"
done
if [ -n "${RATE[vnetd]:-}" ]; then
    for s in $SERVERS; do
        [ "$s" = vnetd ] && continue
        awk -v a="${RATE[vnetd]}" -v b="${RATE[$s]}" -v n="$s" 'BEGIN{ if (b>0) printf "vnetd / %s: %.2fx\n", n, a/b; else printf "vnetd / %s: n/a (%s passed no rate)\n", n, n }'
    done
fi
