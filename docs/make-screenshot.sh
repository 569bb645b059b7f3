#!/usr/bin/env bash
# Remakes docs/health-report.png, the README's screenshot of the HTML health report, from a real
# run over the shared corpus (../shared/corpus). Needs Debian's chromium.
set -euo pipefail
cd "$(dirname "$0")/.."
report="$(mktemp -d)/report.html"
loclint check ../shared/corpus --output-format html --output-file "$report" || [ $? -eq 1 ]  # 1: findings
profile="$(mktemp -d)"
# The fragment pre-selects a view: the placeholder findings of one locale, so segments show side by side.
chromium --headless --no-sandbox --disable-gpu --hide-scrollbars --no-first-run \
    --disable-background-networking --disable-component-update --disable-sync \
    --user-data-dir="$profile" --window-size=1280,2500 \
    --screenshot="$PWD/docs/health-report.png" "file://$report#locale=fr-fr&family=P"
rm -rf "$profile"
