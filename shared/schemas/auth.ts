import { z } from 'zod';
import { passwordSchema } from './common.js';

export const loginSchema = z.object({
  email: z.string().min(1, 'is required').max(254),
  password: z.string().min(1, 'is required').max(200),
});
export type LoginInput = z.infer<typeof loginSchema>;

export const changePasswordSchema = z.object({
  currentPassword: z.string().min(1, 'is required').max(200),
  newPassword: passwordSchema,
});
