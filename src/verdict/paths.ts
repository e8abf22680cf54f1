// What a library or search path says about where it will be found.

/** macOS paths that exist on every installation (in the dyld shared cache or the sealed system volume). */
export function isMacSystemPath(p: string): boolean {
  return p.startsWith('/usr/lib/') || p.startsWith('/System/Library/') || p.startsWith('/System/iOSSupport/');
}

/** Loader-relative Mach-O paths: resolved next to the binary, so they must ship with it. */
export function isMacRelative(p: string): boolean {
  return p.startsWith('@rpath/') || p.startsWith('@executable_path/') || p.startsWith('@loader_path/');
}

export interface HomebrewPrefix {
  prefix: string;
  /** The CPU the Homebrew installation at that prefix builds for. */
  arch: 'arm64' | 'x86_64' | null;
  manager: string;
}

// Homebrew installs to /opt/homebrew on Apple Silicon and to /usr/local on
// Intel (docs.brew.sh/Installation); /opt/local is MacPorts, either CPU.
const HOMEBREW: HomebrewPrefix[] = [
  { prefix: '/opt/homebrew/', arch: 'arm64', manager: 'Apple Silicon Homebrew' },
  { prefix: '/usr/local/opt/', arch: 'x86_64', manager: 'Intel Homebrew' },
  { prefix: '/usr/local/Cellar/', arch: 'x86_64', manager: 'Intel Homebrew' },
  { prefix: '/usr/local/Homebrew/', arch: 'x86_64', manager: 'Intel Homebrew' },
  { prefix: '/home/linuxbrew/.linuxbrew/', arch: null, manager: 'Homebrew on Linux' },
  { prefix: '/opt/local/', arch: null, manager: 'MacPorts' },
];

export function homebrewPrefix(p: string): HomebrewPrefix | null {
  return HOMEBREW.find((h) => p.startsWith(h.prefix)) ?? null;
}

/**
 * Directories that exist only on the machine that built the file: home
 * directories, temporary directories and the output folders of build systems
 * and CI runners. Matching is by path component so `/usr/lib/build-essential`
 * style names do not count.
 */
export function buildMachinePath(p: string): string | null {
  if (/^\/(Users|home)\/[^/]+/.test(p)) return 'a home directory';
  if (/^\/root\//.test(p)) return "root's home directory";
  if (/^\/(private\/)?(tmp|var\/tmp|var\/folders)\//.test(p)) return 'a temporary directory';
  if (/^\/(builds?|buildroot|workspace|github\/workspace|__w|opt\/hostedtoolcache|nix\/var)\//.test(p)) return 'a build directory';
  if (/^\/(Volumes\/[^/]+\/)?(src|work|ws)\//.test(p) && /\/(build|out|target|dist|_build|cmake-build[^/]*)\//.test(p))
    return 'a build directory';
  if (/\/(cmake-build-[^/]+|CMakeFiles|DerivedData|\.build|target\/(release|debug)|target\/[^/]+\/(release|debug))\//.test(p))
    return 'a build directory';
  return null;
}

/** An ELF search path that does not start at `$ORIGIN` or the root: resolved from the current directory. */
export function isCwdRelative(p: string): boolean {
  return (
    p !== '' &&
    !p.startsWith('/') &&
    !p.startsWith('$ORIGIN') &&
    !p.startsWith('${ORIGIN}') &&
    !p.startsWith('$LIB') &&
    !p.startsWith('$PLATFORM')
  );
}

/** Mach-O LC_RPATH that dyld resolves against the working directory (no `@loader_path`/`@executable_path`, not absolute). */
export function isMacCwdRelative(p: string): boolean {
  return p !== '' && !p.startsWith('/') && !p.startsWith('@');
}

/** Quote a file name for a POSIX shell when it needs it. */
export function shellQuote(s: string): string {
  if (/^[A-Za-z0-9_./@%+=:,-]+$/.test(s)) return s;
  return `'${s.replace(/'/g, `'\\''`)}'`;
}
