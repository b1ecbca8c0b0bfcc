import { z } from 'zod';
import { lineSchema } from './common.js';
import { strongPasswordSchema } from './password.js';

export const loginSchema = z.object({
  email: lineSchema().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(200),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: strongPasswordSchema,
});
