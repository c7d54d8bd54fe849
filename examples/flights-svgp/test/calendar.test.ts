/** Calendar features by integer arithmetic, checked against JavaScript's Date on random instants. */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { daysSinceEpoch, hourOfDay, isoDayOfWeek, monthOfYear } from '../src/data/calendar.js';

const micros = (iso: string) => Date.parse(`${iso}Z`) * 1000;

describe('calendar features', () => {
  it('decompose known instants (naive local times read as UTC)', () => {
    const t = micros('2001-01-01T00:47:00'); // a Monday
    expect([monthOfYear(t), isoDayOfWeek(t), hourOfDay(t)]).toEqual([1, 1, 47 / 60]);
    expect(isoDayOfWeek(micros('2001-06-30T23:59:00'))).toBe(6); // Saturday
    expect(isoDayOfWeek(micros('2001-07-01T12:00:00'))).toBe(7); // Sunday
    expect(monthOfYear(micros('2000-02-29T12:00:00'))).toBe(2); // leap day
    expect(monthOfYear(micros('2000-03-01T00:00:00'))).toBe(3);
    expect(daysSinceEpoch(micros('1970-01-01T23:59:59'))).toBe(0);
    expect(daysSinceEpoch(micros('1969-12-31T23:59:59'))).toBe(-1);
  });

  it('agree with Date on random instants from 1900 to 2100, µs resolution', () => {
    const lo = Date.parse('1900-01-01T00:00:00Z') * 1000;
    const hi = Date.parse('2100-12-31T23:59:59Z') * 1000;
    fc.assert(
      fc.property(fc.integer({ min: lo, max: hi }), (t) => {
        const date = new Date(Math.floor(t / 1000)); // whole milliseconds
        const microsLeft = t - date.getTime() * 1000;
        const seconds = date.getUTCSeconds() + date.getUTCMilliseconds() / 1e3 + microsLeft / 1e6;
        const hours = date.getUTCHours() + date.getUTCMinutes() / 60 + seconds / 3600;
        expect(monthOfYear(t)).toBe(date.getUTCMonth() + 1);
        expect(isoDayOfWeek(t)).toBe(date.getUTCDay() === 0 ? 7 : date.getUTCDay());
        expect(hourOfDay(t)).toBeCloseTo(hours, 9);
        expect(hourOfDay(t)).toBeGreaterThanOrEqual(0);
        expect(hourOfDay(t)).toBeLessThan(24);
      }),
      { numRuns: 2000 },
    );
  });
});
