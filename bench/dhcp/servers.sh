# The DHCP benchmarks' shared parts, sourced by run.sh and first-client.sh: the namespace topology and
# how each server under test starts and stops. The caller sets SRV and CLI (namespace names), TMP (a
# scratch directory), SERVER_PID= and, for vnetd, JAVA_HOME and VNETD_DAEMON_JVM_OPTS (scripts/lib/java.sh).
#
# Topology (all inside namespaces the caller creates through setup_topology and deletes through cleanup):
#   $SRV: bridge vbr0 10.96.0.1/12, the server under test
#   $CLI: veth vc0 10.96.0.2/12 on that bridge, the client (a relay: giaddr 10.96.0.2)

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
        ${VNETD_JAVA_OPTS:--Xms256m $VNETD_DAEMON_JVM_OPTS} -Dlogback.configurationFile="$ROOT/bench/dhcp/logback-bench.xml" \
        -cp "$VNETD_CP" org.vnetd.daemon.dhcp.DhcpBenchServer \
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
