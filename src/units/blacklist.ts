// auditwheel's per-symbol blacklist, restated from the policies pypa/auditwheel
// publishes (src/auditwheel/policy/manylinux-policy.json and
// musllinux-policy.json, each policy's `blacklist`: library → symbols) and
// applied as its policy/__init__.py and elfutils.py apply it: a policy is not
// met by an ELF file with a strong (not weak) undefined symbol on the list of
// a library it needs directly. Apart from wheel.ts so that a member's facts
// (member.ts) keep only these of its imports.

/**
 * auditwheel's per-symbol blacklist (each policy's `blacklist`: library → symbols): symbols a library of the policy's
 * systems does not give every program — glibc before 2.18 has no __cxa_thread_atexit_impl, __issignaling or the
 * pthread_*attr_default_np pair; zlib's internal functions are not exported by every zlib (zlib-ng's, distributions'
 * builds). An extension that needs one of them directly (a strong undefined symbol, and the library among its
 * DT_NEEDED) does not satisfy the policy. Restated here as the newest manylinux level each set still applies to
 * (`through`, null: every level) and the musllinux set.
 */
const GLIBC_OLD = [
  '__cxa_thread_atexit_impl',
  '__issignaling',
  '__issignalingf',
  '__issignalingl',
  'pthread_getattr_default_np',
  'pthread_setattr_default_np',
];
const ZLIB_ALWAYS = [
  '_dist_code',
  '_length_code',
  '_tr_align',
  '_tr_flush_block',
  '_tr_init',
  '_tr_stored_block',
  '_tr_tally',
  'adler32_default',
  'crc32_acle',
  'crc32_le_vgfm_16',
  'crc32_neon',
  'crc32_vpmsum',
  'crc32_z_default',
  'deflate_copyright',
  'gzflags',
  'inflate_copyright',
  'inflate_fast',
  'inflate_table',
  'sse2_slide_hash',
  'z_errmsg',
  'z_vstring',
  'zcalloc',
  'zcfree',
];
const ZLIB_UNTIL_2_35 = [
  'bi_windup',
  'crc_fold_512to32',
  'crc_fold_copy',
  'crc_fold_init',
  'deflate_medium',
  'fill_window',
  'flush_pending',
  'longest_match',
  'slide_hash_sse',
  'static_ltree',
  'x86_check_features',
  'x86_cpu_has_pclmul',
  'x86_cpu_has_sse2',
  'x86_cpu_has_sse42',
];
const ZLIB_UNTIL_2_36 = ['crc32_combine_gen', 'crc32_combine_gen64', 'crc32_combine_op'];
export const BLACKLIST: { lib: string; symbols: string[]; through: string | null }[] = [
  { lib: 'libc.so.6', symbols: GLIBC_OLD, through: '2.17' },
  { lib: 'libm.so.6', symbols: ['__issignaling', '__issignalingf', '__issignalingl'], through: '2.17' },
  { lib: 'libpthread.so.0', symbols: ['pthread_getattr_default_np', 'pthread_setattr_default_np'], through: '2.17' },
  { lib: 'libz.so.1', symbols: ['uncompress2'], through: '2.31' },
  { lib: 'libz.so.1', symbols: ZLIB_UNTIL_2_35, through: '2.35' },
  { lib: 'libz.so.1', symbols: ZLIB_UNTIL_2_36, through: '2.36' },
  { lib: 'libz.so.1', symbols: ZLIB_ALWAYS, through: null },
];
/** musllinux_1_1 and 1_2: zlib's internals, without the ones only newer zlib builds have. */
const MUSL_ZLIB_OMITS = new Set([
  'adler32_default',
  'crc32_acle',
  'crc32_le_vgfm_16',
  'crc32_neon',
  'crc32_z_default',
  'sse2_slide_hash',
  'z_vstring',
  ...ZLIB_UNTIL_2_36,
]);
export const MUSL_BLACKLIST = [
  {
    lib: 'libz.so.1',
    symbols: [...ZLIB_ALWAYS, ...ZLIB_UNTIL_2_35, ...ZLIB_UNTIL_2_36, 'uncompress2'].filter((x) => !MUSL_ZLIB_OMITS.has(x)),
    through: null,
  },
];

/** Every symbol any policy blacklists: what a member keeps of its imports for the wheel checks. */
export const BLACKLISTED = new Set([...BLACKLIST, ...MUSL_BLACKLIST].flatMap((b) => b.symbols));
