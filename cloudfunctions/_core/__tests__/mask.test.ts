import { maskPhone } from '../mask';

describe('maskPhone', () => {
  it('keeps the first three and last four digits of a mobile number', () => {
    expect(maskPhone('13812345678')).toBe('138****5678');
    expect(maskPhone('+86 138-1234-5678')).toBe('861****5678');
  });
  it('says plainly when there is no number and hides short ones entirely', () => {
    expect(maskPhone(undefined)).toBe('未留手机号');
    expect(maskPhone('12345')).toBe('***');
  });
});
