import { SteeredTime } from '../../../src/sandbox/steered-time';

describe('SteeredTime', () => {
  it('when time passes, then timers fire in order of due time, each at its own instant, and periodic ones again', async () => {
    const time = new SteeredTime(1_000);
    const fired: string[] = [];
    time.after(300, () => void fired.push(`once@${time.now()}`));
    time.every(200, () => void fired.push(`every@${time.now()}`));
    time.after(200, () => void fired.push(`tie@${time.now()}`));
    await time.pass(600);
    expect(fired).toEqual(['every@1200', 'tie@1200', 'once@1300', 'every@1400', 'every@1600']);
    expect(time.now()).toBe(1_600);
  });

  it('when a timer returns a promise, then the next timer waits for it, and for `settle`', async () => {
    const time = new SteeredTime(0);
    const order: string[] = [];
    time.after(10, async () => {
      await new Promise((resolve) => setTimeout(resolve, 20)); // real I/O-like work
      order.push('first done');
    });
    time.after(10, () => void order.push('second'));
    await time.pass(10, async () => void order.push('settled'));
    expect(order).toEqual(['first done', 'settled', 'second', 'settled']);
  });

  it('when a timer is cancelled, or time is only advanced, then nothing fires until it passes', async () => {
    const time = new SteeredTime(0);
    const fired: number[] = [];
    const cancel = time.after(10, () => void fired.push(1));
    time.after(20, () => void fired.push(2));
    cancel();
    time.advance(50);
    expect(fired).toEqual([]);
    await time.pass(0);
    expect(fired).toEqual([2]);
    expect(time.pending).toBe(0);
  });

  it('when a timer sets a timer due within the span, then that one fires in the same pass', async () => {
    const time = new SteeredTime(0);
    const fired: number[] = [];
    time.after(10, () => void time.after(10, () => void fired.push(time.now())));
    await time.pass(30);
    expect(fired).toEqual([20]);
  });
});
