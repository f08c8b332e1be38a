#!/usr/bin/env bash
# The Debian package's CI check (run by scripts/test after the Maven build, as root): builds
# dist/deb/vnetd_*.deb with scripts/package-deb and checks its metadata (dpkg-deb -I), its contents
# (dpkg-deb -c), that the man pages name every option and command the programs' --help prints, that
# lintian reports no error and no tag packaging/README.md does not explain, and that the bundled runtime
# runs vnetctl and the daemon's training workload (vnetd-train: in a network namespace of its own).
# Installing it into Debian 12/13 chroots is packaging/test-install-chroot.sh (opt-in: it downloads).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
fail=0
bad() { echo "test-package: FAIL: $*" >&2; fail=1; }

deb=$(scripts/package-deb --no-build)
echo "test-package: built $deb"

# metadata
info=$(dpkg-deb -f "$deb" Package Architecture Depends Version)
grep -qx 'Package: vnetd' <<<"$info" || bad "Package is not vnetd"
grep -qx "Architecture: $(dpkg --print-architecture)" <<<"$info" || bad "Architecture is not $(dpkg --print-architecture)"
for dep in 'nftables | iptables' iproute2 python3; do
  grep -q "^Depends:.*$dep" <<<"$info" || bad "Depends lacks '$dep'"
done
[ "$(dpkg-deb --ctrl-tarfile "$deb" | tar -xOf - ./conffiles)" = /etc/vnetd/vnetd.conf ] || bad "conffiles is not /etc/vnetd/vnetd.conf"

# contents: what scripts/install puts on a host, plus man pages, completion and the runtime
contents=$(dpkg-deb -c "$deb" | awk '{print $6}' | sed 's:^\./:/:')
for f in /usr/bin/vnetd /usr/bin/vnetctl /usr/lib/vnetd/bin/vnetd /usr/lib/vnetd/bin/vnetctl /usr/lib/vnetd/bin/vnetd-train \
         /usr/lib/vnetd/lib/vnetd-daemon.jar /usr/lib/vnetd/lib/vnetd-cli.jar /usr/lib/vnetd/lib/vnetd-client.jar /usr/lib/vnetd/lib/vnetd-core.jar \
         /usr/lib/vnetd/lib/java.sh /usr/lib/vnetd/runtime/bin/java /usr/lib/vnetd/runtime/lib/server/libjvm.so \
         /etc/vnetd/vnetd.conf /usr/share/vnetd/default.xml /usr/lib/systemd/system/vnetd.service /usr/lib/tmpfiles.d/vnetd.conf \
         /usr/lib/systemd/system/vnetd.socket /usr/lib/systemd/system/vnetd-ro.socket \
         /usr/lib/systemd/system/vnetd-libvirt.socket /usr/lib/systemd/system/vnetd-libvirt-ro.socket \
         /usr/share/bash-completion/completions/vnetctl /usr/share/man/man8/vnetd.8.gz /usr/share/man/man1/vnetctl.1.gz \
         /usr/share/doc/vnetd/copyright /usr/share/doc/vnetd/changelog.gz; do
  grep -qx "$f" <<<"$contents" || bad "the package lacks $f"
done
# AOT caches are made on the target (tied to its paths): none may ship, or a stale one would be kept
if grep -q '\.aot$' <<<"$contents"; then bad "the package ships an AOT cache"; fi
for s in postinst prerm postrm; do sh -n "packaging/debian/$s" || bad "$s is not valid sh"; done

# the man pages keep up with --help: every option and command must appear in them
unroff() { sed -e 's/\\-/-/g' -e 's/\\f[BIRP]//g' "$1"; }
# (the pages are read once: `unroff | grep -q` under pipefail fails whenever grep quits before sed is done)
man8=$(unroff packaging/man/vnetd.8)
man1=$(unroff packaging/man/vnetctl.1)
for opt in $(dist/bin/vnetd --help | grep -oE -- '--[a-z-]+' | sort -u); do
  grep -q -- "$opt" <<<"$man8" || bad "vnetd.8 does not mention $opt (vnetd --help does)"
done
for opt in $(dist/bin/vnetctl --help | grep -oE -- '--[a-z-]+' | sort -u); do
  grep -q -- "$opt" <<<"$man1" || bad "vnetctl.1 does not mention $opt (vnetctl --help does)"
done
for cmd in $(dist/bin/vnetctl --help | awk '/^    [a-z]/ {print $1}'); do
  grep -qx "\.B $cmd" <<<"$man1" || bad "vnetctl.1 does not describe the command $cmd"
done

# lintian: no error, and every warning is one packaging/README.md explains
tags=$(lintian --no-tag-display-limit "$deb" 2>/dev/null | awk '{print $1, $3}' | sort -u)
echo "test-package: lintian: $(grep -c '^E:' <<<"$tags" || true) error tags, $(grep -c '^W:' <<<"$tags" || true) warning tags"
if grep '^E:' <<<"$tags"; then bad "lintian reports errors"; fi
while read -r level tag; do
  [ -n "$tag" ] || continue
  grep -q -- "\`$tag\`" packaging/README.md || bad "lintian $level $tag is not explained in packaging/README.md"
done <<<"$tags"

# the bundled runtime runs the programs (JAVA_HOME unset: the launchers must pick runtime/)
x=$(mktemp -d /tmp/vnetd-deb.XXXXXX)
trap 'rm -rf "$x"' EXIT
dpkg-deb -x "$deb" "$x"
v=$(env -u JAVA_HOME "$x/usr/lib/vnetd/bin/vnetctl" --version) || bad "the packaged vnetctl does not run"
echo "test-package: packaged vnetctl --version: $v"
env -u JAVA_HOME "$x/usr/lib/vnetd/bin/vnetd" --help >/dev/null || bad "the packaged vnetd does not run"
# the daemon's whole training workload on the stripped runtime (catches a module jdeps did not see)
if env -u JAVA_HOME "$x/usr/lib/vnetd/bin/vnetd-train" >/dev/null; then
  [ -s "$x/usr/lib/vnetd/lib/vnetd.aot" ] || bad "vnetd-train wrote no cache with the bundled runtime"
else
  bad "the daemon's training workload failed on the bundled runtime"
fi

[ $fail = 0 ] && echo "test-package: OK"
exit $fail
