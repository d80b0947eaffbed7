import { contentText, isPlainObject } from '../validation/recordShape';

/** The text a record is about, for embedding and labels: its user turns, the last one (the prompt) twice. */
export function recordText(record: Record<string, unknown>): string {
  const messages = Array.isArray(record.messages) ? record.messages : [];
  const users = messages.filter((m): m is Record<string, unknown> => isPlainObject(m) && m.role === 'user').map((m) => contentText(m.content));
  if (users.length === 0) return '';
  return [...users, users[users.length - 1]].join('\n');
}

/** Function words and request filler ("tell me", "I want to know"): they say nothing about what a request is about. */
const STOP_WORDS = new Set(
  [
    'a an and are as at be but by can could do does for from have how i if in into is it its me my of on or our please so that the their them then there these this to was we what when where which who why will with would you your',
    'hi hello thanks thank tell know want need get like just also im am some any much many one up out about should has had been did let give show find see use make able ok okay',
    "they he she him her his us says said were being we're you're they're we've you've let's i'm i've i'd i'll don't doesn't didn't can't won't isn't it's that's there's what's again got still now already way thing something anything everything all every lot really very same other another",
  ]
    .join(' ')
    .split(' '),
);

/** Lower-case word tokens (letters and digits), without stop words. */
export function words(text: string): string[] {
  return (text.toLowerCase().match(/[\p{L}\p{N}][\p{L}\p{N}'_-]*/gu) ?? []).map((w) => w.replace(/'s$/, '')).filter((w) => w.length > 1 && !STOP_WORDS.has(w));
}
