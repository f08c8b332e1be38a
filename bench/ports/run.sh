#!/bin/sh
# bench/ports: N port.create + port.delete through vnetd's RPC vs `ip tuntap add` + `ip link set master`
# per port, side by side on one bridge in a namespace this script creates and deletes (vnetd timed until
# the last deleted tap has left the kernel: it removes taps in the background). Run as root from
# the repository root:  bench/ports/run.sh      (N=1000 CONC=8 by default)
set -eu
N=${N:-1000}
CONC=${CONC:-8}
NS=vnt-bport-$$
TMP=$(mktemp -d /tmp/vnetd-bench-ports.XXXXXX)
# vnetd's run dir is /run/vnetd, a tmpfs on systemd hosts (RuntimeDirectory=); the port files live there
RUN="$TMP/run"
if [ "$(stat -f -c %T /dev/shm 2>/dev/null)" = tmpfs ]; then
    RUN=$(mktemp -d /dev/shm/vnetd-bench-run.XXXXXX)
fi
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
JAVA="$JAVA_HOME/bin/java"

cleanup() {
    [ -n "${DPID:-}" ] && kill "$DPID" 2>/dev/null && wait "$DPID" 2>/dev/null || true
    ip netns del "$NS" 2>/dev/null || true
    [ "$RUN" != "$TMP/run" ] && rm -rf "$RUN"
    [ "${KEEP_LOGS:-0}" = 1 ] && echo "logs in $TMP" || rm -rf "$TMP"
}
trap cleanup EXIT INT TERM

mvn -o -q -B -pl vnetd-daemon -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp.txt" -Dmdep.includeScope=test >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
CP="$PWD/vnetd-daemon/target/test-classes:$PWD/vnetd-daemon/target/classes:$(cat "$TMP/cp.txt")"
JOPTS="--enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow"
# the daemon runs with the JVM options of its launcher (vnetd-daemon/src/dist/bin/vnetd), as installed;
# the bench client with the same lean collector, so its own pauses stay out of the latencies it measures
. "$PWD/scripts/lib/java.sh"
VMOPTS="$VNETD_DAEMON_JVM_OPTS ${XOPTS:-}"

ip netns add "$NS"
ip -n "$NS" link set lo up
ip netns exec "$NS" "$JAVA" $JOPTS $VMOPTS -cp "$CP" org.vnetd.daemon.Main --no-default-network \
    --config-dir "$TMP/etc" --state-dir "$TMP/var" --run-dir "$RUN" --log-level WARN >"$TMP/vnetd.log" 2>&1 &
DPID=$!
i=0
until [ -S "$RUN/vnetd.sock" ] && "$JAVA" $JOPTS -cp "$CP" org.vnetd.daemon.Main --run-dir "$RUN" --call daemon.version >/dev/null 2>&1; do
    i=$((i + 1)); [ $i -gt 600 ] && { echo "vnetd did not start"; cat "$TMP/vnetd.log"; exit 1; }
    sleep 0.2
done
# one NAT network for vnetd's ports; the exec side plugs its taps into the same bridge
"$JAVA" $JOPTS -cp "$CP" org.vnetd.daemon.Main --run-dir "$RUN" --call network.create \
    "{\"xml\":\"<network><name>bench</name><forward mode='nat'/><bridge name='vbr-bench' stp='off'/><ip address='10.93.0.1' prefix='16'/></network>\"}" >/dev/null
ip netns exec "$NS" "$JAVA" $JOPTS $VMOPTS -cp "$CP" org.vnetd.daemon.port.PortBench "$RUN/vnetd.sock" bench vbr-bench "$N" "$CONC"
