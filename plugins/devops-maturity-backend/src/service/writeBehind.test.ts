import { WriteBehind } from './writeBehind';

/** A write that finishes when `finish` is called; `log` records its start and end. */
function controlledWrite(name: string, log: string[]) {
  let finish!: (error?: Error) => void;
  const done = new Promise<void>((resolve, reject) => {
    finish = error => (error ? reject(error) : resolve());
  });
  return {
    write: async () => {
      log.push(`start ${name}`);
      await done;
      log.push(`end ${name}`);
    },
    finish: (error?: Error) => finish(error),
  };
}

describe('WriteBehind', () => {
  it('lets the caller work on while a write runs, one write at a time, in order', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const b = controlledWrite('b', log);
    const writes = new WriteBehind();
    await writes.push(a.write);
    log.push('computing the next part');
    const second = writes.push(b.write);
    await Promise.resolve();
    expect(log).toEqual(['start a', 'computing the next part']);
    a.finish();
    await second;
    b.finish();
    await writes.settle();
    expect(log).toEqual([
      'start a',
      'computing the next part',
      'end a',
      'start b',
      'end b',
    ]);
  });

  it('throws a failed write at the next push, and starts no write after it', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const b = controlledWrite('b', log);
    const writes = new WriteBehind();
    await writes.push(a.write);
    a.finish(new Error('disk full'));
    await expect(writes.push(b.write)).rejects.toThrow('disk full');
    expect(log).toEqual(['start a']);
  });

  it('answers around() only once the last write is done, with its failure', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const around = WriteBehind.around(true, async writes => {
      await writes.push(a.write);
      return 'computed';
    });
    let answered = false;
    around.then(
      () => (answered = true),
      () => (answered = true),
    );
    await new Promise(resolve => setImmediate(resolve));
    expect(answered).toBe(false);
    a.finish(new Error('conflict'));
    await expect(around).rejects.toThrow('conflict');
  });

  it('when the work fails, waits for the write in flight before throwing the work’s failure', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const around = WriteBehind.around(true, async writes => {
      await writes.push(a.write);
      throw new Error('catalog gone');
    });
    const settled = around.catch((error: Error) => {
      log.push(`failed: ${error.message}`);
    });
    await new Promise(resolve => setImmediate(resolve));
    expect(log).toEqual(['start a']);
    a.finish();
    await settled;
    expect(log).toEqual(['start a', 'end a', 'failed: catalog gone']);
  });

  it('throws both failures when the work and the write in flight fail', async () => {
    const a = controlledWrite('a', []);
    const around = WriteBehind.around(true, async writes => {
      await writes.push(a.write);
      throw new Error('catalog gone');
    });
    a.finish(new Error('disk full'));
    await expect(around).rejects.toThrow(
      'Error: catalog gone; and a write in flight failed: Error: disk full',
    );
  });

  it('waits for each write itself when writes cannot run beside the work', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const writes = new WriteBehind(false);
    const pushed = writes.push(a.write).then(() => log.push('pushed'));
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    a.finish();
    await pushed;
    expect(log).toEqual(['start a', 'end a', 'pushed']);
  });

  it('starts pushed writes one after the other even when pushes are not awaited', async () => {
    const log: string[] = [];
    const a = controlledWrite('a', log);
    const b = controlledWrite('b', log);
    const writes = new WriteBehind();
    const pushed = [writes.push(a.write), writes.push(b.write)];
    await Promise.resolve();
    expect(log).toEqual(['start a']);
    a.finish();
    await Promise.all(pushed);
    b.finish();
    await writes.settle();
    expect(log).toEqual(['start a', 'end a', 'start b', 'end b']);
  });
});
