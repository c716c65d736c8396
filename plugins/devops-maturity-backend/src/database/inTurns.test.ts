import { inTurns, SQLITE_ROWS_PER_TURN } from './fastWrites';

describe('inTurns', () => {
  it('lets the event loop turn first and after every SQLITE_ROWS_PER_TURN items', async () => {
    const items = Array.from(
      { length: SQLITE_ROWS_PER_TURN * 2.5 },
      (_, i) => i,
    );
    let handled = 0;
    /** How many items were handled at each turn of the event loop while they ran. */
    const atTurns: number[] = [];
    const tick = () => {
      atTurns.push(handled);
      if (handled < items.length) setImmediate(tick);
    };
    setImmediate(tick);
    await inTurns(items, () => {
      handled += 1;
    });
    expect(handled).toBe(items.length);
    expect(atTurns.slice(0, 3)).toEqual([
      0,
      SQLITE_ROWS_PER_TURN,
      SQLITE_ROWS_PER_TURN * 2,
    ]);
  });

  it('stops at the first failing item', async () => {
    const handled: number[] = [];
    await expect(
      inTurns([1, 2, 3], item => {
        if (item === 2) throw new Error('item 2 failed');
        handled.push(item);
      }),
    ).rejects.toThrow('item 2 failed');
    expect(handled).toEqual([1]);
  });
});
