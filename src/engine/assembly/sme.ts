export function decodeSme(w: u32): bool {
  return false;
}
