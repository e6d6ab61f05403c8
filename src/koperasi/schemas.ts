import { z } from 'zod';
import { koperasiCodeSchema, nameSchema, passwordSchema, usernameSchema } from '../http/schemas.js';

export const createKoperasiBody = z.strictObject({
  code: koperasiCodeSchema,
  name: nameSchema,
  /** The city/regency whose cooperative office supervises it (supervisors of that region see it). */
  region: nameSchema.optional(),
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
  region: z.string().nullable(),
  treasurer: z.object({ id: z.string().uuid(), username: z.string() }),
  createdAt: z.string(),
});

export type CreateKoperasiInput = z.output<typeof createKoperasiBody>;
