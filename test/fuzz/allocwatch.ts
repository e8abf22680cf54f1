// Records the largest single allocation a case asks for: typed arrays,
// ArrayBuffers and Arrays created with a length. A parser that sizes a buffer
// or an array by a count from the file shows up here even when the
// allocation is brief (a process.memoryUsage() sample after the case would
// miss it) or when V8 would refuse it with a RangeError.
//
// The constructors are replaced by Proxies: `instanceof`, statics and
// subclassing keep working because every other operation is forwarded.

let largest = 0;
let largestWhat = '';
let installed = false;

function note(bytes: number, what: string): void {
  if (bytes > largest) {
    largest = bytes;
    largestWhat = what;
  }
}

function sizeOf(args: unknown[], bytesPer: number): number {
  const a = args[0];
  if (typeof a === 'number') return a * bytesPer;
  if (a && typeof a === 'object' && !(a instanceof ArrayBuffer) && !ArrayBuffer.isView(a) && 'length' in a) {
    const n = (a as { length: unknown }).length;
    return typeof n === 'number' ? n * bytesPer : 0;
  }
  return 0;
}

const TYPED = [
  'Int8Array',
  'Uint8Array',
  'Uint8ClampedArray',
  'Int16Array',
  'Uint16Array',
  'Int32Array',
  'Uint32Array',
  'Float32Array',
  'Float64Array',
  'BigInt64Array',
  'BigUint64Array',
] as const;

/** Patches the global constructors once per realm (a fuzz worker or the vitest worker). */
export function installAllocWatch(): void {
  if (installed) return;
  installed = true;
  const g = globalThis as unknown as Record<string, unknown>;
  for (const name of TYPED) {
    const C = g[name] as { BYTES_PER_ELEMENT: number } & (new (...a: unknown[]) => unknown);
    const per = C.BYTES_PER_ELEMENT;
    g[name] = new Proxy(C, {
      construct(target, args, newTarget) {
        note(sizeOf(args, per), `new ${name}(${String(args[0]).slice(0, 20)})`);
        return Reflect.construct(target, args, newTarget === g[name] ? target : newTarget);
      },
    });
  }
  const AB = ArrayBuffer;
  g.ArrayBuffer = new Proxy(AB, {
    construct(target, args, newTarget) {
      note(typeof args[0] === 'number' ? args[0] : 0, `new ArrayBuffer(${String(args[0])})`);
      return Reflect.construct(target, args, newTarget === g.ArrayBuffer ? target : newTarget);
    },
  });
  // A JS array slot is 8 bytes: new Array(n) / Array(n) / Array.from({ length: n }).
  const A = Array;
  const arr = (args: unknown[], how: string) => {
    if (args.length === 1 && typeof args[0] === 'number') note(args[0] * 8, `${how}(${args[0]})`);
  };
  g.Array = new Proxy(A, {
    construct(target, args, newTarget) {
      arr(args, 'new Array');
      return Reflect.construct(target, args, newTarget === g.Array ? target : newTarget);
    },
    apply(target, self, args) {
      arr(args, 'Array');
      return Reflect.apply(target, self, args);
    },
    get(target, prop, receiver) {
      if (prop === 'from') {
        return (src: unknown, ...rest: unknown[]) => {
          if (
            src &&
            typeof src === 'object' &&
            'length' in src &&
            typeof (src as { length: unknown }).length === 'number' &&
            !(Symbol.iterator in src)
          ) {
            note((src as { length: number }).length * 8, `Array.from({ length: ${(src as { length: number }).length} })`);
          }
          return (target.from as (...a: unknown[]) => unknown)(src, ...rest);
        };
      }
      return Reflect.get(target, prop, receiver);
    },
  });
}

/** Starts a new measurement (call before each case). */
export function resetAllocWatch(): void {
  largest = 0;
  largestWhat = '';
}

export function largestAllocation(): { bytes: number; what: string } {
  return { bytes: largest, what: largestWhat };
}
