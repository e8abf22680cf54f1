export function decodeFpSimd(w: u32): bool {
  return false;
}
