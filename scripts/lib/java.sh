# Finds a JDK >= 25 and sets VNETD_JAVA_HOME. Sourced by scripts/* and by the dist/bin launchers.
# Order: $JAVA_HOME, then a runtime bundled next to this file's lib/ (the Debian package's jlink image in
# /usr/lib/vnetd/runtime), then every JDK under /usr/lib/jvm (newest first), then `java` on PATH.
# The daemon's JVM options (the launcher dist/bin/vnetd uses them; bench/dhcp and bench/ports run
# the daemon with them, so the benches measure what is installed). Why these:
# - the serial collector with a 4 MB young generation: the live set is small, and a young pause grows
#   faster than the young generation does. Replies held up by a pause leave together and overflow the
#   clients' receive buffers, so pauses decide the DHCP server's drop-free rate. In the DHCP bench,
#   -Xmn24m paused 10-50 ms (p50 ~12), -Xmn4m 1-7 ms (p50 0.9-3.4), for the same CPU.
# - not adopted: 128-byte cards and no tenuring (-XX:GCCardSizeInBytes=128 -XX:MaxTenuringThreshold=0).
#   The DHCP server's lease maps were large arrays in the old generation, each new lease dirtied a card of
#   them at random, and scanning those cards was half of a young pause (perf). (The leases are now in a
#   LeaseTable whose indexes hold ints, filled in order: young pauses p50 ~1.2 ms at 8000 new leases/s.) With both options, at
#   5500-6000 DORA/s in alternating runs: young pauses p50 2.0-2.2 ms (3.3-3.8 without), >10 ms 2-4 times
#   (16-23). But everything alive at a young collection is then promoted: net-start took ~13 % longer
#   (bench/daemon medians 19.5-23.6 ms against 18.0-18.9) and RSS with 100 networks grew by ~10 MiB, and the
#   DHCP bench's zero-drop rate did not move beyond its run-to-run spread. A DHCP-heavy host can add them
#   through VNETD_JAVA_OPTS.
# - no hsperfdata file (-XX:-UsePerfData): it is a page-cache file under /tmp that the JVM keeps
#   writing, so the kernel's writeback keeps sending it to the disk the lease log fdatasyncs on.
VNETD_DAEMON_JVM_OPTS="-XX:+UseSerialGC -Xmn4m -XX:-UsePerfData"
# Not adopted (issue 20, bench/cold/README.md): JIT thresholds 10x higher (-XX:CompileThresholdScaling=10). The
# start compiles ~2600 methods, most of them run only while starting, and the compiler threads take ~60 % of its
# CPU; 10x thresholds cut that CPU to a quarter, but code that runs a few hundred to a few thousand times stayed
# interpreted: bench/ports fell from 125 to 64 ports/s and net-define took ~50 % longer.
# Memory (bench/memory/README.md has the measurements behind each):
# - a heap that starts small and may shrink back (-Xms8m -XX:-ShrinkHeapInSteps): the serial collector
#   never shrinks the old generation below its initial size, which is 1/64 of the host's RAM by default, and
#   every old-generation page that promoted garbage touches stays resident; the daemon's idle heap trim
#   (IdleHeapTrim) shrinks the heap to its live data once quiet, in one step (not ShrinkHeapInSteps' 0 %,
#   10 %, ... of successive collections).
# - a heap cap (-Xmx256m; direct memory, netty's buffers, gets the same cap by default): a runaway (a leak, a
#   limit missed) stops at an OutOfMemoryError instead of taking the host's RAM. It holds the daemon's own
#   live heap (8-12 MiB) plus about a million DHCP leases (167 bytes each), and the direct cap is above the
#   sum of the RPC listeners' buffered-request budgets (152 MiB with libvirt's protocol on). At rest the cap
#   costs nothing: only what is used is committed.
# - no full collection at start-up for the metaspace's first threshold (-XX:MetaspaceSize=48m): the daemon
#   loads more classes than the default 21 MB threshold holds.
# - the native heap trimmed every 10 s (-XX:TrimNativeHeapInterval=10000): the JIT's compiler arenas and
#   freed buffers otherwise stay in glibc's per-thread arenas.
# - no netty Flight Recorder events (-Dio.netty.jfr.enabled=false): registering them loads JFR and builds its
#   metadata at start, for events nobody records.
VNETD_DAEMON_JVM_OPTS="$VNETD_DAEMON_JVM_OPTS -Xms8m -Xmx256m -XX:-ShrinkHeapInSteps -XX:MetaspaceSize=48m -XX:TrimNativeHeapInterval=10000"
VNETD_DAEMON_JVM_OPTS="$VNETD_DAEMON_JVM_OPTS -Dio.netty.jfr.enabled=false"

vnetd_java_major() { # prints the feature version of the java binary $1, or nothing
  # the runtime's `release` file (every JDK and jlink image has one) says it without starting a JVM, which
  # would cost the daemon's every start about as much as the JVM's own start
  local line release
  release=${1%/bin/java}/release
  if [ -r "$release" ]; then
    while IFS= read -r line; do
      case $line in
        JAVA_VERSION=*) line=${line#JAVA_VERSION=}; line=${line//\"/}; line=${line%%[!0-9]*}
                        [ -n "$line" ] && { echo "$line"; return; } ;;
      esac
    done <"$release"
  fi
  "$1" -XshowSettings:properties -version 2>&1 | sed -n 's/^ *java.specification.version = \([0-9]*\).*/\1/p' | head -n1
}
vnetd_find_java_in() { # WANT CANDIDATE...: sets VNETD_JAVA_HOME to the first candidate with a java >= WANT
  local want=$1 cand major
  shift
  for cand in "$@"; do
    cand=${cand%/}
    [ -x "$cand/bin/java" ] || continue
    major=$(vnetd_java_major "$cand/bin/java")
    if [ -n "$major" ] && [ "$major" -ge "$want" ]; then
      VNETD_JAVA_HOME=$cand
      export VNETD_JAVA_HOME
      return 0
    fi
  done
  return 1
}
vnetd_find_java() {
  local want=25 cand
  local bundled
  bundled=$(dirname "$(readlink -f "${BASH_SOURCE[0]}")")/../runtime
  # the later candidates are listed only when the earlier ones fail: each listing costs a few processes
  for cand in ${JAVA_HOME:+"$JAVA_HOME"} "$bundled" --more; do
    if [ "$cand" = --more ]; then
      vnetd_find_java_in $want $(ls -d /usr/lib/jvm/*/ 2>/dev/null | sort -rV) \
        $(command -v java >/dev/null 2>&1 && dirname "$(dirname "$(readlink -f "$(command -v java)")")") && return 0
      break
    fi
    vnetd_find_java_in $want "$cand" && return 0
  done
  cat >&2 <<MSG
vnetd needs a JDK ${want} or newer, and none was found in \$JAVA_HOME${JAVA_HOME:+ ($JAVA_HOME)}, under /usr/lib/jvm, or on PATH.
Install one, for example Eclipse Temurin 25 (package temurin-25-jdk from the Adoptium apt repository),
or point JAVA_HOME at an unpacked JDK 25.
MSG
  return 1
}
