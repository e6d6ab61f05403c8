/** Member home: balance, the products to pay, the latest payments. */
import { HelpContact } from '../../components/help-contact';
import { BalanceCard } from '../../components/balance-card';
import { CategoryIcon } from '../../components/icons';
import { PageTitle } from '../../components/page-title';
import { PaymentList } from '../../components/payment-list';
import { rupiah } from '../../format';
import { href } from '../../router';
import type { Me, Product } from '../../types';

export function ProductLinks({ products }: { products: Product[] }) {
  return (
    <ul class="products" aria-label="Pilih produk">
      {products.map((p) => (
        <li key={p.code}>
          <a class="product" href={href('bayar', p.code)}>
            <CategoryIcon category={p.category} />
            <span>
              <strong>{p.name}</strong>
              <span class="muted small block">
                {p.cutOff?.active
                  ? `Tutup ${p.cutOff.start.replace(':', '.')}–${p.cutOff.end.replace(':', '.')} WIB`
                  : `Biaya koperasi ${rupiah(p.koperasiFee)}`}
              </span>
            </span>
          </a>
        </li>
      ))}
    </ul>
  );
}

export function MemberHome({ me, products }: { me: Me; products: Product[] | null }) {
  return (
    <>
      <PageTitle title="Beranda">Halo, {me.name}</PageTitle>
      <BalanceCard me={me} />
      {me.pinLocked && (
        <p class="alert alert-warning">
          PIN Anda terkunci karena terlalu sering salah. Hubungi bendahara koperasi untuk membukanya.
        </p>
      )}
      {me.pinLocked && <HelpContact koperasiCode={me.koperasi.code} about="PIN saya yang terkunci" />}
      <h2>Bayar tagihan</h2>
      {products ? <ProductLinks products={products} /> : <p class="muted">Memuat produk…</p>}
      <h2>Pembayaran terakhir</h2>
      <PaymentList
        label="Pembayaran terakhir"
        empty="Belum ada pembayaran."
        pageSize={5}
        paging={false}
        payAgain
      />
      <p>
        <a href={href('riwayat')}>Lihat semua riwayat</a>
      </p>
    </>
  );
}
