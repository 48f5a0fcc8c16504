/** Masks a mainland mobile number for roles that do not need it: 138****5678. */
export function maskPhone(phone: string | undefined): string {
  if (!phone) return '未留手机号';
  const digits = phone.replace(/\D/g, '');
  if (digits.length < 7) return '***';
  return `${digits.slice(0, 3)}****${digits.slice(-4)}`;
}
