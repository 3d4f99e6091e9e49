/**
 * `target.push(...items)` passes every item as an argument, which overflows the stack past about
 * 100,000 items (a hostile repository can make that many routes): this appends one at a time.
 */
export function pushAll<T>(target: T[], items: Iterable<T>): void {
  for (const item of items) target.push(item);
}
