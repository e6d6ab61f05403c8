import { z } from 'zod';
import {
  koperasiCodeSchema,
  nameSchema,
  passwordSchema,
  phoneSchema,
  usernameSchema,
} from '../http/schemas.js';

export const createKoperasiBody = z.strictObject({
  code: koperasiCodeSchema,
  name: nameSchema,
  /** The city/regency whose cooperative office supervises it (supervisors of that region see it). */
  region: nameSchema.optional(),
  treasurer: z.strictObject({
    username: usernameSchema,
    password: passwordSchema,
    name: nameSchema.optional(),
    /** Shown to members who forgot their PIN or password (GET /v1/koperasi/{code}/contact). */
    phone: phoneSchema.optional(),
  }),
});

export const koperasiCodeParams = z.strictObject({ code: koperasiCodeSchema });

/** Only whom to call: no ids, no other people, no figures. */
export const koperasiContact = z.object({
  name: z.string(),
  treasurerName: z.string().nullable(),
  treasurerPhone: z.string().nullable(),
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
