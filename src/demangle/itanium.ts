// LLVM's Itanium demangler (itanium/itanium.cpp over llvm/Demangle/ItaniumDemangle.h
// from LLVM 19, compiled to itanium.wasm): the text llvm-cxxfilt-19 prints.
// One name at a time crosses through a buffer in the module's memory.

interface Exports {
  memory: WebAssembly.Memory;
  bl_input(n: number): number;
  bl_output(): number;
  bl_demangle(n: number, params: number): number;
}

// The module imports three WASI calls that only libc's unused stdio paths
// reach; each answers ENOSYS.
const ENOSYS = 52;
const wasi = { fd_close: () => ENOSYS, fd_seek: () => ENOSYS, fd_write: () => ENOSYS };

export class ItaniumDemangler {
  private readonly encoder = new TextEncoder();
  private readonly decoder = new TextDecoder('utf-8');

  private x: Exports;

  private constructor(private readonly module: WebAssembly.Module) {
    this.x = ItaniumDemangler.instantiate(module);
  }

  private static instantiate(module: WebAssembly.Module): Exports {
    return new WebAssembly.Instance(module, { wasi_snapshot_preview1: wasi }).exports as unknown as Exports;
  }

  static async fromModule(module: WebAssembly.Module): Promise<ItaniumDemangler> {
    return new ItaniumDemangler(module);
  }

  static async fromBytes(bytes: Uint8Array): Promise<ItaniumDemangler> {
    return ItaniumDemangler.fromModule(await WebAssembly.compile(bytes as BufferSource));
  }

  /** The demangled text of a name in the Itanium C++ ABI's grammar, or null when it does not parse. */
  demangle(mangled: string, params = true): string | null {
    const bytes = this.encoder.encode(mangled);
    try {
      const at = this.x.bl_input(bytes.length);
      new Uint8Array(this.x.memory.buffer, at, bytes.length).set(bytes);
      const n = this.x.bl_demangle(bytes.length, params ? 1 : 0);
      if (n < 0) return null;
      return this.decoder.decode(new Uint8Array(this.x.memory.buffer, this.x.bl_output(), n));
    } catch (e) {
      // A trap (the stack ran out on a deeply nested name, memory could not
      // grow) leaves the instance's stack pointer where it stopped: start a
      // fresh one and show this name raw.
      if (!(e instanceof WebAssembly.RuntimeError) && !(e instanceof RangeError)) throw e;
      this.x = ItaniumDemangler.instantiate(this.module);
      return null;
    }
  }
}
