/** The koperasi's audit log for the treasurer and the pengawas. */
import { AuditLog } from '../../components/audit-log';
import { PageTitle } from '../../components/page-title';

export function AuditScreen() {
  return (
    <>
      <PageTitle title="Audit">Log audit</PageTitle>
      <p class="muted">
        Setiap perubahan di koperasi ini tercatat: siapa, apa, kapan (WIB) dan alasannya. Catatan tidak dapat
        diubah atau dihapus.
      </p>
      <AuditLog path="/v1/audit" />
    </>
  );
}
