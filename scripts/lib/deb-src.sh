# Sourced by the scripts that build a tool from Debian's source package (build-virtqemud,
# build-busybox-udhcpc6). A fresh Debian has only binary sources: ensure_deb_src adds the matching deb-src
# entries (same mirrors, suites and keys) once, so that `apt-get source` can fetch the package this machine
# runs. ensure_packages installs the Debian packages named that are missing.
ensure_deb_src() {
  if apt-get indextargets --format '$(IDENTIFIER)' 2>/dev/null | grep -qx 'Sources'; then return; fi
  local list=/etc/apt/sources.list.d/vnetd-deb-src.sources
  if [ -f /etc/apt/sources.list.d/debian.sources ]; then
    sed 's/^Types:.*/Types: deb-src/' /etc/apt/sources.list.d/debian.sources > "$list"
  elif [ -f /etc/apt/sources.list ]; then
    sed -n 's/^deb \(.*\)/deb-src \1/p' /etc/apt/sources.list > "${list%.sources}.list"
  fi
  echo "$(basename "$0"): added deb-src entries for apt-get source" >&2
  apt-get update -qq >&2
}

ensure_packages() {
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    echo "$(basename "$0"): installing ${missing[*]}" >&2
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >&2
  fi
}
