// An element that scrolls must be reachable by keyboard, so its content can
// be scrolled with the arrow keys (WCAG 2.1.1; axe's scrollable-region-
// focusable). Elements that only sometimes overflow (a table wider than a
// phone, a long entitlements file) get a tab stop while, and only while,
// they do: every short table in a tab order helps nobody.

export function focusableWhenScrolling(node: HTMLElement): { destroy(): void } {
  const update = (): void => {
    const scrolls = node.scrollHeight > node.clientHeight + 1 || node.scrollWidth > node.clientWidth + 1;
    if (scrolls) node.tabIndex = 0;
    else node.removeAttribute('tabindex');
  };
  const ro = new ResizeObserver(update);
  ro.observe(node);
  // Its content growing changes what overflows without resizing the element.
  for (const child of node.children) ro.observe(child);
  update();
  return { destroy: () => ro.disconnect() };
}
