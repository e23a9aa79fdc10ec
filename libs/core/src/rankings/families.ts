/**
 * Each model's family, named by one of its members: the union of
 * weight-derivation links, base to derived, whatever their depth. Pure.
 */
export function familiesOf(links: Iterable<{ derived: string; base: string }>): Map<string, string> {
  const parent = new Map<string, string>();
  const find = (id: string): string => {
    let root = id;
    while (parent.has(root) && parent.get(root) !== root) root = parent.get(root)!;
    parent.set(id, root);
    return root;
  };
  for (const { derived, base } of links) {
    const a = find(derived);
    const b = find(base);
    if (a !== b) parent.set(a < b ? b : a, a < b ? a : b);
  }
  return new Map([...parent.keys()].map((id) => [id, find(id)]));
}
