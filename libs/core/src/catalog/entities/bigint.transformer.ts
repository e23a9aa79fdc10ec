import type { ValueTransformer } from 'typeorm';

/** bigint columns come back from pg as strings; counts here stay below 2^53. */
export const bigintTransformer: ValueTransformer = {
  to: (value: number | null | undefined) => value,
  from: (value: string | null) => (value === null ? null : Number(value)),
};
