#!/usr/bin/env bash
# Installs the system tools the tests need, when they are missing:
#   chromium — the browser Playwright drives (Playwright's own browser download cannot work here)
#   llvm-19  — llvm-objdump-19, the reference for the ARM64 agreement test; llvm-readobj-19 and yaml2obj-19
#              for the malformed-table fixtures (test/malformed.test.ts)
#   golang-go — `go version -m` and Go's debug/gosym, references for the Go binaries fetched by scripts/testdata.sh
#   cmark-gfm — GitHub's Markdown renderer, to check that exported Markdown cannot inject links or HTML
#   binutils-aarch64-linux-gnu — aarch64-linux-gnu-strip, which strips the corpus's arm64 files for the
#               stripped-against-unstripped function test (llvm-strip-19 refuses glibc's static binaries)
#   clang-19, llvm-19-dev, wasi-libc, libc++-19-dev-wasm32 — rebuild src/demangle/itanium/itanium.wasm
#               (LLVM's demangler headers compiled to WebAssembly) to check it is what its source builds
set -euo pipefail
need=()
[ -x /usr/bin/chromium ] || need+=(chromium)
command -v llvm-objdump-19 >/dev/null 2>&1 || need+=(llvm-19)
command -v go >/dev/null 2>&1 || need+=(golang-go)
command -v cmark-gfm >/dev/null 2>&1 || need+=(cmark-gfm)
command -v aarch64-linux-gnu-strip >/dev/null 2>&1 || need+=(binutils-aarch64-linux-gnu)
# The unit tests' container images: zstd-compressed layers (scripts/unit-images.mjs).
command -v zstd >/dev/null 2>&1 || need+=(zstd)
command -v clang-19 >/dev/null 2>&1 || need+=(clang-19)
[ -f /usr/lib/llvm-19/include/llvm/Demangle/ItaniumDemangle.h ] || need+=(llvm-19-dev)
[ -d /usr/include/wasm32-wasi/c++/v1 ] || need+=(wasi-libc libc++-19-dev-wasm32)
if [ ${#need[@]} -eq 0 ]; then exit 0; fi
if [ "$(id -u)" != 0 ]; then
  if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then SUDO=sudo; else
    echo "setup-system: missing ${need[*]}; install them with: sudo apt-get install ${need[*]}" >&2
    exit 0
  fi
else SUDO=; fi
echo "setup-system: installing ${need[*]} with apt-get"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "${need[@]}" >/dev/null
