export function decodeSve(w: u32): bool {
  return false;
}
