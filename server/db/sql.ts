/**
 * A PostgreSQL array literal for a `?::type[]` parameter. MikroORM's raw queries expand a
 * JavaScript array into a list of parameters, so arrays are passed as one literal instead.
 */
export function pgArray(values: readonly (string | number)[]): string {
  return `{${values.map((v) => `"${String(v).replace(/["\\]/g, (c) => '\\' + c)}"`).join(',')}}`;
}
