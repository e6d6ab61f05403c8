/** "No connection": shown at the top of the member's screens while the phone is offline; gone when it is back. */
import { useOnline } from '../connectivity';

export const OFFLINE_TEXT = 'Tidak ada koneksi internet. Pembayaran belum dikirim.';

export function OfflineBanner() {
  const online = useOnline();
  return (
    <div
      class="offline-banner"
      role="status"
      aria-live="assertive"
      hidden={online}
      data-testid="offline-banner"
    >
      {online ? '' : OFFLINE_TEXT}
    </div>
  );
}
