#!/usr/bin/env bash
# Install the Debian packages named as arguments, when missing:
#   gettext      msgfmt/msgmerge: oracles for every file the tests write
#   chromium     the review page and bilingual HTML tests
#   hunspell-id  the spell check of `make check`
#   po4a         a benchmark peer
#   time         GNU time: the benchmarks' peak memory
# The main job (`make english`) needs none of them.
set -euo pipefail

present() {
    case "$1" in
        gettext) command -v msgfmt >/dev/null ;;
        chromium) command -v chromium >/dev/null ;;
        hunspell-id) [ -f /usr/share/hunspell/id_ID.dic ] ;;
        po4a) command -v po4a-updatepo >/dev/null ;;
        time) [ -x /usr/bin/time ] ;;
        *) echo "error: setup: unknown package $1" >&2; exit 2 ;;
    esac
}

missing=()
for package in "$@"; do
    present "$package" || missing+=("$package")
done
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
