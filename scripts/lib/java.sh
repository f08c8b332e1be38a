# Finds a JDK >= 25 and sets VNETD_JAVA_HOME. Sourced by scripts/* and by the dist/bin launchers.
# Order: $JAVA_HOME, then every JDK under /usr/lib/jvm (newest first), then `java` on PATH.
# The daemon's JVM options (the launcher dist/bin/vnetd uses them; bench/dhcp and bench/ports run
# the daemon with them, so the benches measure what is installed). Why these:
# - the serial collector with a 4 MB young generation: the live set is small, and a young pause grows
#   faster than the young generation does. Replies held up by a pause leave together and overflow the
#   clients' receive buffers, so pauses decide the DHCP server's drop-free rate. In the DHCP bench,
#   -Xmn24m paused 10-50 ms (p50 ~12), -Xmn4m 1-7 ms (p50 0.9-3.4), for the same CPU.
# - 128-byte cards and no tenuring: the DHCP server's lease maps are large arrays in the old generation,
#   each new lease dirties a card of them at random, and scanning those cards was half of a young pause
#   (perf); smaller cards scan less per lease. Leases live for hours, so copying them between survivor
#   spaces first only doubled the copying. At 5500-6000 DORA/s in alternating runs: young pauses p50
#   2.0-2.2 ms (3.3-3.8 without), >10 ms 2-4 times (16-23), GC time 614-874 ms (984-1290).
VNETD_DAEMON_JVM_OPTS="-XX:+UseSerialGC -Xmn4m -XX:GCCardSizeInBytes=128 -XX:MaxTenuringThreshold=0"

vnetd_java_major() { # prints the feature version of the java binary $1, or nothing
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}
vnetd_find_java() {
  local want=25 cand major
  for cand in ${JAVA_HOME:+"$JAVA_HOME"} $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
              $(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")"); do
    cand=${cand%/}
    [ -x "$cand/bin/java" ] || continue
    major=$(vnetd_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      VNETD_JAVA_HOME=$cand
      export VNETD_JAVA_HOME
      return 0
    fi
  done
  cat >&2 <<MSG
vnetd needs a JDK ${want} or newer, and none was found in \$JAVA_HOME${JAVA_HOME:+ ($JAVA_HOME)}, under /usr/lib/jvm, or on PATH.
Install one, for example Eclipse Temurin 25 (package temurin-25-jdk from the Adoptium apt repository),
or point JAVA_HOME at an unpacked JDK 25.
MSG
  return 1
}
