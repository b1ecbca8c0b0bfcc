import type { DepartmentDTO } from '../../../../../shared/dto';
import { buildDepartmentTree, flattenTree } from './tree';

/** `<option>`s for every department in tree order, indented by depth. */
export function DepartmentOptions({ departments, exclude }: { departments: DepartmentDTO[]; exclude?: Set<string> }) {
  return (
    <>
      {flattenTree(buildDepartmentTree(departments))
        .filter((d) => !exclude?.has(d.id))
        .map((d) => (
          <option key={d.id} value={d.id}>
            {'\u3000'.repeat(d.depth) + d.name}
          </option>
        ))}
    </>
  );
}
