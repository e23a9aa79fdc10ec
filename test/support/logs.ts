/** A log destination that keeps every line the app writes, for tests to read. */
export class LogCapture {
  private readonly lines: string[] = [];

  /** What pino writes to: one JSON line per call. */
  readonly stream = { write: (line: string) => void this.lines.push(line) };

  /** Everything written so far, as written. */
  text(): string {
    return this.lines.join('');
  }

  /** Every line, parsed. */
  records(): Record<string, unknown>[] {
    return this.text()
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line) => JSON.parse(line) as Record<string, unknown>);
  }

  clear(): void {
    this.lines.length = 0;
  }
}

/** Where a test app's lines go when the test does not read them. */
export const DISCARD_LOGS = { write: () => undefined };
