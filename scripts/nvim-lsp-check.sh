#!/bin/sh
# Checks `ctelint server` with a real editor's LSP client: headless Neovim opens a bad key file
# (a copy of fixtures/cli/demo/payroll-key.json, or the file given as $1), waits for the
# server's diagnostics, prints them, applies source.fixAll.ctelint, and stops the server.
# Exits non-zero if no diagnostics arrive within $CTELINT_TIMEOUT_MS (default 10000) or
# anything else goes wrong.
#
#   scripts/nvim-lsp-check.sh              # uses $CTELINT, else the newer of target/{release,debug}/ctelint
#   CTELINT=/usr/local/bin/ctelint scripts/nvim-lsp-check.sh keys/a.json
#
# Needs Neovim 0.7 or newer (`apt-get install neovim` on Debian 12 gives 0.7.2).
set -eu

root=$(cd "$(dirname "$0")/.." && pwd)
bin=${CTELINT:-}
if [ -z "$bin" ]; then
    release=$root/target/release/ctelint
    debug=$root/target/debug/ctelint
    if [ -x "$release" ] && { [ ! -x "$debug" ] || [ "$release" -nt "$debug" ]; }; then
        bin=$release
    elif [ -x "$debug" ]; then
        bin=$debug
    else
        echo "nvim-lsp-check: no ctelint binary; run \`cargo build\` (or set CTELINT)" >&2
        exit 2
    fi
fi
command -v nvim >/dev/null || { echo "nvim-lsp-check: nvim is not installed" >&2; exit 2; }

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
if [ $# -ge 1 ]; then
    file=$(cd "$(dirname "$1")" && pwd)/$(basename "$1")
else
    file=$work/payroll-key.json
    cp "$root/fixtures/cli/demo/payroll-key.json" "$file"
fi

timeout_ms=${CTELINT_TIMEOUT_MS:-10000}
# The outer timeout only guards against a wedged editor; the script has its own deadlines.
CTELINT_BIN=$bin CTELINT_FILE=$file CTELINT_TIMEOUT_MS=$timeout_ms \
    timeout $((timeout_ms * 4 / 1000 + 10)) \
    nvim --headless --clean -c "luafile $root/scripts/nvim-lsp-check.lua" </dev/null
