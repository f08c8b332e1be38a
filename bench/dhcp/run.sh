#!/usr/bin/env bash
# DHCPv4 benchmark: Kea's perfdhcp against vnetd's embedded server, dnsmasq and kea-dhcp4 (memfile),
# one after the other in the same namespace topology, in one run. See README.md.
#
#   sudo bench/dhcp/run.sh   (env: RATES, STEP, RESOLUTION, MAX_BISECT, STRESS_RATE, BIND_CLIENTS, BIND_RATE,
#                             SERVERS, VNETD_JAVA_OPTS, DNSMASQ_PING, KEEP_LOGS, FLOOR_SYNCS, FLOOR_RATE)
#
# Topology (all inside namespaces this script creates and deletes):
#   vnt-bdhs-<pid>: bridge vbr0 10.96.0.1/12, the server under test
#   vnt-bdhc-<pid>: veth vc0 10.96.0.2/12 on that bridge, perfdhcp (acts as a relay: giaddr 10.96.0.2)
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/../.." && pwd)
. "$ROOT/scripts/lib/java.sh" # VNETD_DAEMON_JVM_OPTS: the daemon's JVM options, as its launcher uses them
RATES=${RATES:-"250 500 1000 2000 4000 8000 16000 32000"}
STEP=${STEP:-4}
RESOLUTION=${RESOLUTION:-5}        # bisect until the pass/fail bracket is within this many percent
MAX_BISECT=${MAX_BISECT:-6}       # at most this many bisection probes per server
STRESS_RATE=${STRESS_RATE:-8000}
BIND_CLIENTS=${BIND_CLIENTS:-200}
BIND_RATE=${BIND_RATE:-20}
SERVERS=${SERVERS:-"vnetd dnsmasq kea"}
FLOOR_SYNCS=${FLOOR_SYNCS:-600}   # the disk's own fdatasync figures (DiskSyncFloor): this many syncs,
FLOOR_RATE=${FLOOR_RATE:-60}      # this many a second
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
SRV=vnt-bdhs-$$
CLI=vnt-bdhc-$$
TMP=$(mktemp -d /tmp/vnetd-bench-dhcp.XXXXXX)
SERVER_PID=

for c in perfdhcp dnsmasq kea-dhcp4 ip; do
    command -v "$c" >/dev/null || { echo "missing $c: apt-get install -y kea-admin kea-dhcp4-server dnsmasq-base" >&2; exit 2; }
done
[ "$(id -u)" = 0 ] || { echo "run as root (namespaces)" >&2; exit 2; }

. "$ROOT/bench/dhcp/servers.sh" # topology, start_/stop_ of each server, cleanup
trap cleanup EXIT INT TERM

# perfdhcp RATE SECONDS CLIENTS MACBASE [EXTRA...] -> prints "achieved drops sent avgDO avgRA maxDO maxRA acked"
# (the full perfdhcp output of the last call stays in $LAST_PERF)
perf() {
    local rate=$1 secs=$2 clients=$3 mac=$4
    shift 4
    LAST_PERF=$(timeout $(( secs + 20 )) ip netns exec "$CLI" perfdhcp -4 -l vc0 -r "$rate" -p "$secs" -R "$clients" -b "mac=$mac" \
        -W 300000 "$@" 10.96.0.1 2>&1 || true)
    echo "$LAST_PERF" >>"$TMP/perfdhcp.log"
    echo "$LAST_PERF" | awk '
        /^\*\*\*Timestamps/ { exit }
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

# perfdhcp -x t output on stdin -> "avg p99 max n srvmax split": per client, DISCOVER sent -> ACK received,
# in ms. perfdhcp lists the successful DISCOVER-OFFER and REQUEST-ACK exchanges separately; it sends each
# REQUEST when its OFFER arrives, so offers in arrival order pair with requests in sending order.
# srvmax: the largest DISCOVER->OFFER + REQUEST->ACK, i.e. without perfdhcp's own time between receiving
# an OFFER and sending its REQUEST; split: the slowest client's total as "DO+client+RA".
bind_times() {
    local in
    in=$(cat)
    paste <(echo "$in" | awk '/^\*\*\*Timestamps for packets: DISCOVER-OFFER/ { s=1; next } /^\*\*\*/ { s=0 }
                              s && /^sent \/ received:/ { print $6+0, $4+0 }' | sort -n) \
          <(echo "$in" | awk '/^\*\*\*Timestamps for packets: REQUEST-ACK/ { s=1; next } /^\*\*\*/ { s=0 }
                              s && /^sent \/ received:/ { print $4+0, $6+0 }' | sort -n) \
        | awk 'NF == 4 { printf "%.3f %.3f %.3f %.3f\n", ($4 - $2) * 1000, ($1 - $2) * 1000, ($3 - $1) * 1000, ($4 - $3) * 1000 }' \
        | sort -n \
        | awk '{ v[NR] = $1; s += $1; if ($2 + $4 > srv) srv = $2 + $4; split_ = sprintf("%.2f+%.2f+%.2f", $2, $3, $4) }
               END { if (NR == 0) { print "n/a n/a n/a 0 n/a n/a"; exit }
                     i = int(NR * 0.99); if (i < NR * 0.99) i++; if (i < 1) i = 1;
                     printf "%.2f %.2f %.2f %d %.2f %s\n", s / NR, v[i], v[NR], NR, srv, split_ }'
}

# UDP receive-buffer overflows (RcvbufErrors) so far in namespace $1
rcvbuf_errors() { ip netns exec "$1" awk '/^Udp:/ { if (h) print $6; h = 1 }' /proc/net/snmp; }

declare -A BEST BEST_RATE BEST_LAT STRESS_RATE_OUT STRESS_DROP BIND_AVG BIND_P99 BIND_MAX BIND_N BIND_SRV BIND_SPLIT PROBES\
    FAIL_DROPS FAIL_CLI FAIL_SRV
macbase=0
# every perfdhcp run gets its own MAC block (02:HH:LL:..), so "new client" really means never seen before
# (not called in a subshell: the counter must advance)
nextmac() { macbase=$((macbase + 1)); MAC=$(printf '02:%02x:%02x:00:00:00' $((macbase / 256)) $((macbase % 256))); }

# probe RATE: one step of STEP seconds, retried once (the same rule for every server, so one scheduling
# hiccup on a shared machine does not decide); passes with zero drops while achieving >= 90 % of RATE.
# On a pass sets PASS_GOT / PASS_LAT.
probe() {
    local r=$1 attempt got drops sent ado ara
    for attempt in 1 2; do
        local c0 s0 c1 s1
        c0=$(rcvbuf_errors "$CLI"); s0=$(rcvbuf_errors "$SRV")
        nextmac; read -r got drops sent ado ara _ _ _ < <(perf "$r" "$STEP" 1000000 "$MAC")
        c1=$(rcvbuf_errors "$CLI"); s1=$(rcvbuf_errors "$SRV")
        PROBES[$CUR]=$(( ${PROBES[$CUR]} + 1 ))
        echo "   rate $r (try $attempt): achieved $got DORA/s, $drops drops of $sent; receive-buffer overflows: perfdhcp $(( c1 - c0 )), server $(( s1 - s0 ))" >&2
        if [ "$drops" -ne 0 ]; then
            # where the failed probes lost their packets: a datagram the kernel dropped at a full socket
            FAIL_DROPS[$CUR]=$(( ${FAIL_DROPS[$CUR]} + drops ))
            FAIL_CLI[$CUR]=$(( ${FAIL_CLI[$CUR]} + c1 - c0 ))
            FAIL_SRV[$CUR]=$(( ${FAIL_SRV[$CUR]} + s1 - s0 ))
        fi
        # keeping up: perfdhcp sent at least 90 % of RATE x STEP DISCOVERs (its own "Rate" divides by
        # the period plus the 0.3 s drain, so it reads ~7 % low at 4 s steps and is only reported)
        if [ "$drops" -eq 0 ] && awk -v n="$sent" -v r="$r" -v t="$STEP" 'BEGIN{exit !(n > 0 && n >= 0.9*r*t)}'; then
            PASS_GOT=$got
            PASS_LAT=$(awk -v a="$ado" -v b="$ara" 'BEGIN{ printf "%.2f", a+b }')
            return 0
        fi
    done
    return 1
}

bench_one() {
    local name=$1
    CUR=$name
    PROBES[$name]=0 FAIL_DROPS[$name]=0 FAIL_CLI[$name]=0 FAIL_SRV[$name]=0
    echo "== $name" >&2
    # write back what is dirty in the page cache (the build's output, the previous server's files) now,
    # so that no server's fdatasyncs wait for writeback it did not cause
    sync
    "start_$name"
    wait_port67
    nextmac; perf 500 3 100000 "$MAC" >/dev/null            # warm-up (JIT, ARP, caches), same for all
    # new-client bind latency: BIND_CLIENTS clients never seen before, BIND_RATE a second; per client
    # the time from its DISCOVER leaving to its ACK arriving
    local t0 t1
    t0=$(date +%s%3N)
    nextmac; perf "$BIND_RATE" $(( (BIND_CLIENTS + BIND_RATE - 1) / BIND_RATE + 1 )) 1000000 "$MAC" -n "$BIND_CLIENTS" -x t >/dev/null
    t1=$(date +%s%3N)
    read -r BIND_AVG[$name] BIND_P99[$name] BIND_MAX[$name] BIND_N[$name] BIND_SRV[$name] BIND_SPLIT[$name] \
        < <(echo "$LAST_PERF" | bind_times)
    echo "   new clients: ${BIND_N[$name]} bound, avg ${BIND_AVG[$name]} p99 ${BIND_P99[$name]} max ${BIND_MAX[$name]} ms" \
        "(slowest: DISCOVER->OFFER + perfdhcp + REQUEST->ACK = ${BIND_SPLIT[$name]}; without perfdhcp's part at most ${BIND_SRV[$name]})" >&2
    if [ "$name" = vnetd ]; then
        # the lease log's syncs and housekeeping over 5 ms while the new clients ran (GroupCommitter logs
        # them at debug level, with epoch ms: logback-bench.xml); an ACK arriving meanwhile waits for them
        read -r BIND_SLOW_SYNCS BIND_SLOWEST_SYNC BIND_SLOW_HOUSE BIND_SLOWEST_HOUSE < <(awk -v a="$t0" -v b="$t1" '
            $1 >= a && $1 <= b && /GroupCommitter: lease log sync took/ { n++; if ($8 + 0 > m) m = $8 + 0 }
            $1 >= a && $1 <= b && /GroupCommitter: lease log housekeeping took/ { h++; if ($8 + 0 > hm) hm = $8 + 0 }
            END { printf "%d %s %d %s\n", n, (n ? m : "-"), h, (h ? hm : "-") }' "$TMP/vnetd.err")
        echo "   meanwhile, lease-log syncs over 5 ms: $BIND_SLOW_SYNCS (slowest $BIND_SLOWEST_SYNC ms)," \
            "housekeeping over 5 ms: $BIND_SLOW_HOUSE (slowest $BIND_SLOWEST_HOUSE ms)" >&2
    fi
    # zero-drop maximum: the coarse ladder up to its first failing step, then bisection between the last
    # passing and the first failing rate until they are within RESOLUTION % (at most MAX_BISECT probes)
    local lo=0 hi= best=0 bestrate=0 bestlat=n/a r n
    for r in $RATES; do
        if probe "$r"; then
            lo=$r; best=$PASS_GOT; bestrate=$r; bestlat=$PASS_LAT
        else
            hi=$r
            break
        fi
    done
    if [ -n "$hi" ] && [ "$lo" -eq 0 ]; then
        # even the ladder's first rate failed: halve it (at most 3 probes) to find a passing floor
        r=$hi
        for n in 1 2 3; do
            r=$(( r / 2 ))
            [ "$r" -ge 10 ] || break
            if probe "$r"; then
                lo=$r; best=$PASS_GOT; bestrate=$r; bestlat=$PASS_LAT
                break
            fi
            hi=$r
        done
    fi
    if [ -n "$hi" ] && [ "$lo" -gt 0 ]; then
        for n in $(seq "$MAX_BISECT"); do
            awk -v l="$lo" -v h="$hi" -v p="$RESOLUTION" 'BEGIN{exit !((h - l) > l * p / 100)}' || break
            r=$(( (lo + hi) / 2 ))
            if probe "$r"; then
                lo=$r; best=$PASS_GOT; bestrate=$r; bestlat=$PASS_LAT
            else
                hi=$r
            fi
        done
    fi
    BEST[$name]=$best
    BEST_RATE[$name]=$bestrate
    BEST_LAT[$name]=$bestlat
    echo "   zero-drop: offered $bestrate/s passed, achieved $best DORA/s (first failing offered rate: ${hi:-none}), ${PROBES[$name]} probes" >&2
    nextmac; read -r got drops sent ado ara _ _ acked < <(perf "$STRESS_RATE" "$STEP" 1000000 "$MAC")
    STRESS_RATE_OUT[$name]=$got
    # share of DISCOVERs that never ended in an ACK
    STRESS_DROP[$name]=$(awk -v a="$acked" -v s="$sent" 'BEGIN{ if (s==0) print "100.0"; else printf "%.1f", 100*(s-a)/s }')
    stop_server
    if [ "$name" = vnetd ]; then
        # printed by DhcpBenchServer's shutdown hook: group-commit batching and fdatasync times
        VNETD_SYNC=$(grep -h 'vnetd dhcp lease log' "$TMP/vnetd.err" || true)
    fi
}

# the disk's floor under a durable ACK: one lease-record-sized write + fdatasync at a time into a
# preallocated file beside vnetd's lease log, as the log does for a lone new client. A new client's bind
# time cannot be shorter than its sync: a sync over 10 ms here is one over 10 ms in the bind phase too.
disk_floor() {
    sync
    read -r FLOOR_N FLOOR_P50 FLOOR_P99 FLOOR_MAX FLOOR_SLOW < <("$JAVA_HOME/bin/java" -XX:+UseSerialGC -cp "$VNETD_CP" \
        org.vnetd.daemon.dhcp.DiskSyncFloor "$TMP/floor" "$FLOOR_SYNCS" "$FLOOR_RATE") \
        || { echo "disk floor probe failed" >&2; FLOOR_N=; return 0; }
    echo "== disk: $FLOOR_N fdatasyncs of a lease record, p50 $FLOOR_P50 p99 $FLOOR_P99 max $FLOOR_MAX ms, $FLOOR_SLOW over 10 ms" >&2
}

START=$(date +%s)
LOAD0=$(cut -d' ' -f1-3 /proc/loadavg)
setup_topology
case " $SERVERS " in *" vnetd "*) build_vnetd; disk_floor ;; esac
for s in $SERVERS; do bench_one "$s"; done

printf '\nDHCPv4 DORA benchmark (perfdhcp %s, %s s steps, resolution %s %%, cores: %s, load before: %s, after: %s, %d s)\n' \
    "$(perfdhcp -v 2>&1 | head -1)" "$STEP" "$RESOLUTION" "$(nproc)" "$LOAD0" "$(cut -d' ' -f1-3 /proc/loadavg)" $(( $(date +%s) - START ))
printf '%-8s | %14s | %10s | %22s | %28s\n' server "DORA/s 0-drop" "latency ms" "@${STRESS_RATE}/s: DORA/s lost%" \
    "new clients: avg/p99/max ms"
printf -- '---------+----------------+------------+------------------------+-----------------------------\n'
for s in $SERVERS; do
    printf '%-8s | %14s | %10s | %14s %6s%% | %8s %8s %8s%s\n' "$s" "${BEST[$s]}" "${BEST_LAT[$s]}" \
        "${STRESS_RATE_OUT[$s]}" "${STRESS_DROP[$s]}" "${BIND_AVG[$s]}" "${BIND_P99[$s]}" "${BIND_MAX[$s]}" \
        "$([ "${BIND_N[$s]}" = "$BIND_CLIENTS" ] || echo " (${BIND_N[$s]}/$BIND_CLIENTS bound)")"
done
if [ -n "${BEST[vnetd]:-}" ]; then
    for s in $SERVERS; do
        [ "$s" = vnetd ] && continue
        awk -v v="${BEST[vnetd]}" -v o="${BEST[$s]}" -v n="$s" \
            'BEGIN{ if (o+0 > 0) printf "vnetd / %-8s = %.2fx (zero-drop DORA/s)\n", n, v/o; else printf "vnetd / %-8s = n/a (%s had no zero-drop step)\n", n, n }'
    done
fi
for s in $SERVERS; do
    printf '%-8s   new clients, slowest: %s ms (DISCOVER->OFFER + perfdhcp + REQUEST->ACK); failed probes: %s drops, %s datagrams dropped at perfdhcp'"'"'s full receive buffer, %s at the server'"'"'s\n' \
        "$s" "${BIND_SPLIT[$s]}" "${FAIL_DROPS[$s]}" "${FAIL_CLI[$s]}" "${FAIL_SRV[$s]}"
done
[ -n "${VNETD_SYNC:-}" ] && echo "$VNETD_SYNC"
[ -n "${BIND_SLOW_SYNCS:-}" ] && echo "vnetd    new clients' phase: $BIND_SLOW_SYNCS lease-log syncs over 5 ms (slowest: $BIND_SLOWEST_SYNC ms), housekeeping over 5 ms: $BIND_SLOW_HOUSE (slowest: $BIND_SLOWEST_HOUSE ms)"
[ -n "${FLOOR_N:-}" ] && printf 'disk     fdatasync of one lease record into a preallocated file, %s at %s/s (the floor of a durable ACK): p50 %s p99 %s max %s ms, %s over 10 ms\n' \
    "$FLOOR_N" "$FLOOR_RATE" "$FLOOR_P50" "$FLOOR_P99" "$FLOOR_MAX" "$FLOOR_SLOW"
echo "(DORA/s 0-drop: achieved rate of the highest offered rate with no drop; latency = DISCOVER->OFFER + REQUEST->ACK"
echo " averages at that rate; new clients: $BIND_CLIENTS clients at $BIND_RATE/s, DISCOVER sent -> ACK received;"
echo " vnetd fdatasyncs every lease before its ACK, group-committed)"
