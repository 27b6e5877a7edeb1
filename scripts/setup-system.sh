#!/usr/bin/env bash
# Install the system tools the pipeline and its tests use, when missing:
# GNU gettext (msgfmt/msgmerge: oracles for every file we write), Debian's
# Chromium (review page and bilingual HTML tests), the Indonesian hunspell
# dictionary (source spell check), po4a (a benchmark peer) and GNU time.
set -euo pipefail

missing=()
command -v msgfmt >/dev/null || missing+=(gettext)
command -v chromium >/dev/null || missing+=(chromium)
[ -f /usr/share/hunspell/id_ID.dic ] || missing+=(hunspell-id)
command -v po4a-updatepo >/dev/null || missing+=(po4a)
[ -x /usr/bin/time ] || missing+=(time)  # GNU time: the benchmarks' peak memory

[ ${#missing[@]} -eq 0 ] && exit 0

echo "setup: installing Debian packages: ${missing[*]}" >&2
if [ "$(id -u)" -eq 0 ]; then
    sudo=()
elif command -v sudo >/dev/null; then
    sudo=(sudo)
else
    echo "error: setup: need root to install ${missing[*]}; run: apt-get install ${missing[*]}" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
