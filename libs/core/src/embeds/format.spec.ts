import { escapeMarkup, shortNumber } from './format';

describe('shortNumber', () => {
  it.each([
    [0, '0'],
    [950, '950'],
    [1_000, '1k'],
    [1_234, '1.2k'],
    [45_678, '45k'],
    [999_999, '999k'],
    [1_250_000, '1.2M'],
    [72_376_843, '72M'],
    [671_000_000_000, '671B'],
    [7_610_000_000, '7.6B'],
    [1_500_000_000_000, '1.5T'],
    [-1_200, '-1.2k'],
  ])('writes %d as %s', (value, text) => {
    expect(shortNumber(value)).toBe(text);
  });
});

describe('escapeMarkup', () => {
  it('turns markup in model-supplied text into text', () => {
    expect(escapeMarkup('<script>alert(1)</script>')).toBe('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(escapeMarkup(`"><img src=x onerror='a&b'>`)).toBe('&quot;&gt;&lt;img src=x onerror=&#39;a&amp;b&#39;&gt;');
  });
});
