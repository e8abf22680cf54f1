export function decodeDpReg(w: u32): bool {
  return false;
}
