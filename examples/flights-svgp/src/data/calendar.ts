/**
 * Calendar features from a timestamp in microseconds, by integer arithmetic (no Date objects per row). The
 * parquet file's timestamps are "naive" (isAdjustedToUTC = false: local clock time at the airport), so they are
 * decomposed as if they were UTC — which is exactly what recovers the local clock reading.
 */

const MICROS_PER_DAY = 86_400_000_000;
const MICROS_PER_HOUR = 3_600_000_000;

/** Whole days since 1970-01-01 (floor, so times before 1970 work too). */
export function daysSinceEpoch(micros: number): number {
  return Math.floor(micros / MICROS_PER_DAY);
}

/** Clock time in hours, in [0, 24). */
export function hourOfDay(micros: number): number {
  return (micros - daysSinceEpoch(micros) * MICROS_PER_DAY) / MICROS_PER_HOUR;
}

/** ISO day of the week: Monday = 1 … Sunday = 7 (so that Saturday and Sunday are neighbours). */
export function isoDayOfWeek(micros: number): number {
  // 1970-01-01 was a Thursday (ISO 4)
  const d = (daysSinceEpoch(micros) + 3) % 7;
  return (d < 0 ? d + 7 : d) + 1;
}

/**
 * The month, 1 … 12, of the proleptic Gregorian calendar: H. Hinnant's `civil_from_days`, which counts years from
 * March so that the leap day falls at the end of a year.
 */
export function monthOfYear(micros: number): number {
  const z = daysSinceEpoch(micros) + 719_468; // days since 0000-03-01
  const era = Math.floor(z / 146_097);
  const dayOfEra = z - era * 146_097;
  const yearOfEra = Math.floor((dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36_524) - Math.floor(dayOfEra / 146_096)) / 365);
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const marchBased = Math.floor((5 * dayOfYear + 2) / 153); // 0 = March … 11 = February
  return marchBased < 10 ? marchBased + 3 : marchBased - 9;
}
