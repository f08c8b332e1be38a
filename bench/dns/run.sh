#!/usr/bin/env bash
# DNS benchmark: vnetd's embedded DNS vs dnsmasq configured the way libvirt configures it,
# side by side in one run, with dnsperf. Needs root (network namespaces), dnsperf, dnsmasq, Java 25, Maven.
#
#   sudo bench/dns/run.sh [SECONDS_PER_RUN (default 10)] [CLIENTS (default 10)] [ROUNDS (default 3)]
#
# Topology (all in namespaces this script creates and always deletes, named vnt-dnsb*):
#   vnt-dnsbh  "host": br0 10.66.0.1 (vnetd), br1 10.67.0.1 (dnsmasq), vup 10.68.0.1
#   vnt-dnsbc  client: eth0 10.66.0.10 on br0, eth1 10.67.0.10 on br1; dnsperf runs here
#   vnt-dnsbu  upstream resolver (dnsmasq with fixed answers, TTL 3600) at 10.68.0.2
# Workloads: "local" = 100 <dns><host> names in the network's domain; "forwarded" = 100 names
# answered upstream and, after a warm-up pass, from each server's cache.
set -euo pipefail
SECS=${1:-10}
CLIENTS=${2:-10}
ROUNDS=${3:-3}
HERE=$(cd "$(dirname "$0")" && pwd)
ROOT=$(cd "$HERE/../.." && pwd)
JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export JAVA_HOME MAVEN_OPTS=${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}
WORK=$(mktemp -d /tmp/vnetd-dnsbench.XXXXXX)
chmod 755 "$WORK"  # dnsmasq drops root and must still read its hosts file
H=vnt-dnsbh C=vnt-dnsbc U=vnt-dnsbu
PIDS=()

cleanup() {
  set +e
  for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null; done
  sleep 0.3
  for ns in $H $C $U; do
    for p in $(ip netns pids $ns 2>/dev/null); do kill -9 "$p" 2>/dev/null; done
    ip netns del $ns 2>/dev/null
  done
  [ -n "${KEEP:-}" ] && cat "$WORK"/*.log; rm -rf "$WORK"
}
trap cleanup EXIT

for t in dnsperf dnsmasq ip; do command -v $t >/dev/null || { echo "missing $t (apt-get install -y $t)"; exit 2; }; done

echo "== building (offline)"
# one reactor run, so vnetd-core resolves to its target/classes (nothing is installed in ~/.m2)
(cd "$ROOT" && mvn -o -q -B -pl vnetd-daemon -am compile dependency:build-classpath \
  -Dmdep.outputFile="$WORK/cp.txt" -Dmdep.includeScope=runtime)
CP="$ROOT/vnetd-core/target/classes:$ROOT/vnetd-daemon/target/classes:$(cat "$WORK/cp.txt")"

echo "== namespaces"
for ns in $H $C $U; do ip netns add $ns; ip -n $ns link set lo up; done
ip -n $H link add br0 type bridge; ip -n $H addr add 10.66.0.1/24 dev br0; ip -n $H link set br0 up
ip -n $H link add br1 type bridge; ip -n $H addr add 10.67.0.1/24 dev br1; ip -n $H link set br1 up
ip -n $H link add vc0 type veth peer name eth0 netns $C
ip -n $H link add vc1 type veth peer name eth1 netns $C
ip -n $H link set vc0 master br0 up; ip -n $H link set vc1 master br1 up
ip -n $C addr add 10.66.0.10/24 dev eth0; ip -n $C addr add 10.67.0.10/24 dev eth1
ip -n $C link set eth0 up; ip -n $C link set eth1 up
ip -n $H link add vup type veth peer name eth0 netns $U
ip -n $H addr add 10.68.0.1/24 dev vup; ip -n $H link set vup up
ip -n $U addr add 10.68.0.2/24 dev eth0; ip -n $U link set eth0 up

echo "== upstream resolver"
ip netns exec $U dnsmasq --no-daemon --conf-file=/dev/null --no-resolv --no-hosts --pid-file= \
  --bind-interfaces --listen-address=10.68.0.2 --local-ttl=3600 --address=/up.example/10.9.9.9 \
  >"$WORK/upstream.log" 2>&1 &
PIDS+=($!)
echo "nameserver 10.68.0.2" >"$WORK/resolv.conf"

# the same 100 names for both servers: vnetd gets them as <dns><host>, dnsmasq as libvirt's addn-hosts file
DOMAIN=bench.test
: >"$WORK/addnhosts"; : >"$WORK/local.txt"; : >"$WORK/fwd.txt"
for i in $(seq 0 99); do
  echo "10.99.$((i / 250)).$((i % 250 + 1)) host$i" >>"$WORK/addnhosts"
  echo "host$i.$DOMAIN A" >>"$WORK/local.txt"
  echo "name$i.up.example A" >>"$WORK/fwd.txt"
done

# what libvirt's networkDnsmasqConfContents writes for <domain name='bench.test' localOnly='yes'/>
cat >"$WORK/dnsmasq.conf" <<CONF
strict-order
local=/$DOMAIN/
domain=$DOMAIN
expand-hosts
except-interface=lo
bind-dynamic
interface=br1
addn-hosts=$WORK/addnhosts
resolv-file=$WORK/resolv.conf
pid-file=
CONF

echo "== servers"
ip netns exec $H dnsmasq --keep-in-foreground --log-facility=- --conf-file="$WORK/dnsmasq.conf" >"$WORK/dnsmasq.log" 2>&1 &
PIDS+=($!)
mkfifo "$WORK/vnetd.in"
ip netns exec $H "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
  -Xmx256m ${JAVA_OPTS:-} -cp "$CP" "$HERE/BenchDnsServer.java" 10.66.0.1 $DOMAIN 100 "$WORK/resolv.conf" br0 \
  <"$WORK/vnetd.in" >"$WORK/vnetd.log" 2>&1 &
VNETD_PID=$!
PIDS+=($VNETD_PID)
exec 9>"$WORK/vnetd.in"
for i in $(seq 1 150); do grep -q READY "$WORK/vnetd.log" 2>/dev/null && break; sleep 0.2; done
grep -q READY "$WORK/vnetd.log" || { echo "vnetd DNS did not start:"; cat "$WORK/vnetd.log"; exit 1; }
for s in 10.66.0.1 10.67.0.1; do
  for i in $(seq 1 50); do
    ip netns exec $C dig @$s +short +time=1 +tries=1 host1.$DOMAIN | grep -q 10.99 && break; sleep 0.2
  done
  ip netns exec $C dig @$s +short +time=2 +tries=1 host1.$DOMAIN | grep -q 10.99 || { echo "server $s not answering"; exit 1; }
done

perf() { # server datafile seconds -> "qps avg_latency_ms lost"
  ip netns exec $C dnsperf -s "$1" -d "$2" -l "$3" -c "$CLIENTS" -q 200 -t 2 2>&1 | awk '
    /Queries lost:/ {lost=$3}
    /Queries per second:/ {qps=$4}
    /Average Latency/ {lat=$4*1000}
    END {printf "%.0f %.3f %s\n", qps, lat, lost}'
}

echo "== warm-up (JIT, caches)"
for s in 10.66.0.1 10.67.0.1; do perf $s "$WORK/local.txt" 3 >/dev/null; perf $s "$WORK/fwd.txt" 3 >/dev/null; done

echo "== measuring: $SECS s per run, $CLIENTS clients, $ROUNDS rounds, servers interleaved"
printf "%-6s %-10s %-8s %12s %16s %8s\n" round workload server "queries/s" "avg latency ms" lost
declare -A QPS LAT
for r in $(seq 1 "$ROUNDS"); do
  for w in local fwd; do
    for s in vnetd dnsmasq; do
      addr=10.66.0.1; [ $s = dnsmasq ] && addr=10.67.0.1
      read -r q l lost < <(perf $addr "$WORK/$w.txt" "$SECS")
      QPS[$w.$s]="${QPS[$w.$s]:-} $q"; LAT[$w.$s]="${LAT[$w.$s]:-} $l"
      printf "%-6s %-10s %-8s %12s %16s %8s\n" "$r" $w $s "$q" "$l" "$lost"
    done
  done
done
median() { tr ' ' '\n' | grep -v '^$' | sort -g | awk '{a[NR]=$1} END {print (NR % 2 ? a[(NR+1)/2] : (a[NR/2] + a[NR/2+1]) / 2)}'; }
echo
echo "== median of $ROUNDS rounds"
printf "%-10s %14s %14s %12s %12s %8s\n" workload "vnetd q/s" "dnsmasq q/s" "vnetd ms" "dnsmasq ms" ratio
for w in local fwd; do
  vq=$(echo "${QPS[$w.vnetd]}" | median); dq=$(echo "${QPS[$w.dnsmasq]}" | median)
  vl=$(echo "${LAT[$w.vnetd]}" | median); dl=$(echo "${LAT[$w.dnsmasq]}" | median)
  awk -v w=$w -v vq="$vq" -v dq="$dq" -v vl="$vl" -v dl="$dl" \
    'BEGIN {printf "%-10s %14.0f %14.0f %12.3f %12.3f %8.2f\n", w, vq, dq, vl, dl, (dq > 0 ? vq / dq : 0)}'
done
echo "(ratio = vnetd queries/s / dnsmasq queries/s; load average during the run: $(cut -d' ' -f1-3 /proc/loadavg))"
exec 9>&-
for i in $(seq 1 50); do kill -0 $VNETD_PID 2>/dev/null || break; sleep 0.2; done
grep DnsStats "$WORK/vnetd.log" || true
