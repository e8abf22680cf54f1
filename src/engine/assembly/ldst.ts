export function decodeLdSt(w: u32): bool {
  return false;
}
