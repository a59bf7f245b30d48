import type { FieldError } from './fieldErrors';

// PostgreSQL text and jsonb cannot hold U+0000, nor text that is not well-formed Unicode (a lone
// surrogate, which JSON's `\ud800` escape can carry): let in, every write of it fails.

const NUL_MESSAGE = 'must not contain the character U+0000';
const ILL_FORMED_MESSAGE = 'must be well-formed Unicode text (a lone surrogate such as \\ud800 is not)';

// In a `u` regular expression a surrogate pair is one code point: \p{Cs} matches only a lone surrogate.
const LONE_SURROGATE = /\p{Cs}/u;

/** Why the store cannot hold `text`, or undefined when it can. */
export function unstorableTextReason(text: string): string | undefined {
  if (text.includes('\0')) return NUL_MESSAGE;
  if (LONE_SURROGATE.test(text)) return ILL_FORMED_MESSAGE;
  return undefined;
}

/**
 * The first text or key of `value` the store cannot hold, with its path (`opportunity.title`,
 * `''` for `value` itself). A loop, not recursion: a request body may be nested thousands of
 * levels deep, and each node keeps its parent's index, not its whole path, so that costs linear time.
 */
export function firstUnstorableText(value: unknown): FieldError | undefined {
  const nodes: { value: unknown; parent: number; key: string }[] = [{ value, parent: -1, key: '' }];
  const pathTo = (index: number, key?: string): string => {
    const keys = key === undefined ? [] : [key];
    for (let i = index; i > 0; i = nodes[i].parent) keys.push(nodes[i].key);
    return keys.reverse().join('.');
  };
  for (let i = 0; i < nodes.length; i++) {
    const node = nodes[i].value;
    const message = typeof node === 'string' ? unstorableTextReason(node) : undefined;
    if (message) return { path: pathTo(i), message };
    if (node === null || typeof node !== 'object') continue;
    for (const [key, child] of Object.entries(node)) {
      // A bad key is named by a storable stand-in: the problem is JSON and lands in logs too.
      const keyMessage = unstorableTextReason(key);
      if (keyMessage) return { path: pathTo(i, key.replace(/\0|\p{Cs}/gu, '\uFFFD')), message: keyMessage };
      nodes.push({ value: child, parent: i, key });
    }
  }
  return undefined;
}
