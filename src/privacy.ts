/** Customer numbers (IDPEL, meter, BPJS VA) are personal data (UU 27/2022): show only the last 4. */
export function maskCustomerNo(customerNo: string): string {
  if (customerNo.length <= 4) return '*'.repeat(customerNo.length);
  return '*'.repeat(customerNo.length - 4) + customerNo.slice(-4);
}
