# Finds a JDK >= 25 and sets VNETD_JAVA_HOME. Sourced by scripts/* and by the dist/bin launchers.
# Order: $JAVA_HOME, then every JDK under /usr/lib/jvm (newest first), then `java` on PATH.
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
