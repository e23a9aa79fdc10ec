import { parseArgs } from 'node:util';
import { addDays, utcDay } from '@modelpulse/core/days';
import type { DatasetOptions } from './dataset';

const USAGE = 'usage: npm run bench:data -- [--models 100000] [--days 180] [--seed 1] [--last-day YYYY-MM-DD]';

function wholeNumber(name: string, raw: string, min: number, max: number): number {
  if (!/^\d+$/.test(raw) || Number(raw) < min || Number(raw) > max) {
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${raw}"\n${USAGE}`);
  }
  return Number(raw);
}

/** The dataset's sizes from the command line; the last day defaults to the latest complete UTC day. */
export function parseDatasetArgs(args: string[], today: string): DatasetOptions {
  const { values } = parseArgs({
    args,
    options: {
      models: { type: 'string', default: '100000' },
      days: { type: 'string', default: '180' },
      seed: { type: 'string', default: '1' },
      'last-day': { type: 'string' },
    },
    strict: true,
  });
  const lastDay = values['last-day'] ?? addDays(today, -1);
  if (!/^\d{4}-\d{2}-\d{2}$/.test(lastDay) || utcDay(new Date(`${lastDay}T00:00:00Z`)) !== lastDay) {
    throw new Error(`--last-day must be a date (YYYY-MM-DD), got "${lastDay}"\n${USAGE}`);
  }
  if (lastDay >= today) throw new Error(`--last-day must be a complete day, before ${today}\n${USAGE}`);
  return {
    models: wholeNumber('models', values.models, 1, 2_000_000),
    days: wholeNumber('days', values.days, 1, 3650),
    seed: wholeNumber('seed', values.seed, 0, 2 ** 31),
    lastDay,
  };
}
