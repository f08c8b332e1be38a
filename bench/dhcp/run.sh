#!/usr/bin/env bash
# DHCPv4 benchmark: Kea's perfdhcp against vnetd's embedded server, dnsmasq and kea-dhcp4 (memfile),
# one after the other in the same namespace topology, in one run. See README.md.
#
#   sudo bench/dhcp/run.sh            (env: RATES, STEP, STRESS_RATE, SERVERS, KEEP_LOGS)
#
# Topology (all inside namespaces this script creates and deletes):
#   vnt-bdhs-<pid>: bridge vbr0 10.96.0.1/12, the server under test
#   vnt-bdhc-<pid>: veth vc0 10.96.0.2/12 on that bridge, perfdhcp (acts as a relay: giaddr 10.96.0.2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
RATES=${RATES:-"250 500 750 1000 1500 2000 3000 4000 6000 8000 10000 12000 16000 20000"}
STEP=${STEP:-4}
STRESS_RATE=${STRESS_RATE:-4000}
SERVERS=${SERVERS:-"vnetd dnsmasq kea"}
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SRV=vnt-bdhs-$$
CLI=vnt-bdhc-$$
TMP=$(mktemp -d /tmp/vnetd-bench-dhcp.XXXXXX)
SERVER_PID=

for c in perfdhcp dnsmasq kea-dhcp4 ip; do
    command -v "$c" >/dev/null || { echo "missing $c: apt-get install -y kea-admin kea-dhcp4-server dnsmasq-base" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 2; }

stop_server() {
    if [ -n "$SERVER_PID" ]; then
        kill "$SERVER_PID" 2>/dev/null || true
        for _ in $(seq 50); do kill -0 "$SERVER_PID" 2>/dev/null || break; sleep 0.1; done
        kill -9 "$SERVER_PID" 2>/dev/null || true
        wait "$SERVER_PID" 2>/dev/null || true
        SERVER_PID=
    fi
}

cleanup() {
    stop_server
    for ns in "$SRV" "$CLI"; do
        if ip netns list | grep -qw "$ns"; then
            for p in $(ip netns pids "$ns" 2>/dev/null); do kill -9 "$p" 2>/dev/null || true; done
            ip netns del "$ns" 2>/dev/null || true
        fi
    done
    [ -n "${KEEP_LOGS:-}" ] && echo "logs kept in $TMP" >&2 || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

setup_topology() {
    ip netns add "$SRV"
    ip netns add "$CLI"
    ip -n "$SRV" link set lo up
    ip -n "$CLI" link set lo up
    ip -n "$SRV" link add vbr0 type bridge forward_delay 0
    ip -n "$SRV" addr add 10.96.0.1/12 dev vbr0
    ip -n "$SRV" link set vbr0 up
    ip -n "$SRV" link add vh0 type veth peer name vc0 netns "$CLI"
    ip -n "$SRV" link set vh0 master vbr0
    ip -n "$SRV" link set vh0 up
    ip -n "$CLI" addr add 10.96.0.2/12 dev vc0
    ip -n "$CLI" link set vc0 up
}

build_vnetd() {
    (cd "$ROOT" && JAVA_HOME=$JAVA_HOME MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow \
        mvn -o -q -B -pl vnetd-daemon -am test-compile dependency:build-classpath \
        -Dmdep.outputFile="$TMP/cp.txt" -Dmdep.includeScope=test >"$TMP/build.log" 2>&1) \
        || { cat "$TMP/build.log" >&2; exit 1; }
    VNETD_CP="$ROOT/vnetd-daemon/target/test-classes:$ROOT/vnetd-daemon/target/classes:$(cat "$TMP/cp.txt")"
}

wait_port67() {
    for _ in $(seq 150); do
        ip netns exec "$SRV" ss -lun 2>/dev/null | grep -q ':67 ' && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died" >&2; return 1; }
        sleep 0.1
    done
    echo "server did not open port 67" >&2
    return 1
}

start_vnetd() {
    mkdir -p "$TMP/vnetd"
    ip netns exec "$SRV" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        ${VNETD_JAVA_OPTS:--Xms256m -XX:+UseSerialGC -Xmn24m} -cp "$VNETD_CP" org.vnetd.daemon.dhcp.DhcpBenchServer \
        "$TMP/vnetd" vbr0 10.96.0.1/12 10.97.0.0 10.111.255.254 >"$TMP/vnetd.out" 2>"$TMP/vnetd.err" &
    SERVER_PID=$!
}

start_dnsmasq() {
    # as libvirt runs it for a network (dhcp-authoritative, a lease file), with no DNS (port=0), but
    # with --no-ping: libvirt's default ICMP check makes every new address wait ~3 s (about 0.3 DORA/s),
    # which would measure the ping, not the server. DNSMASQ_PING=1 keeps libvirt's behaviour.
    local ping=--no-ping
    [ -n "${DNSMASQ_PING:-}" ] && ping=
    ip netns exec "$SRV" dnsmasq $ping --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --group=root \
        --interface=vbr0 --bind-interfaces --except-interface=lo --dhcp-authoritative --dhcp-no-override \
        --dhcp-range=10.97.0.0,10.111.255.254,255.240.0.0,1h --dhcp-lease-max=1000000 \
        --dhcp-leasefile="$TMP/dnsmasq.leases" --pid-file="$TMP/dnsmasq.pid" --log-facility="$TMP/dnsmasq.log" \
        >"$TMP/dnsmasq.out" 2>&1 &
    SERVER_PID=$!
}

start_kea() {
    mkdir -p "$TMP/kea"
    cat >"$TMP/kea/kea-dhcp4.conf" <<KEA
{ "Dhcp4": {
    "interfaces-config": { "interfaces": [ "vbr0" ], "dhcp-socket-type": "udp" },
    "lease-database": { "type": "memfile", "persist": true, "name": "$TMP/kea/leases4.csv", "lfc-interval": 0 },
    "multi-threading": { "enable-multi-threading": true, "thread-pool-size": 2, "packet-queue-size": 64 },
    "valid-lifetime": 3600,
    "authoritative": true,
    "subnet4": [ { "id": 1, "subnet": "10.96.0.0/12",
                   "pools": [ { "pool": "10.97.0.0 - 10.111.255.254" } ],
                   "option-data": [ { "name": "routers", "data": "10.96.0.1" },
                                    { "name": "domain-name-servers", "data": "10.96.0.1" } ] } ],
    "loggers": [ { "name": "kea-dhcp4", "severity": "WARN", "output_options": [ { "output": "$TMP/kea/kea.log" } ] } ]
} }
KEA
    KEA_PIDFILE_DIR="$TMP/kea" KEA_LOCKFILE_DIR="$TMP/kea" \
        ip netns exec "$SRV" kea-dhcp4 -c "$TMP/kea/kea-dhcp4.conf" >"$TMP/kea.out" 2>&1 &
    SERVER_PID=$!
}

# perfdhcp RATE SECONDS CLIENTS MACBASE -> prints "achieved drops sent avgDO avgRA maxDO maxRA acked"
perf() {
    local out
    out=$(timeout $(( $2 + 20 )) ip netns exec "$CLI" perfdhcp -4 -l vc0 -r "$1" -p "$2" -R "$3" -b "mac=$4" -W 300000 \
        10.96.0.1 2>&1 || true)
    echo "$out" >>"$TMP/perfdhcp.log"
    echo "$out" | awk '
        /^Rate:/ { rate=$2 }
        /Statistics for: DISCOVER-OFFER/ { blk=1 } /Statistics for: REQUEST-ACK/ { blk=2 }
        /^sent packets:/ { if (blk==1) sent=$3 }
        /^received packets:/ { if (blk==2) acked=$3 }
        /^drops:/ { drops+=$2 }
        /^avg delay:/ { avg[blk]=$3 } /^max delay:/ { max[blk]=$3 }
        END { if (rate=="") rate=0; if (sent=="") sent=0; if (drops=="") drops=sent; if (acked=="") acked=0;
              printf "%s %d %d %s %s %s %s %d\n", rate, drops, sent, (avg[1]==""?"n/a":avg[1]), (avg[2]==""?"n/a":avg[2]),
                     (max[1]==""?"n/a":max[1]), (max[2]==""?"n/a":max[2]), acked }'
}

declare -A BEST BEST_LAT STRESS_RATE_OUT STRESS_DROP STRESS_LAT BIND_AVG BIND_MAX
macbase=0
# every perfdhcp run gets its own MAC block (02:NN:..), so "new client" really means never seen before
# (not called in a subshell: the counter must advance)
nextmac() { macbase=$((macbase + 1)); MAC=$(printf '02:%02x:00:00:00:00' "$macbase"); }

bench_one() {
    local name=$1
    echo "== $name" >&2
    "start_$name"
    wait_port67
    nextmac; perf 500 3 100000 "$MAC" >/dev/null            # warm-up (JIT, ARP, caches), same for all
    # new-client bind latency: a low rate of clients never seen before; DISCOVER->OFFER + REQUEST->ACK
    nextmac; read -r _ _ _ ado ara mdo mra _ < <(perf 20 3 1000000 "$MAC")
    BIND_AVG[$name]=$(awk -v a="$ado" -v b="$ara" 'BEGIN{ if (a=="n/a"||b=="n/a") print "n/a"; else printf "%.2f", a+b }')
    BIND_MAX[$name]=$(awk -v a="$mdo" -v b="$mra" 'BEGIN{ if (a=="n/a"||b=="n/a") print "n/a"; else printf "%.2f", a+b }')
    local best=0 bestlat=n/a
    local ok attempt
    for r in $RATES; do
        ok=
        # a step passes with zero drops while keeping up with the offered rate; one retry per step,
        # the same for every server, so one scheduling hiccup on a shared machine does not end the search
        for attempt in 1 2; do
            nextmac; read -r got drops sent ado ara _ _ _ < <(perf "$r" "$STEP" 1000000 "$MAC")
            echo "   rate $r (try $attempt): achieved $got DORA/s, $drops drops of $sent" >&2
            if [ "$drops" -eq 0 ] && [ "$sent" -gt 0 ] && awk -v g="$got" -v r="$r" 'BEGIN{exit !(g >= 0.9*r)}'; then
                ok=1
                best=$got
                bestlat=$(awk -v a="$ado" -v b="$ara" 'BEGIN{ printf "%.2f", a+b }')
                break
            fi
        done
        [ -n "$ok" ] || break
    done
    BEST[$name]=$best
    BEST_LAT[$name]=$bestlat
    nextmac; read -r got drops sent ado ara _ _ acked < <(perf "$STRESS_RATE" "$STEP" 1000000 "$MAC")
    STRESS_RATE_OUT[$name]=$got
    # share of DISCOVERs that never ended in an ACK
    STRESS_DROP[$name]=$(awk -v a="$acked" -v s="$sent" 'BEGIN{ if (s==0) print "100.0"; else printf "%.1f", 100*(s-a)/s }')
    STRESS_LAT[$name]=$(awk -v a="$ado" -v b="$ara" 'BEGIN{ if (a=="n/a"||b=="n/a") print "n/a"; else printf "%.2f", a+b }')
    stop_server
}

setup_topology
case " $SERVERS " in *" vnetd "*) build_vnetd ;; esac
for s in $SERVERS; do bench_one "$s"; done

printf '\nDHCPv4 DORA benchmark (perfdhcp %s, %s s steps, cores: %s, load: %s)\n' \
    "$(perfdhcp -v 2>&1 | head -1)" "$STEP" "$(nproc)" "$(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s | %14s | %12s | %22s | %18s | %18s\n' server "DORA/s 0-drop" "latency ms" "@${STRESS_RATE}/s: DORA/s drop%" "new-client avg ms" "new-client max ms"
printf -- '---------+----------------+--------------+------------------------+--------------------+-------------------\n'
for s in $SERVERS; do
    printf '%-8s | %14s | %12s | %14s %6s%% | %18s | %18s\n' "$s" "${BEST[$s]}" "${BEST_LAT[$s]}" \
        "${STRESS_RATE_OUT[$s]}" "${STRESS_DROP[$s]}" "${BIND_AVG[$s]}" "${BIND_MAX[$s]}"
done
if [ -n "${BEST[vnetd]:-}" ]; then
    for s in $SERVERS; do
        [ "$s" = vnetd ] && continue
        awk -v v="${BEST[vnetd]}" -v o="${BEST[$s]}" -v n="$s" \
            'BEGIN{ if (o+0 > 0) printf "vnetd / %-8s = %.2fx (zero-drop DORA/s)\n", n, v/o; else printf "vnetd / %-8s = n/a (%s had no zero-drop step)\n", n, n }'
    done
fi
echo "(latency = DISCOVER->OFFER + REQUEST->ACK averages; vnetd fsyncs every lease before its ACK, group-committed)"
