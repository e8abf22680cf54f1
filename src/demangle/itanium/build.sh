#!/bin/sh
# Builds itanium.wasm from itanium.cpp and the LLVM 19 demangler headers of
# Debian's llvm-19-dev, with clang-19, wasm-ld-19 and the wasm32-wasi libc and
# libc++ of Debian's wasi-libc and libc++-19-dev-wasm32 (scripts/setup-system.sh
# installs them). The result is committed; test/demangle-agreement.test.ts
# rebuilds it when the tools are present and checks the bytes are the same.
# The stack goes first in memory, so a name nested deeper than 1 MiB of stack
# traps (the JavaScript side then starts a fresh instance) instead of writing
# over the heap; memory stops at 64 MiB, so a name whose text would grow past
# it (substitutions can make it exponential) fails instead of taking the tab.
# PATH is the system's: clang runs any wasm-opt it finds on PATH (binaryen, under npm run),
# and the bytes would depend on where it is built.
#   sh src/demangle/itanium/build.sh [OUT]
set -eu
here=$(dirname "$0")
out=${1:-$here/itanium.wasm}
PATH=/usr/bin:/bin clang-19 --target=wasm32-wasi --sysroot=/usr -isystem /usr/include/wasm32-wasi/c++/v1 \
  -I /usr/lib/llvm-19/include -std=c++17 -Os -DNDEBUG -fno-exceptions -fno-rtti \
  -mexec-model=reactor -nostartfiles -Wl,--no-entry -Wl,--strip-all -Wl,--gc-sections -Wl,--stack-first -Wl,-z,stack-size=1048576 -Wl,--max-memory=67108864 \
  -ffile-prefix-map="$here"=. -o "$out" "$here/itanium.cpp"
