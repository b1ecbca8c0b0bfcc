import { useI18n } from '../../../i18n';
import type { DepartmentNode } from './tree';

/** The organisation as a nested list; clicking a department selects it for editing. */
export function DepartmentTree({ roots, selectedId, onSelect }: { roots: DepartmentNode[]; selectedId: string | null; onSelect: (id: string) => void }) {
  const { t } = useI18n();
  if (roots.length === 0) return <p className="muted">{t('departments.empty')}</p>;
  const render = (nodes: DepartmentNode[]) => (
    <ul className="tree">
      {nodes.map((node) => (
        <li key={node.id}>
          <button
            type="button"
            className={node.id === selectedId ? 'tree-node selected' : 'tree-node'}
            data-testid="department-node"
            data-id={node.id}
            data-name={node.name}
            aria-pressed={node.id === selectedId}
            onClick={() => onSelect(node.id)}
          >
            <span className="tree-name">{node.name}</span>
            <span className="muted tree-count">{t('departments.members', { count: node.memberCount })}</span>
          </button>
          {node.children.length > 0 && render(node.children)}
        </li>
      ))}
    </ul>
  );
  return (
    <nav aria-label={t('departments.tree')} data-testid="department-tree">
      {render(roots)}
    </nav>
  );
}
