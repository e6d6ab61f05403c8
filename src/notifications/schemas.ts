/** The HTTP edge of notifications: what a member (or the koperasi's staff) was told, newest first. */
import { z } from 'zod';

export const notificationQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(30),
  cursor: z
    .string()
    .regex(/^\d{1,18}$/, 'a cursor from nextCursor')
    .optional(),
});

export const notificationView = z.object({
  id: z.string(),
  kind: z.string().describe('e.g. autodebet_paid, autodebet_over_limit, autodebet_insufficient'),
  title: z.string(),
  body: z.string(),
  subscriptionId: z.string().nullable(),
  paymentId: z.string().nullable(),
  createdAt: z.string(),
  readAt: z.string().nullable(),
});

export const notificationPage = z.object({
  items: z.array(notificationView),
  unread: z.number().int().describe('unread notifications in all, not only on this page'),
  nextCursor: z.string().nullable(),
});

export const markReadBody = z.union([
  z.strictObject({
    ids: z
      .array(z.string().regex(/^\d{1,18}$/, 'a notification id'))
      .min(1)
      .max(100),
  }),
  z.strictObject({ all: z.literal(true) }),
]);

export const markReadResult = z.object({
  marked: z.number().int().describe('notifications newly marked as read'),
  unread: z.number().int(),
});

export type NotificationQuery = z.output<typeof notificationQuery>;
export type NotificationPage = z.infer<typeof notificationPage>;
export type MarkReadInput = z.output<typeof markReadBody>;
