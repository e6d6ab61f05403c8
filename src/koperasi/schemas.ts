import { z } from 'zod';
import { koperasiCodeSchema, nameSchema, passwordSchema, usernameSchema } from '../http/schemas.js';

export const createKoperasiBody = z.strictObject({
  code: koperasiCodeSchema,
  name: nameSchema,
  treasurer: z.strictObject({
    username: usernameSchema,
    password: passwordSchema,
    name: nameSchema.optional(),
  }),
});

export const koperasiResponse = z.object({
  id: z.string().uuid(),
  code: z.string(),
  name: z.string(),
  treasurer: z.object({ id: z.string().uuid(), username: z.string() }),
  createdAt: z.string(),
});

export type CreateKoperasiInput = z.output<typeof createKoperasiBody>;
