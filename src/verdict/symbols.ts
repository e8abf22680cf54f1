// Which library is expected to provide an undefined symbol when the file
// itself does not say (ELF without symbol versions, Mach-O flat lookup), and
// what a symbol's decoration says about the platform it was compiled for.

export interface Provider {
  /** Plain name: `zlib`, `OpenSSL libssl`, `the Node.js process`. */
  name: string;
  /** `library`: a file that must be among the dependencies; `host`: the program that loads this plug-in; `libc`: the C library or libSystem. */
  kind: 'library' | 'host' | 'libc';
  /** Dependency names that satisfy it (ELF sonames and Mach-O install names are matched on their last component). */
  libs: RegExp;
}

const ZLIB: Provider = { name: 'zlib', kind: 'library', libs: /^libz\.(so|\d|dylib)/ };
const SSL: Provider = { name: 'OpenSSL libssl', kind: 'library', libs: /^libssl[.-]/ };
const CRYPTO: Provider = { name: 'OpenSSL libcrypto', kind: 'library', libs: /^libcrypto[.-]/ };
const CURL: Provider = { name: 'libcurl', kind: 'library', libs: /^libcurl[.-]/ };
const SQLITE: Provider = { name: 'SQLite', kind: 'library', libs: /^libsqlite3[.-]/ };
const BZ2: Provider = { name: 'bzip2', kind: 'library', libs: /^libbz2[.-]/ };
const LZMA: Provider = { name: 'liblzma (xz)', kind: 'library', libs: /^liblzma[.-]/ };
const ZSTD: Provider = { name: 'zstd', kind: 'library', libs: /^libzstd[.-]/ };
const PNG: Provider = { name: 'libpng', kind: 'library', libs: /^libpng/ };
const FFI: Provider = { name: 'libffi', kind: 'library', libs: /^libffi[.-]/ };
const CXX: Provider = {
  name: 'the C++ runtime (libstdc++ or libc++)',
  kind: 'library',
  libs: /^(libstdc\+\+|libc\+\+|libc\+\+abi|libsupc\+\+)[.-]/,
};
const GCC_S: Provider = { name: 'the unwinder (libgcc_s)', kind: 'library', libs: /^(libgcc_s|libunwind|libSystem|libc\+\+abi)[.-]/ };
const NODE: Provider = { name: 'the Node.js process (Node-API)', kind: 'host', libs: /^(node|libnode)[.-]/ };
const PYTHON: Provider = { name: 'the Python interpreter (C API)', kind: 'host', libs: /^(libpython|Python$)/ };
const LUA: Provider = { name: 'the Lua interpreter', kind: 'host', libs: /^liblua/ };
const JVM: Provider = { name: 'the Java VM (JNI)', kind: 'host', libs: /^libjvm[.]/ };
const LIBC: Provider = {
  name: 'the C library',
  kind: 'libc',
  libs: /^(libc\.so|libc\.musl|libSystem|libm\.so|libpthread\.so|libdl\.so|librt\.so|ld-linux|libc\.so\.6)/,
};

const EXACT = new Map<string, Provider>();
for (const n of [
  'deflateInit_',
  'deflateInit2_',
  'deflate',
  'deflateEnd',
  'deflateReset',
  'deflateBound',
  'inflateInit_',
  'inflateInit2_',
  'inflate',
  'inflateEnd',
  'inflateReset',
  'compress',
  'compress2',
  'compressBound',
  'uncompress',
  'uncompress2',
  'crc32',
  'adler32',
  'zlibVersion',
  'gzopen',
  'gzread',
  'gzwrite',
  'gzclose',
])
  EXACT.set(n, ZLIB);
for (const n of [
  'BZ2_bzCompressInit',
  'BZ2_bzCompress',
  'BZ2_bzDecompressInit',
  'BZ2_bzDecompress',
  'BZ2_bzBuffToBuffCompress',
  'BZ2_bzBuffToBuffDecompress',
])
  EXACT.set(n, BZ2);
for (const n of ['lzma_code', 'lzma_end', 'lzma_easy_encoder', 'lzma_stream_decoder', 'lzma_auto_decoder']) EXACT.set(n, LZMA);
for (const n of ['ZSTD_compress', 'ZSTD_decompress', 'ZSTD_createCCtx', 'ZSTD_createDCtx', 'ZSTD_compressStream2', 'ZSTD_decompressStream'])
  EXACT.set(n, ZSTD);
for (const n of ['ffi_call', 'ffi_prep_cif', 'ffi_prep_closure_loc', 'ffi_closure_alloc']) EXACT.set(n, FFI);
for (const n of [
  'malloc',
  'free',
  'calloc',
  'realloc',
  'memcpy',
  'memmove',
  'memset',
  'memcmp',
  'strlen',
  'strcmp',
  'strncmp',
  'strcpy',
  'printf',
  'fprintf',
  'snprintf',
  'puts',
  'write',
  'read',
  'open',
  'close',
  'exit',
  'abort',
  'getenv',
  '__libc_start_main',
  '__stack_chk_fail',
  '__stack_chk_guard',
  'pthread_create',
  'pthread_join',
  'pthread_mutex_lock',
  'pthread_mutex_unlock',
  'pthread_once',
  'pthread_key_create',
  'pthread_self',
  'dlopen',
  'dlsym',
  'dlclose',
  'dlerror',
  'sin',
  'cos',
  'tan',
  'pow',
  'exp',
  'log',
  'sqrt',
  'floor',
  'ceil',
  'fmod',
  'signal',
  'sigaction',
  'clock_gettime',
  'mmap',
  'munmap',
  'errno',
  '__errno_location',
  '__error',
  'dyld_stub_binder',
])
  EXACT.set(n, LIBC);
for (const n of [
  '__cxa_throw',
  '__cxa_begin_catch',
  '__cxa_end_catch',
  '__cxa_allocate_exception',
  '__cxa_pure_virtual',
  '__gxx_personality_v0',
  '__cxa_guard_acquire',
  '__cxa_guard_release',
])
  EXACT.set(n, CXX);
for (const n of ['_Unwind_Resume', '_Unwind_RaiseException', '_Unwind_Backtrace', '_Unwind_GetIP']) EXACT.set(n, GCC_S);
for (const n of ['JNI_CreateJavaVM', 'JNI_GetCreatedJavaVMs']) EXACT.set(n, JVM);

const PREFIXES: [RegExp, Provider][] = [
  [/^(SSL_|SSL_CTX_|TLS_|DTLS_|OPENSSL_init_ssl)/, SSL],
  [/^(EVP_|BIO_|ERR_|RAND_|CRYPTO_|X509_|PEM_|RSA_|EC_KEY_|BN_|HMAC|SHA256|SHA1|MD5_|OPENSSL_init_crypto|OPENSSL_sk_|ASN1_|OBJ_)/, CRYPTO],
  [/^curl_/, CURL],
  [/^sqlite3_/, SQLITE],
  [/^png_/, PNG],
  [/^(napi_|node_api_|uv_)/, NODE],
  [/^(Py[A-Z_]|_Py[A-Za-z])/, PYTHON],
  [/^(lua_|luaL_|luaopen_)/, LUA],
  [/^(_ZNSt|_ZSt|_Znw|_Znam|_Zdl|_Zda|_ZNKSt|_ZTVN10__cxxabiv)/, CXX],
];

/**
 * Expected provider of an undefined symbol, or null when the name is not a
 * well-known one. `machO`: names carry the extra leading underscore Mach-O
 * C symbols have.
 */
export function providerOf(symbol: string, machO: boolean): Provider | null {
  const n = machO && symbol.startsWith('_') ? symbol.slice(1) : symbol;
  const e = EXACT.get(n);
  if (e) return e;
  for (const [re, p] of PREFIXES) if (re.test(n)) return p;
  return null;
}

/** The last component of a dependency (`/opt/homebrew/opt/zlib/lib/libz.1.dylib` → `libz.1.dylib`). */
export function libBase(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

export interface DecorationHint {
  symbol: string;
  hint: string;
}

/**
 * Names whose decoration belongs to another architecture or format. Sources:
 * Apple's <sys/cdefs.h> ($INODE64 and $UNIX2003 variants exist only for
 * x86_64 and i386 respectively), Microsoft's stdcall/fastcall decoration
 * (`_name@N`, `@name@N`), and the leading underscore Mach-O adds to C names
 * (so `__Z…` is a Mach-O C++ name and a bare `_Z…` an ELF one).
 */
export function decorationHints(symbols: string[], opts: { machO: boolean; arch: string; bits: 32 | 64 }): DecorationHint[] {
  const out: DecorationHint[] = [];
  for (const s of symbols) {
    if (out.length >= 5) break;
    if (s.endsWith('$INODE64') && opts.arch !== 'x86_64') {
      out.push({ symbol: s, hint: '$INODE64 variants exist only in x86_64 libSystem; this object was compiled against x86_64 headers' });
    } else if (s.endsWith('$UNIX2003') && opts.bits === 64) {
      out.push({ symbol: s, hint: '$UNIX2003 variants exist only in 32-bit i386 libSystem' });
    } else if (/^[_@][A-Za-z_][A-Za-z0-9_]*@\d+$/.test(s) && !s.includes('@@')) {
      out.push({ symbol: s, hint: '`@N` is the 32-bit Windows stdcall/fastcall decoration; it has no meaning on this platform' });
    } else if (opts.machO && /^_Z[A-Z0-9]/.test(s) && !s.startsWith('__Z')) {
      out.push({
        symbol: s,
        hint: 'a C++ name without the extra leading underscore Mach-O adds: compiled for ELF (Linux), not Apple platforms',
      });
    } else if (!opts.machO && /^__Z[NSTLZ0-9]/.test(s)) {
      out.push({ symbol: s, hint: 'a C++ name with the extra leading underscore of Mach-O: compiled for Apple platforms, not ELF' });
    } else if (!opts.machO && s.startsWith('_$s')) {
      out.push({ symbol: s, hint: 'a Swift name spelled the Mach-O way (`_$s`): compiled for Apple platforms' });
    }
  }
  return out;
}
