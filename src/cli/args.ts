// Minimal argument parsing shared by the CLI's commands.

export interface Args {
  positional: string[];
  flags: Map<string, string | true>;
}

/** Flags that take a value (`--arch arm64`, `--arch=arm64`); everything else starting with `--` is boolean. */
const VALUED = new Set(['arch', 'section', 'start', 'count', 'base', 'from-link', 'limit', 'target', 'by']);

export function parseArgs(argv: string[]): Args {
  const positional: string[] = [];
  const flags = new Map<string, string | true>();
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === '--') {
      positional.push(...argv.slice(i + 1));
      break;
    }
    if (a.startsWith('--')) {
      const eq = a.indexOf('=');
      const name = eq === -1 ? a.slice(2) : a.slice(2, eq);
      if (eq !== -1) flags.set(name, a.slice(eq + 1));
      else if (VALUED.has(name) && i + 1 < argv.length) flags.set(name, argv[++i]!);
      else flags.set(name, true);
    } else positional.push(a);
  }
  return { positional, flags };
}

export function flag(args: Args, name: string): string | undefined {
  const v = args.flags.get(name);
  return typeof v === 'string' ? v : undefined;
}
