#!/usr/bin/env bash
# Runs the real pre-commit (from PyPI, in a throwaway virtualenv) with this repository's hooks
# in a scratch git repository: the `ctelint` hook must pass on the vendor's sample key and fail,
# showing the finding, on a key file with "unexportable": true; `ctelint-fix` must fix a safe
# finding and fail because it changed the file.
set -euo pipefail
repo=$(cd "$(dirname "$0")/.." && pwd)
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
python3 -m venv "$work/venv"
"$work/venv/bin/pip" install --quiet pre-commit
export PRE_COMMIT_HOME="$work/cache"
precommit="$work/venv/bin/pre-commit"

git init --quiet "$work/scratch"
cd "$work/scratch"
git config user.email ci@example.invalid
git config user.name ci
cp "$repo/fixtures/cli/demo/vendor-sample.json" good.json
sed -e 's/"unexportable": false/"unexportable": true/' -e 's/Standard_pol_key/Unexportable_key/' good.json > bad.json
sed -e 's/"CBC_CS1"/"cbc_cs1"/' -e 's/Standard_pol_key/Lowercase_mode_key/' good.json > fixable.json
git add good.json bad.json fixable.json

echo "== ctelint on the vendor sample (must pass)"
"$precommit" try-repo "$repo" ctelint --files good.json

echo "== ctelint on an unexportable key (must fail with CTE203)"
if "$precommit" try-repo "$repo" ctelint --files bad.json > bad.log 2>&1; then
    cat bad.log
    echo "FAIL: the hook passed on an unexportable key"
    exit 1
fi
cat bad.log
grep -q "CTE203" bad.log

echo "== ctelint-fix on a lowercase mode (must fix it and fail because it changed the file)"
if "$precommit" try-repo "$repo" ctelint-fix --files fixable.json > fix.log 2>&1; then
    cat fix.log
    echo "FAIL: the fix hook passed although it changed the file"
    exit 1
fi
cat fix.log
grep -q '"encryption_mode": "CBC_CS1"' fixable.json
echo "pre-commit check: 3 passed, 0 failed"
