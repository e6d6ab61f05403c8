/**
 * Authenticated downloads (struk PDF, daily reports): fetch with the bearer token, take the body as
 * a Blob, and hand it to the browser through a temporary object URL and an <a download> click.
 */
import { request } from './api';

export interface Downloaded {
  name: string;
  size: number;
  type: string;
}

/** filename="laporan.csv" or filename*=UTF-8''… from Content-Disposition. */
export function fileNameFrom(disposition: string | null): string | undefined {
  if (!disposition) return undefined;
  const extended = /filename\*\s*=\s*(?:UTF-8'')?([^;]+)/i.exec(disposition);
  if (extended?.[1]) {
    try {
      return decodeURIComponent(extended[1].trim().replace(/^"|"$/g, ''));
    } catch {
      // fall back to the plain filename
    }
  }
  const plain = /filename\s*=\s*"?([^";]+)"?/i.exec(disposition);
  return plain?.[1]?.trim();
}

export async function download(path: string, fallbackName: string): Promise<Downloaded> {
  const response = await request(path, { headers: { accept: '*/*' } });
  const blob = await response.blob();
  const name = fileNameFrom(response.headers.get('content-disposition')) ?? fallbackName;
  const url = URL.createObjectURL(blob);
  const link = document.createElement('a');
  link.href = url;
  link.download = name;
  link.rel = 'noopener';
  link.hidden = true;
  document.body.append(link);
  link.click();
  link.remove();
  // Give the browser time to start the download before the URL dies.
  setTimeout(() => URL.revokeObjectURL(url), 60_000);
  return { name, size: blob.size, type: blob.type || (response.headers.get('content-type') ?? '') };
}
