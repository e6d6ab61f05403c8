/** Column helpers shared by the table definitions. */
import { bigint, customType, timestamp } from 'drizzle-orm/pg-core';

export const money = (name: string) => bigint(name, { mode: 'bigint' });
export const id64 = (name: string) => bigint(name, { mode: 'bigint' });
export const createdAt = () => timestamp('created_at', { withTimezone: true }).notNull().defaultNow();
export const bytea = customType<{ data: Buffer }>({ dataType: () => 'bytea' });
