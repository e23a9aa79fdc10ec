import { MAX_CHANGE_BYTES } from '@modelpulse/database';
import { MODEL_IDS_PER_MESSAGE, splitChange, type Change } from './change-events';

describe('splitChange', () => {
  it('keeps a change with few models as it is', () => {
    const change: Change = {
      type: 'stats.landed',
      modelIds: ['1', '2'],
      sources: ['huggingface'],
      fromDay: '2025-01-20',
    };
    expect(splitChange(change)).toEqual([change]);
  });

  it('splits a sync of 1 000 models into messages that NOTIFY takes, losing no id and keeping the day', () => {
    // The largest ids a bigint holds: the worst case for the payload size.
    const modelIds = Array.from({ length: 1000 }, (_, i) => String(9_223_372_036_854_775_807n - BigInt(i)));
    const parts = splitChange({ type: 'stats.landed', modelIds, sources: ['huggingface'], fromDay: '2025-01-20' });

    expect(parts).toHaveLength(Math.ceil(1000 / MODEL_IDS_PER_MESSAGE));
    expect(parts.flatMap((p) => ('modelIds' in p ? p.modelIds : []))).toEqual(modelIds);
    for (const part of parts) {
      expect(part).toMatchObject({ type: 'stats.landed', fromDay: '2025-01-20' });
      // The channel wraps each message with a 36-character origin.
      const payload = JSON.stringify({ origin: 'x'.repeat(36), message: part });
      expect(Buffer.byteLength(payload)).toBeLessThan(MAX_CHANGE_BYTES);
    }
  });

  it('leaves changes without model lists alone', () => {
    const change: Change = { type: 'snapshot.computed', ranking: 'trending', version: 'v1', asOf: '2025-01-20' };
    expect(splitChange(change)).toEqual([change]);
  });
});
