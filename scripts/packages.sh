# scripts/packages.sh: sourced by setup.sh and fuzz.sh.
#
#   ensure_packages LABEL PACKAGE...
#
# Installs the Debian packages of the list that are missing (as root, or through sudo), saying
# which on stderr as "LABEL: installing ..."; does nothing when all are installed.
ensure_packages() {
  local label=$1; shift
  local missing=() p
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -gt 0 ] || return 0
  echo "$label: installing ${missing[*]}" >&2
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $sudo apt-get update -qq
  $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
}
