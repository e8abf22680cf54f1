// Address of the instruction being decoded: branch and literal targets are
// relative to it. Its own module so the decoders read it without importing
// decode.ts, which imports them.

export let pc: u64 = 0;

@inline export function setPc(address: u64): void {
  pc = address;
}
