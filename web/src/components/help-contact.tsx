/**
 * "Butuh bantuan?": the koperasi's treasurer by name, a phone link and WhatsApp with a message already written
 * (naming the payment when there is one). Shown wherever a member may be left wondering: a failed, pending or
 * refunded payment, a locked PIN.
 */
import { useEffect, useState } from 'preact/hooks';
import { get } from '../api';
import type { KoperasiContact } from '../types';

/** 0812… → 62812… for wa.me (international form, digits only). */
export function waNumber(phone: string): string {
  const digits = phone.replace(/\D/g, '');
  return digits.startsWith('0') ? `62${digits.slice(1)}` : digits;
}

const cache = new Map<string, Promise<KoperasiContact | null>>();
function contactOf(code: string): Promise<KoperasiContact | null> {
  let found = cache.get(code);
  if (!found) {
    found = get<KoperasiContact>(`/v1/koperasi/${encodeURIComponent(code)}/contact`).catch(() => null);
    cache.set(code, found);
  }
  return found;
}

export function HelpContact({ koperasiCode, about }: { koperasiCode: string; about?: string }) {
  const [contact, setContact] = useState<KoperasiContact | null>(null);
  useEffect(() => {
    void contactOf(koperasiCode).then(setContact);
  }, [koperasiCode]);
  if (!contact?.treasurerName) return null;
  const message = `Halo ${contact.treasurerName}, saya anggota ${contact.name}. ${
    about ? `Saya ingin bertanya tentang ${about}.` : 'Saya butuh bantuan.'
  }`;
  return (
    <aside class="help-contact" aria-label="Bantuan">
      <p>
        Butuh bantuan? Hubungi bendahara
        {/* A treasurer registered under the name "Bendahara" is not named twice. */}
        {contact.treasurerName.trim().toLowerCase() === 'bendahara' ? null : (
          <>
            {' '}
            <strong>{contact.treasurerName}</strong>
          </>
        )}
        {contact.treasurerPhone ? (
          <>
            {' '}
            di <a href={`tel:${contact.treasurerPhone}`}>{contact.treasurerPhone}</a>
          </>
        ) : (
          ' di kantor koperasi'
        )}
        .
      </p>
      {contact.treasurerPhone && (
        <p>
          <a
            class="button secondary"
            href={`https://wa.me/${waNumber(contact.treasurerPhone)}?text=${encodeURIComponent(message)}`}
            target="_blank"
            rel="noopener noreferrer"
          >
            Tanya lewat WhatsApp
          </a>
        </p>
      )}
    </aside>
  );
}
