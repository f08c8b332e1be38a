# The DHCPv4 benchmarks' shared parts, sourced by run.sh and first-client.sh: the namespace topology and
# how each server under test starts (on bench/lib/dhcp-servers.sh, which DHCPv6's bench shares). The caller
# sets ROOT, SRV and CLI (namespace names), TMP (a scratch directory), SERVER_PID= and, for vnetd, JAVA_HOME
# and VNETD_DAEMON_JVM_OPTS (scripts/lib/java.sh).
#
# Topology (all inside namespaces the caller creates through setup_topology and deletes through cleanup):
#   $SRV: bridge vbr0 10.96.0.1/12, the server under test
#   $CLI: veth vc0 10.96.0.2/12 on that bridge, the client (a relay: giaddr 10.96.0.2)

. "$ROOT/bench/lib/dhcp-servers.sh" # stop_server, cleanup, build_vnetd, wait_udp_port, launch_*

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

wait_port67() {
    wait_udp_port 67
}

start_vnetd() {
    launch_vnetd org.vnetd.daemon.dhcp.DhcpBenchServer "$TMP/vnetd" vbr0 10.96.0.1/12 10.97.0.0 10.111.255.254
}

start_dnsmasq() {
    # as libvirt runs it for a network (dhcp-authoritative, a lease file), with no DNS (port=0), but
    # with --no-ping: libvirt's default ICMP check makes every new address wait ~3 s (about 0.3 DORA/s),
    # which would measure the ping, not the server. DNSMASQ_PING=1 keeps libvirt's behaviour.
    local ping=--no-ping
    [ -n "${DNSMASQ_PING:-}" ] && ping=
    launch_dnsmasq $ping --dhcp-range=10.97.0.0,10.111.255.254,255.240.0.0,1h
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
    launch_kea kea-dhcp4
}
