#!/bin/sh
# bench/ovn: net-start -> a guest's first DHCP lease for the same NAT network definition on a local bridge and
# on OVN (OVN's DHCP, a central namespace and one hypervisor with the userspace datapath), side by side, with the
# ratio. Opt-in (about a minute, OVN's packages needed: scripts/setup installs them). Run as root from the
# repository root:  bench/ovn/run.sh      (ROUNDS=5 by default)
set -eu
ROUNDS=${ROUNDS:-5}
TMP=$(mktemp -d /tmp/vnetd-bench-ovn.XXXXXX)
trap 'rm -rf "$TMP"' EXIT INT TERM
export JAVA_HOME=${JAVA_HOME:-/usr/lib/jvm/temurin-25-jdk-amd64}
export MAVEN_OPTS="${MAVEN_OPTS:---sun-misc-unsafe-memory-access=allow}"
mvn -o -q -B -pl vnetd-daemon -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$TMP/cp.txt" -Dmdep.includeScope=test >"$TMP/build.log" 2>&1 || { cat "$TMP/build.log"; exit 1; }
CP="$PWD/vnetd-daemon/target/test-classes:$PWD/vnetd-daemon/target/classes:$(cat "$TMP/cp.txt")"
# the bench makes and deletes its own vnt-* namespaces (TestNetns), also when it fails
"$JAVA_HOME/bin/java" --enable-native-access=ALL-UNNAMED --sun-misc-unsafe-memory-access=allow -cp "$CP" \
    org.vnetd.daemon.ovn.OvnLeaseBench "$ROUNDS"
