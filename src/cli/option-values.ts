// Parsers for option values commander hands over as text; a bad value is commander's usage error (exit 2).
import { InvalidArgumentError } from 'commander';

export function collect(value: string, previous: string[] | undefined): string[] {
  return [...(previous ?? []), value];
}

export function parseCount(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 0) throw new InvalidArgumentError('expected a whole number, 0 or more');
  return n;
}

export function parsePositive(value: string): number {
  const n = Number(value);
  if (!Number.isFinite(n) || n <= 0) throw new InvalidArgumentError('expected a positive number');
  return n;
}

/** `--jobs`: threads that read and parse; a whole number from 1 (everything in the main thread) up. */
export function parseJobs(value: string): number {
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > MAX_JOBS) throw new InvalidArgumentError(`expected a whole number from 1 to ${MAX_JOBS}`);
  return n;
}

/** More threads than this cost memory (each parses in its own heap) and gain nothing on any machine we know. */
export const MAX_JOBS = 256;
