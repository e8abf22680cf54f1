export function decodeBranchSys(w: u32): bool {
  return false;
}
