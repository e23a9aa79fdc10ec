import { parseParameterCount } from './parameter-count';

describe('parseParameterCount', () => {
  it.each([
    ['7000000000', 7_000_000_000],
    ['7B', 7_000_000_000],
    ['7b', 7_000_000_000],
    ['1.5T', 1_500_000_000_000],
    ['350M', 350_000_000],
    ['125k', 125_000],
    ['1.1B', 1_100_000_000],
    ['0.5B', 500_000_000],
    [' 70B ', 70_000_000_000],
  ])('reads %s as %d', (input, expected) => {
    expect(parseParameterCount(input)).toBe(expected);
  });

  it.each(['abc', '', '7G', '-7B', '1.5', '7 B B', '1e9', '99999999999999999999'])('refuses %p', (input) => {
    expect(parseParameterCount(input)).toBeNull();
  });
});
