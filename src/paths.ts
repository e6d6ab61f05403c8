/**
 * Files the service ships next to its code (migrations, the built web app), found from the project
 * root: the nearest folder with package.json. The same lookup works from src/ under tsx and from
 * dist/src/ in the container.
 */
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

function findRoot(start: string): string {
  let dir = start;
  while (!existsSync(join(dir, 'package.json'))) {
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no package.json above ${start}`);
    dir = parent;
  }
  return dir;
}

export const PROJECT_ROOT = findRoot(dirname(fileURLToPath(import.meta.url)));
export const MIGRATIONS_DIR = join(PROJECT_ROOT, 'migrations');
export const WEB_DIST = join(PROJECT_ROOT, 'web', 'dist');
