import { bucket, fillDays, isoWeek } from './series';

describe('isoWeek', () => {
  it.each([
    ['2025-01-20', '2025-01-20', '2025-W04'],
    ['2025-01-26', '2025-01-20', '2025-W04'],
    // 2024-12-30 is the Monday of week 1 of 2025.
    ['2024-12-31', '2024-12-30', '2025-W01'],
    // 2021-01-03 (a Sunday) still belongs to the last week of 2020.
    ['2021-01-03', '2020-12-28', '2020-W53'],
  ])('puts %s in the week of Monday %s, %s', (day, monday, name) => {
    expect(isoWeek(day)).toEqual({ monday, name });
  });
});

describe('fillDays', () => {
  it('fills the days without figures with zeros', () => {
    expect(fillDays([{ day: '2025-01-21', value: 5, imputed: true, flags: [] }], '2025-01-20', '2025-01-22')).toEqual([
      { day: '2025-01-20', value: 0, imputed: false, flags: [] },
      { day: '2025-01-21', value: 5, imputed: true, flags: [] },
      { day: '2025-01-22', value: 0, imputed: false, flags: [] },
    ]);
  });
});

describe('bucket', () => {
  const days = fillDays(
    [
      { day: '2025-01-31', value: 10, imputed: false, flags: [] },
      { day: '2025-02-01', value: 20, imputed: true, flags: ['decrease'] },
      { day: '2025-02-03', value: 40, imputed: false, flags: [] },
    ],
    '2025-01-31',
    '2025-02-03',
  );

  it('sums ISO weeks, Monday to Sunday', () => {
    expect(bucket(days, 'week')).toEqual([
      { date: '2025-01-27', period: '2025-W05', value: 30, imputed: true, flags: ['decrease'] },
      { date: '2025-02-03', period: '2025-W06', value: 40, imputed: false, flags: [] },
    ]);
  });

  it('sums calendar months', () => {
    expect(bucket(days, 'month')).toEqual([
      { date: '2025-01-01', period: '2025-01', value: 10, imputed: false, flags: [] },
      { date: '2025-02-01', period: '2025-02', value: 60, imputed: true, flags: ['decrease'] },
    ]);
  });

  it('keeps days as they are', () => {
    expect(bucket(days, 'day').map((p) => [p.date, p.value])).toEqual([
      ['2025-01-31', 10],
      ['2025-02-01', 20],
      ['2025-02-02', 0],
      ['2025-02-03', 40],
    ]);
  });
});
