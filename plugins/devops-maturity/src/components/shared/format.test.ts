import { formatDuration, formatFrequency, formatPercent } from './format';

describe('format', () => {
  it('says durations in the two largest units', () => {
    expect(formatDuration(42)).toBe('42 s');
    expect(formatDuration(12 * 60 + 5)).toBe('12 min');
    expect(formatDuration(3 * 3600 + 20 * 60)).toBe('3 h 20 min');
    expect(formatDuration(3 * 3600)).toBe('3 h');
    expect(formatDuration(4 * 86400 + 6 * 3600 + 59)).toBe('4 d 6 h');
    expect(formatDuration(null)).toBe('–');
  });

  it('says frequencies per day, week or month', () => {
    expect(formatFrequency(2.4)).toBe('2.4 deploys/day');
    expect(formatFrequency(1)).toBe('1 deploy/day');
    expect(formatFrequency(3 / 7)).toBe('3 deploys/week');
    expect(formatFrequency(1 / 30)).toBe('1 deploy/month');
    expect(formatFrequency(0)).toBe('0 deploys/month');
    expect(formatFrequency(null)).toBe('–');
  });

  it('says shares as percentages', () => {
    expect(formatPercent(0.125)).toBe('12.5%');
    expect(formatPercent(0)).toBe('0%');
    expect(formatPercent(null)).toBe('–');
  });
});
