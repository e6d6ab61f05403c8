/** `npm run simulate -- --seed N --seconds S [--json] [--api N] [--workers M]`, parsed with zod. */
import { parseArgs } from 'node:util';
import { z } from 'zod';

const argsSchema = z.object({
  seed: z.coerce
    .number()
    .int()
    .min(0)
    .max(2 ** 31 - 1),
  seconds: z.coerce.number().int().min(20).max(7_200),
  json: z.boolean(),
  api: z.coerce.number().int().min(1).max(8),
  workers: z.coerce.number().int().min(1).max(8),
});

export type SimArgs = z.infer<typeof argsSchema>;

export const USAGE = 'usage: npm run simulate -- --seed N --seconds S [--json] [--api N] [--workers M]';

export function parseSimArgs(argv: string[]): SimArgs {
  const { values } = parseArgs({
    args: argv,
    options: {
      seed: { type: 'string' },
      seconds: { type: 'string', default: '60' },
      json: { type: 'boolean', default: false },
      api: { type: 'string', default: '1' },
      workers: { type: 'string', default: '2' },
    },
    strict: true,
  });
  const parsed = argsSchema.safeParse(values);
  if (!parsed.success) throw new Error(`${z.prettifyError(parsed.error)}\n${USAGE}`);
  return parsed.data;
}

/** The one line that replays a run. */
export const replayCommand = (args: Pick<SimArgs, 'seed' | 'seconds' | 'api' | 'workers'>) =>
  `npm run simulate -- --seed ${args.seed} --seconds ${args.seconds} --api ${args.api} --workers ${args.workers}`;
