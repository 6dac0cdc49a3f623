#!/bin/sh
# Debian's chromium for the browser tests (`make browser`, run by `make test`),
# and poppler-utils (pdftotext) with it: the report's print test reads the PDF.
#
# Installed with apt-get where it can be used (as root). apt-get waits up to
# APT_LOCK_TIMEOUT seconds (default 300) for another apt-get or dpkg to finish
# instead of failing at once; when the install fails all the same, the reason
# is printed. Without Chromium the browser tests are skipped, except in CI
# (CI=true) where the install could be tried: there a failure fails this
# script, and the tests fail rather than skip.
set -u

if { command -v chromium >/dev/null 2>&1 || command -v chromium-browser >/dev/null 2>&1; } \
    && command -v pdftotext >/dev/null 2>&1; then
    exit 0
fi
if [ "$(id -u)" != 0 ] || ! command -v apt-get >/dev/null 2>&1; then
    echo "chromium not found and apt-get not usable (it needs root): the browser tests will be skipped"
    exit 0
fi

wait_seconds=${APT_LOCK_TIMEOUT:-300}
log=$(mktemp)
trap 'rm -f "$log"' EXIT
export LC_ALL=C DEBIAN_FRONTEND=noninteractive  # apt's messages in English: "Could not get lock"

# `apt-get update` does not wait for its lock (DPkg::Lock::Timeout covers dpkg's
# lock, which install waits for): asked again every 5 seconds while it is held.
update() {
    deadline=$(($(date +%s) + wait_seconds))
    until apt-get -o DPkg::Lock::Timeout="$wait_seconds" update -qq >"$log" 2>&1; do
        if ! grep -q "Could not get lock" "$log" || [ "$(date +%s)" -ge "$deadline" ]; then
            return 1
        fi
        sleep 5
    done
}

echo "installing chromium for the browser tests (apt-get; waits up to ${wait_seconds} s for another apt-get or dpkg)"
if update && apt-get -o DPkg::Lock::Timeout="$wait_seconds" install -y -qq \
    --no-install-recommends chromium poppler-utils >"$log" 2>&1; then
    echo "chromium and poppler-utils installed"
    exit 0
fi
echo "could not install chromium; apt-get said:"
tail -n 20 "$log" | sed 's/^/    /'
if [ "${CI:-}" = true ]; then
    echo "CI=true and apt-get is usable: the browser tests must run, so this fails"
    exit 1
fi
echo "the browser tests will be skipped"
