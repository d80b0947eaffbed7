/** Ids in the shapes the API uses (`chatcmpl-…`, `file-…`, `ftjob-…`), unique per server and stable between runs. */
export class IdGenerator {
  private counter = 0;

  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}${this.counter.toString(36).padStart(6, '0')}`;
  }
}

export function nowSeconds(): number {
  return Math.floor(Date.now() / 1000);
}
