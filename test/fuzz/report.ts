import { AUTHS, type Auth } from './cases';
import { CATEGORIES, type Category } from './values';

/** Case counts per operation and category (and per key), printed at the end of a run. */
export class Tally {
  private readonly byCategory = new Map<string, Map<Category, number>>();
  private readonly byAuth = new Map<string, Map<Auth, number>>();
  private readonly statuses = new Map<number, number>();

  count(operation: string, category: Category, auth: Auth, status: number): void {
    const categories = this.byCategory.get(operation) ?? new Map<Category, number>();
    categories.set(category, (categories.get(category) ?? 0) + 1);
    this.byCategory.set(operation, categories);
    const auths = this.byAuth.get(operation) ?? new Map<Auth, number>();
    auths.set(auth, (auths.get(auth) ?? 0) + 1);
    this.byAuth.set(operation, auths);
    this.statuses.set(status, (this.statuses.get(status) ?? 0) + 1);
  }

  total(operation: string): number {
    return [...(this.byCategory.get(operation)?.values() ?? [])].reduce((sum, n) => sum + n, 0);
  }

  /** `operation: category` (or `operation: key auth`) never reached. */
  missing(operations: string[]): string[] {
    return operations.flatMap((operation) => [
      ...CATEGORIES.filter((category) => !this.byCategory.get(operation)?.get(category)).map(
        (c) => `${operation}: ${c}`,
      ),
      ...AUTHS.filter((auth) => !this.byAuth.get(operation)?.get(auth)).map((a) => `${operation}: key ${a}`),
    ]);
  }

  table(operations: string[]): string {
    const width = Math.max(...operations.map((operation) => operation.length), 9);
    const columns = CATEGORIES.map((category, i) => String.fromCharCode(65 + i));
    const header = `${'operation'.padEnd(width)} ${columns.map((c) => c.padStart(4)).join('')} total  keys`;
    const rows = operations.map((operation) => {
      const counts = CATEGORIES.map((category) =>
        String(this.byCategory.get(operation)?.get(category) ?? 0).padStart(4),
      );
      const auths = AUTHS.map((auth) => this.byAuth.get(operation)?.get(auth) ?? 0).join('/');
      return `${operation.padEnd(width)} ${counts.join('')} ${String(this.total(operation)).padStart(5)}  ${auths}`;
    });
    const legend = CATEGORIES.map((category, i) => `${columns[i]} ${category}`).join(', ');
    const statuses = [...this.statuses.entries()]
      .sort(([a], [b]) => a - b)
      .map(([status, n]) => `${status}: ${n}`)
      .join(', ');
    return [header, ...rows, '', `columns: ${legend}`, `keys: ${AUTHS.join('/')}`, `statuses: ${statuses}`].join('\n');
  }
}
