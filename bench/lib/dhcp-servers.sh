# The DHCP benchmarks' family-independent parts, sourced by bench/dhcp/servers.sh (DHCPv4) and
# bench/dhcp6/run.sh (DHCPv6): how a server under test is launched in the server namespace, waited for
# and stopped, the vnetd build, and the cleanup. The caller sets ROOT, SRV and CLI (namespace names), TMP
# (a scratch directory), SERVER_PID= and, for vnetd, JAVA_HOME and VNETD_DAEMON_JVM_OPTS
# (scripts/lib/java.sh); it defines its own topology and start_<server> functions on top of these.

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

# vnetd-daemon's test classes and their classpath (the bench servers are test classes) -> VNETD_CP
build_vnetd() {
    (cd "$ROOT" && JAVA_HOME=$JAVA_HOME MAVEN_OPTS=--sun-misc-unsafe-memory-access=allow \
        mvn -o -q -B -pl vnetd-daemon -am test-compile dependency:build-classpath \
        -Dmdep.outputFile="$TMP/cp.txt" -Dmdep.includeScope=test >"$TMP/build.log" 2>&1) \
        || { cat "$TMP/build.log" >&2; exit 1; }
    VNETD_CP="$ROOT/vnetd-daemon/target/test-classes:$ROOT/vnetd-daemon/target/classes:$(cat "$TMP/cp.txt")"
}

# wait_udp_port PORT: until the server listens on UDP PORT in $SRV (or has died)
wait_udp_port() {
    for _ in $(seq 150); do
        ip netns exec "$SRV" ss -ulnH 2>/dev/null | grep -q ":$1 " && return 0
        kill -0 "$SERVER_PID" 2>/dev/null || { echo "server died" >&2; return 1; }
        sleep 0.1
    done
    echo "server did not open port $1" >&2
    return 1
}

# launch_vnetd MAIN_CLASS ARGS...: a bench server class of vnetd in $SRV, with the daemon's JVM options
# (VNETD_JAVA_OPTS replaces them) and the benches' logging; output in $TMP/vnetd.out and .err
launch_vnetd() {
    mkdir -p "$TMP/vnetd"
    ip netns exec "$SRV" "$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow \
        ${VNETD_JAVA_OPTS:--Xms256m $VNETD_DAEMON_JVM_OPTS} -Dlogback.configurationFile="$ROOT/bench/dhcp/logback-bench.xml" \
        -cp "$VNETD_CP" "$@" >"$TMP/vnetd.out" 2>"$TMP/vnetd.err" &
    SERVER_PID=$!
}

# launch_dnsmasq ARGS...: dnsmasq in $SRV on vbr0 as libvirt runs it for a network (authoritative, a lease
# file), without DNS (port=0); ARGS add the family's dhcp-range and the like
launch_dnsmasq() {
    ip netns exec "$SRV" dnsmasq --keep-in-foreground --conf-file=/dev/null --port=0 --user=root --group=root \
        --interface=vbr0 --bind-interfaces --except-interface=lo --dhcp-authoritative --dhcp-no-override \
        --dhcp-lease-max=1000000 --dhcp-leasefile="$TMP/dnsmasq.leases" --pid-file="$TMP/dnsmasq.pid" \
        --log-facility="$TMP/dnsmasq.log" "$@" >"$TMP/dnsmasq.out" 2>&1 &
    SERVER_PID=$!
}

# launch_kea BINARY: kea-dhcp4 or kea-dhcp6 in $SRV with the configuration the caller wrote to
# $TMP/kea/BINARY.conf (its pid and lock files in $TMP/kea)
launch_kea() {
    KEA_PIDFILE_DIR="$TMP/kea" KEA_LOCKFILE_DIR="$TMP/kea" \
        ip netns exec "$SRV" "$1" -c "$TMP/kea/$1.conf" >"$TMP/kea.out" 2>&1 &
    SERVER_PID=$!
}
