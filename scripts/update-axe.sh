#!/usr/bin/env bash
# Vendors axe-core (the accessibility checker the browser test
# e2e/a11y_test.go runs in Chromium) into e2e/testdata/axe, so that the
# test needs no network on a clean clone. Usage: scripts/update-axe.sh [VERSION]
# (default: npm's latest 4.x). Commit the result with the version in the
# message.
set -euo pipefail
cd "$(dirname "$0")/.."
version="${1:-$(npm view 'axe-core@4' version | tail -1 | awk '{print $NF}' | tr -d "'")}"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT
(cd "$tmp" && npm pack --silent "axe-core@${version}" >/dev/null && tar xzf axe-core-*.tgz)
dest=e2e/testdata/axe
mkdir -p "$dest"
cp "$tmp/package/axe.min.js" "$tmp/package/LICENSE" "$tmp/package/LICENSE-3RD-PARTY.txt" "$dest/"
cat > "$dest/README.md" <<MD
# axe-core ${version}

\`axe.min.js\` is axe-core ${version} (Deque Systems, https://github.com/dequelabs/axe-core),
unchanged from the npm package \`axe-core@${version}\`, under the Mozilla Public License 2.0
(\`LICENSE\`; third-party notices in \`LICENSE-3RD-PARTY.txt\`). sha256 of axe.min.js:
$(sha256sum "$dest/axe.min.js" | cut -d' ' -f1)

It is vendored so that the accessibility test (e2e/a11y_test.go) runs without the network.
Update with \`scripts/update-axe.sh [VERSION]\`.
MD
echo "axe-core ${version} in ${dest}"
