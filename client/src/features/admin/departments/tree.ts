import type { DepartmentDTO } from '../../../../../shared/dto';

export type DepartmentNode = DepartmentDTO & { children: DepartmentNode[]; depth: number };

/** Builds the department tree from the flat list (roots first; a dangling parent makes a root). */
export function buildDepartmentTree(departments: DepartmentDTO[]): DepartmentNode[] {
  const nodes = new Map<string, DepartmentNode>(departments.map((d) => [d.id, { ...d, children: [], depth: 0 }]));
  const roots: DepartmentNode[] = [];
  for (const node of nodes.values()) {
    const parent = node.parentId ? nodes.get(node.parentId) : undefined;
    if (parent) parent.children.push(node);
    else roots.push(node);
  }
  const byName = (a: DepartmentNode, b: DepartmentNode) => a.name.localeCompare(b.name, 'zh-CN');
  const settle = (list: DepartmentNode[], depth: number) => {
    list.sort(byName);
    for (const node of list) {
      node.depth = depth;
      settle(node.children, depth + 1);
    }
  };
  settle(roots, 0);
  return roots;
}

/** The tree in display order, each node once, for indented option lists. */
export function flattenTree(roots: DepartmentNode[]): DepartmentNode[] {
  const out: DepartmentNode[] = [];
  const walk = (list: DepartmentNode[]) => {
    for (const node of list) {
      out.push(node);
      walk(node.children);
    }
  };
  walk(roots);
  return out;
}

/** The ids of a department and everything below it: places it cannot move under. */
export function subtreeIds(departments: DepartmentDTO[], rootId: string): Set<string> {
  const ids = new Set([rootId]);
  let grew = true;
  while (grew) {
    grew = false;
    for (const d of departments) {
      if (d.parentId && ids.has(d.parentId) && !ids.has(d.id)) {
        ids.add(d.id);
        grew = true;
      }
    }
  }
  return ids;
}
