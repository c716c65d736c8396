import { fullEntityRef, instantOption, labelsOption } from './values';

describe('instantOption', () => {
  it('reads every offset form as the instant it names', () => {
    for (const value of [
      '2026-07-01T01:00:00+02',
      '2026-07-01T04:30:00+0530',
      '2026-07-01T04:30:00+05:30',
      '2026-06-30T23:00Z',
    ]) {
      expect(instantOption('--finished-at', value)).toBe(
        '2026-06-30T23:00:00.000Z',
      );
    }
  });

  it('refuses a time without an offset, naming the option', () => {
    expect(() => instantOption('--started-at', '2026-07-01T01:00:00')).toThrow(
      "--started-at: '2026-07-01T01:00:00' is not an ISO-8601 date-time with an offset",
    );
    expect(() => instantOption('--finished-at', 'yesterday')).toThrow(
      /--finished-at/,
    );
  });
});

describe('fullEntityRef', () => {
  it('fills in the default kind and namespace, in lower case', () => {
    expect(fullEntityRef('checkout-api')).toBe(
      'component:default/checkout-api',
    );
    expect(fullEntityRef('Component:Payments/Checkout-API')).toBe(
      'component:payments/checkout-api',
    );
    expect(fullEntityRef('website:shop')).toBe('website:default/shop');
    expect(() => fullEntityRef('a:b:c')).toThrow(/--entity/);
  });
});

describe('labelsOption', () => {
  it('splits at the first =', () => {
    expect(labelsOption(['region=eu', 'query=a=b'])).toEqual({
      region: 'eu',
      query: 'a=b',
    });
    expect(() => labelsOption(['novalue'])).toThrow(
      "--label: 'novalue' is not key=value",
    );
  });
});
