/**
 * Messages that screen readers announce: the live region stays in the page and only its text
 * changes, which assistive technology reads reliably (an element inserted with its text is not).
 */
export function ErrorMessage({ message, id }: { message: string | undefined; id?: string }) {
  return (
    <div id={id} class="alert alert-error" role="alert" aria-live="assertive" aria-atomic="true">
      {message}
    </div>
  );
}

export function StatusMessage({
  message,
  tone = 'info',
}: {
  message: string | undefined;
  tone?: 'info' | 'success';
}) {
  return (
    <div class={`alert alert-${tone}`} role="status" aria-live="polite" aria-atomic="true">
      {message}
    </div>
  );
}
