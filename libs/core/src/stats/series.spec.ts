import { bucket, fillDays, isoWeek, seriesTotal } from './series';

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
  it('shows a day without a stored figure as unknown (null), never as 0, and a stored 0 as 0', () => {
    const rows = [
      { day: '2025-01-20', value: 0, imputed: false, flags: [] },
      { day: '2025-01-21', value: 5, imputed: true, flags: [] },
    ];
    expect(fillDays(rows, '2025-01-20', '2025-01-22')).toEqual([
      { day: '2025-01-20', value: 0, imputed: false, flags: [] },
      { day: '2025-01-21', value: 5, imputed: true, flags: [] },
      { day: '2025-01-22', value: null, imputed: false, flags: [] },
    ]);
  });

  it('shows a day without events as 0 once we count them ourselves, and unknown before', () => {
    const rows = [{ day: '2025-01-21', value: 2, imputed: false, flags: [] }];
    expect(fillDays(rows, '2025-01-20', '2025-01-23', '2025-01-21').map((d) => [d.day, d.value])).toEqual([
      ['2025-01-20', null],
      ['2025-01-21', 2],
      ['2025-01-22', 0],
      ['2025-01-23', 0],
    ]);
  });
});

describe('bucket', () => {
  // Friday 31 January to Wednesday 5 February; the sync broke after the 3rd.
  const days = fillDays(
    [
      { day: '2025-01-31', value: 10, imputed: false, flags: [] },
      { day: '2025-02-01', value: 20, imputed: true, flags: ['decrease'] },
      { day: '2025-02-02', value: 0, imputed: false, flags: [] },
      { day: '2025-02-03', value: 40, imputed: false, flags: [] },
    ],
    '2025-01-31',
    '2025-02-05',
  );

  it('sums the known days of ISO weeks, Monday to Sunday, and counts the unknown ones', () => {
    expect(bucket(days, 'week')).toEqual([
      { date: '2025-01-27', period: '2025-W05', value: 30, imputed: true, flags: ['decrease'], unknownDays: 0 },
      { date: '2025-02-03', period: '2025-W06', value: 40, imputed: false, flags: [], unknownDays: 2 },
    ]);
  });

  it('sums the known days of calendar months', () => {
    expect(bucket(days, 'month')).toEqual([
      { date: '2025-01-01', period: '2025-01', value: 10, imputed: false, flags: [], unknownDays: 0 },
      { date: '2025-02-01', period: '2025-02', value: 60, imputed: true, flags: ['decrease'], unknownDays: 2 },
    ]);
  });

  it('keeps days as they are: a stored 0 is 0, a missing day null', () => {
    expect(bucket(days, 'day').map((p) => [p.date, p.value, p.unknownDays])).toEqual([
      ['2025-01-31', 10, 0],
      ['2025-02-01', 20, 0],
      ['2025-02-02', 0, 0],
      ['2025-02-03', 40, 0],
      ['2025-02-04', null, 1],
      ['2025-02-05', null, 1],
    ]);
  });

  it('gives a week whose days are all unknown no value rather than 0', () => {
    const broken = fillDays([{ day: '2025-02-02', value: 7, imputed: false, flags: [] }], '2025-02-02', '2025-02-09');
    expect(bucket(broken, 'week')).toEqual([
      { date: '2025-01-27', period: '2025-W05', value: 7, imputed: false, flags: [], unknownDays: 0 },
      { date: '2025-02-03', period: '2025-W06', value: null, imputed: false, flags: [], unknownDays: 7 },
    ]);
  });
});

describe('seriesTotal', () => {
  it('totals the known days and says how many were unknown', () => {
    const points = bucket(
      fillDays([{ day: '2025-01-21', value: 20_000, imputed: false, flags: [] }], '2025-01-21', '2025-01-24'),
      'day',
    );
    expect(seriesTotal(points)).toEqual({ total: 20_000, unknownDays: 3 });
  });

  it('has no total when no day is known, rather than a total of 0', () => {
    expect(seriesTotal(bucket(fillDays([], '2025-01-21', '2025-01-22'), 'day'))).toEqual({
      total: null,
      unknownDays: 2,
    });
    expect(seriesTotal([])).toEqual({ total: null, unknownDays: 0 });
  });
});
