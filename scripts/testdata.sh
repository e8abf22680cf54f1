#!/usr/bin/env bash
# Fetches test binaries that are not committed into .cache/testdata/ (gitignored):
# old npm packages that ship Go executables built with Go 1.15–1.17, for the
# function-table layouts 1.2 and 1.16 and the pointer-based build info, which
# today's Go no longer writes; and container images assembled from pinned
# Debian packages (scripts/unit-images.mjs). Each tarball is pinned by version and checked
# against its sha512 before use. With a Go toolchain on PATH it also writes
# what Go's own tools say about each binary (go version -m, debug/gosym), the
# references test/go-testdata.test.ts compares against.
#
#   npm run testdata        (idempotent; re-run after deleting .cache/testdata)
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"
dest="$root/.cache/testdata"
mkdir -p "$dest"
tmp="$(mktemp -d)"
trap 'rm -rf "$tmp"' EXIT

# name                          package@version              sha512 (npm "integrity")                                                                    what
packages=(
  "esbuild-0.8.46-linux-arm64   esbuild-linux-arm64@0.8.46   sha512-SQb7oKhDTFW2ITW1sdilfGixH3kPvv6g+Npz6Oixvq+F3xph5qkizK4pkyYv6Grpp5yUjkqkU/iuqmcXll/9bw==  go1.15.7,pclntab-1.2,ELF"
  "esbuild-0.13.15-linux-arm64  esbuild-linux-arm64@0.13.15  sha512-bYpuUlN6qYU9slzr/ltyLTR9YTBS7qUDymO8SV7kjeNext61OdmqFAzuVZom+OLW1HPHseBfJ/JfdSlx8oTUoA==  go1.17.2,pclntab-1.16,ELF"
  "esbuild-0.11.11-darwin-x86_64 esbuild-darwin-64@0.11.11   sha512-noU/CV2DDmR7QIoVXkcBjEt0FRSWI73NNwOatDobjvJ19XFu2zwCmBk/tDviC6xPHXX3Qfg8K1CLqVVBi7F3nA==  go1.16.3,pclntab-1.16,Mach-O"
)

sri() { node -e 'const c=require("crypto");process.stdout.write("sha512-"+c.createHash("sha512").update(require("fs").readFileSync(process.argv[1])).digest("base64"))' "$1"; }

# npm pack SPEC into $tmp and check it against its pinned sha512; prints the tarball's path.
fetch_pinned() {
  local spec="$1" integrity="$2" tgz got
  echo "testdata: fetching $spec" >&2
  (cd "$tmp" && npm pack "$spec" --silent >/dev/null 2>"$tmp/npm.err") || { cat "$tmp/npm.err" >&2; echo "testdata: npm pack $spec failed" >&2; exit 1; }
  tgz="$(ls "$tmp"/*.tgz)"
  got="$(sri "$tgz")"
  if [ "$got" != "$integrity" ]; then
    echo "testdata: $spec checksum mismatch: expected $integrity, got $got" >&2
    exit 1
  fi
  printf '%s\n' "$tgz"
}

gosymdump=""
if command -v go >/dev/null 2>&1; then
  export GOCACHE="${GOCACHE:-$tmp/gocache}" GOFLAGS=-buildvcs=false GOPROXY=off
  gosymdump="$tmp/gosymdump"
  go build -o "$gosymdump" "$root/fixtures/go/tools/gosymdump/main.go"
else
  echo "testdata: no Go toolchain on PATH: binaries fetched, reference outputs not written (tests that need them skip)" >&2
fi

for line in "${packages[@]}"; do
  read -r name spec integrity _ <<<"$line"
  out="$dest/$name"
  if [ ! -s "$out" ]; then
    tgz="$(fetch_pinned "$spec" "$integrity")"
    tar -xzf "$tgz" -C "$tmp" package/bin/esbuild
    mv "$tmp/package/bin/esbuild" "$out"
    rm -rf "$tmp/package" "$tgz"
  fi
  if [ -n "$gosymdump" ]; then
    [ -s "$out.go-version-m.txt" ] || (cd "$dest" && go version -m "$name") > "$out.go-version-m.txt"
    [ -s "$out.gosym.txt" ] || "$gosymdump" "$out" > "$out.gosym.txt"
  fi
done

# npm packages kept whole (.tgz as npm pack gives them) for the unit tests: addons with and without the package
# their $ORIGIN RUNPATH points into, glibc and musl builds, and a Go executable in a platform package.
# file                                   package@version                          sha512 (npm "integrity")
npm_units=(
  "sharp-linux-x64-0.33.5.tgz             @img/sharp-linux-x64@0.33.5              sha512-opC+Ok5pRNAzuvq1AG0ar+1owsu842/Ab+4qvU879ippJBHvyY5n2mxF1izXqkPYlGuP/M556uh53jRLJmzTWA=="
  "sharp-libvips-linux-x64-1.0.4.tgz      @img/sharp-libvips-linux-x64@1.0.4       sha512-MmWmQ3iPFZr0Iev+BAgVMb3ZyC4KeFc3jFxnNbEPas60e1cIfevbtuyf9nDGIzOaW9PdnDciJm+wFFaTlj5xYw=="
  "sharp-linuxmusl-x64-0.33.5.tgz         @img/sharp-linuxmusl-x64@0.33.5          sha512-WT+d/cgqKkkKySYmqoZ8y3pxx7lx9vVejxW/W4DOFMYVSkErR+w7mf2u8m/y4+xHe7yY9DAXQMWQhpnMuFfScw=="
  "sharp-libvips-linuxmusl-x64-1.0.4.tgz  @img/sharp-libvips-linuxmusl-x64@1.0.4   sha512-viYN1KX9m+/hGkJtvYYp+CCLgnJXwiQB39damAO7WMdKWlIhmYTfHjwSbQeUK/20vY154mwezd9HflVFM1wVSw=="
  "parcel-watcher-linux-x64-musl-2.5.1.tgz @parcel/watcher-linux-x64-musl@2.5.1    sha512-n0E2EQbatQ3bXhcH2D1XIAANAcTZkQICBPVaxMeaCVBtOpBZpWJuf7LwyWPSBDITb7In8mqQgJ7gH8CILCURXg=="
  "esbuild-linux-arm64-0.25.0.tgz         @esbuild/linux-arm64@0.25.0              sha512-9QAQjTWNDM/Vk2bgBl17yWuZxZNQIF0OUUuPZRKoDtqF2k4EtYbpyiG5/Dk7nqeK6kIJWPYldkOcBqjXjrUlmg=="
)
mkdir -p "$dest/npm"
for line in "${npm_units[@]}"; do
  read -r name spec integrity <<<"$line"
  out="$dest/npm/$name"
  [ -s "$out" ] && continue
  tgz="$(fetch_pinned "$spec" "$integrity")"
  mv "$tgz" "$out"
done

# Two releases of one npm platform package for the diff tests (test/diff-pairs.test.ts): the addon each ships.
# file                          package@version                              sha512 (npm "integrity")
diff_releases=(
  "watcher-linux-arm64-glibc-2.4.1.node  @parcel/watcher-linux-arm64-glibc@2.4.1  sha512-BJ7mH985OADVLpbrzCLgrJ3TOpiZggE9FMblfO65PlOCdG++xJpKUJ0Aol74ZUIYfb8WsRlUdgrZxKkz3zXWYA=="
  "watcher-linux-arm64-glibc-2.5.1.node  @parcel/watcher-linux-arm64-glibc@2.5.1  sha512-LrGp+f02yU3BN9A+DGuY3v3bmnFUggAITBGriZHUREfNEzZh/GO06FF5u2kx8x+GBEUYfyTGamol4j3m9ANe8w=="
)
mkdir -p "$dest/diff"
for line in "${diff_releases[@]}"; do
  read -r name spec integrity <<<"$line"
  out="$dest/diff/$name"
  [ -s "$out" ] && continue
  tgz="$(fetch_pinned "$spec" "$integrity")"
  tar -xzf "$tgz" -C "$tmp" package/watcher.node
  mv "$tmp/package/watcher.node" "$out"
  rm -rf "$tmp/package" "$tgz"
done

# debug/gosym references for the Go binaries of the shared corpus, when it is
# here: never committed (corpus-derived), regenerated on demand. A universal
# file gets one reference per slice (NAME.ARCH.gosym.txt).
corpus="${BINLENS_CORPUS:-$root/../shared/corpus}"
if [ -n "$gosymdump" ] && [ -d "$corpus/bin" ]; then
  mkdir -p "$dest/corpus"
  for f in "$corpus"/bin/*; do
    n="$(basename "$f")"
    if "$gosymdump" "$f" > "$tmp/ref" 2>/dev/null; then
      mv "$tmp/ref" "$dest/corpus/$n.gosym.txt"
    else
      for a in arm64 x86_64; do
        if "$gosymdump" -arch "$a" "$f" > "$tmp/ref" 2>/dev/null; then mv "$tmp/ref" "$dest/corpus/$n.$a.gosym.txt"; fi
      done
    fi
  done
  echo "testdata: debug/gosym references for $(ls "$dest/corpus" | wc -l) corpus slices in $dest/corpus"
fi
# Container images for the unit tests and the bench (scripts/unit-images.mjs): layers from Debian packages
# pinned by SHA-256, put together as docker-save tarballs and OCI layouts in $dest/units.
if command -v dpkg-deb >/dev/null 2>&1 && command -v zstd >/dev/null 2>&1; then
  node "$root/scripts/unit-images.mjs" || echo "testdata: unit images not built (the tests that need them skip)" >&2
else
  echo "testdata: dpkg-deb or zstd missing: unit images not built (the tests that need them skip)" >&2
fi
ls -l "$dest"
