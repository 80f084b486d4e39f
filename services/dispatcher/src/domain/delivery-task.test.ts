import { describe, expect, it } from 'vitest';
import { parseTask, taskMessage } from './delivery-task.js';

describe('parseTask', () => {
  it('reads back what taskMessage wrote', () => {
    const message = taskMessage({ kind: 'connection', connectionId: 'conn_1' });
    expect(parseTask(message.value)).toEqual({ ok: true, task: { kind: 'connection', connectionId: 'conn_1' } });
  });

  it('rejects with the dead-letter codes: invalid_json, or invalid_delivery_task with the issues', () => {
    expect(parseTask('{nope')).toMatchObject({
      ok: false,
      code: 'invalid_json',
      reason: 'unparsable delivery task: not JSON',
    });
    const rejected = parseTask(JSON.stringify({ kind: 'connection', connectionId: '' }));
    expect(rejected).toMatchObject({
      ok: false,
      code: 'invalid_delivery_task',
      reason: expect.stringMatching(/^invalid delivery task: connectionId /),
    });
    expect(!rejected.ok && rejected.issues).toEqual([
      expect.objectContaining({ path: 'connectionId', rule: 'too_small' }),
    ]);
  });
});
