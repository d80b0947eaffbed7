import type { StringCheckGrader } from './graderSchema';

/** eq / ne exact, like = substring, ilike = case-insensitive substring (docs/grader.md §Semantics); 1 or 0. */
export function stringCheck(operation: StringCheckGrader['operation'], input: string, reference: string): number {
  switch (operation) {
    case 'eq':
      return input === reference ? 1 : 0;
    case 'ne':
      return input !== reference ? 1 : 0;
    case 'like':
      return input.includes(reference) ? 1 : 0;
    case 'ilike':
      return input.toLowerCase().includes(reference.toLowerCase()) ? 1 : 0;
  }
}
