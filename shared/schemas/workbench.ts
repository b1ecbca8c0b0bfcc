import { z } from 'zod';
import { idSchema } from './common.js';
import { dashboardExports } from '../workbench.js';

/** The dashboard of a department subtree the user manages (default: where their status view opens). */
export const dashboardQuerySchema = z.object({ departmentId: idSchema.optional() });
export const dashboardExportQuerySchema = dashboardQuerySchema.extend({ block: z.enum(dashboardExports) });
