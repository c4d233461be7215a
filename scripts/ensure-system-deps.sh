#!/usr/bin/env bash
# Installs what a fresh Debian machine lacks for the test suite: Chromium (browser tests),
# ffmpeg (media checks), iproute2 (a shaped network namespace) and, when the SFU's native send
# step is not built yet, its compiler.
# Uses Debian's packages only; nothing is downloaded at npm install time.
set -euo pipefail
cd "$(dirname "$0")/.."
addon=packages/sfu/native/build/Release/podium_udp.node
need=()
command -v chromium >/dev/null 2>&1 || need+=(chromium)
command -v ffmpeg >/dev/null 2>&1 || need+=(ffmpeg)
# ip and tc: the throttled-attendee browser test shapes a network namespace's link.
{ command -v ip >/dev/null 2>&1 && command -v tc >/dev/null 2>&1; } || need+=(iproute2)
# The SFU's native send step (built by npm install when a compiler is there) is tested too.
if [ ! -f "$addon" ]; then
  command -v g++ >/dev/null 2>&1 || need+=(g++)
  command -v make >/dev/null 2>&1 || need+=(make)
  command -v python3 >/dev/null 2>&1 || need+=(python3)
fi
build_addon() {
  [ -f "$addon" ] || node scripts/build-native.mjs
  [ -f "$addon" ] || { echo "The SFU's native send step did not build (see above)." >&2; exit 1; }
}
[ ${#need[@]} -eq 0 ] && { build_addon; exit 0; }
if [ "$(id -u)" -ne 0 ]; then
  echo "Missing: ${need[*]}. Install them with: sudo apt-get install -y ${need[*]}" >&2
  exit 1
fi
echo "Installing ${need[*]} from Debian's packages…"
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq
apt-get install -y -qq --no-install-recommends "${need[@]}" fonts-dejavu-core >/dev/null
build_addon
