// Incident channel names: "inc-20230303-payments-api-down". Slack accepts lowercase a-z, 0-9, - and _,
// at most 80 characters, so titles in any script are transliterated or dropped to fit.

import { isoDay } from './time-format';

export const MAX_CHANNEL_NAME_LENGTH = 80;
export const MAX_CHANNEL_PREFIX_LENGTH = 20;
/** Room kept free for a collision suffix up to "-999", so a retried name still fits. */
const COLLISION_SUFFIX_RESERVE = 4;
const FALLBACK_SLUG = 'incident';
const FALLBACK_PREFIX = 'inc';

/** Letters NFKD leaves whole (no combining mark to strip), and Cyrillic and Greek. Keys are lower case. */
const TRANSLITERATION: Readonly<Record<string, string>> = {
  ß: 'ss',
  æ: 'ae',
  ø: 'o',
  œ: 'oe',
  ł: 'l',
  đ: 'd',
  ð: 'd',
  þ: 'th',
  ı: 'i',
  ħ: 'h',
  ŧ: 't',
  // Cyrillic (Russian, Ukrainian, Belarusian). й ё ї are listed because NFKD would reduce them to и е і.
  а: 'a',
  б: 'b',
  в: 'v',
  г: 'g',
  д: 'd',
  е: 'e',
  ё: 'yo',
  ж: 'zh',
  з: 'z',
  и: 'i',
  й: 'y',
  к: 'k',
  л: 'l',
  м: 'm',
  н: 'n',
  о: 'o',
  п: 'p',
  р: 'r',
  с: 's',
  т: 't',
  у: 'u',
  ф: 'f',
  х: 'kh',
  ц: 'ts',
  ч: 'ch',
  ш: 'sh',
  щ: 'shch',
  ъ: '',
  ы: 'y',
  ь: '',
  э: 'e',
  ю: 'yu',
  я: 'ya',
  і: 'i',
  ї: 'yi',
  є: 'ye',
  ґ: 'g',
  ў: 'u',
  // Greek. Accented vowels (ά, ϊ …) decompose to these first.
  α: 'a',
  β: 'v',
  γ: 'g',
  δ: 'd',
  ε: 'e',
  ζ: 'z',
  η: 'i',
  θ: 'th',
  ι: 'i',
  κ: 'k',
  λ: 'l',
  μ: 'm',
  ν: 'n',
  ξ: 'x',
  ο: 'o',
  π: 'p',
  ρ: 'r',
  σ: 's',
  ς: 's',
  τ: 't',
  υ: 'y',
  φ: 'f',
  χ: 'ch',
  ψ: 'ps',
  ω: 'o',
};

/** Apostrophes vanish rather than split a word: "don't" → "dont", not "don-t". */
const APOSTROPHES = /['’ʼ‘`]/g;

function transliterateChar(ch: string): string {
  if (ch < '\u0080') return ch; // ASCII needs no work; titles are mostly ASCII
  const direct = TRANSLITERATION[ch];
  if (direct !== undefined) return direct;
  // NFKD splits é into e + accent and folds compatibility forms (ﬁ → fi, Ｘ → X, ² → 2).
  const decomposed = ch.normalize('NFKD').replace(/\p{M}/gu, '').toLowerCase();
  return Array.from(decomposed, (c) => TRANSLITERATION[c] ?? c).join('');
}

function transliterate(text: string): string {
  const lower = text.replace(APOSTROPHES, '').normalize('NFC').toLowerCase();
  return Array.from(lower, transliterateChar).join('');
}

/** Trims to `maxLength`, preferring the last hyphen unless that would throw away over half the room. */
function truncateAtWordBoundary(slug: string, maxLength: number): string {
  if (slug.length <= maxLength) return slug;
  // A hyphen right after the limit means the first maxLength characters are whole words.
  const boundary = slug.slice(0, maxLength + 1).lastIndexOf('-');
  const cut = boundary >= maxLength / 2 ? boundary : maxLength;
  return trimTrailingSeparators(slug.slice(0, cut));
}

function trimSeparators(text: string): string {
  return text.replace(/^[-_]+|[-_]+$/g, '');
}

function trimTrailingSeparators(text: string): string {
  return text.replace(/[-_]+$/, '');
}

/**
 * Slack-safe slug of `title`, at most `maxLength` characters: lower case a-z 0-9 - _, words joined by
 * single hyphens. Anything left that is not ASCII (CJK, emoji, symbols) is dropped and acts as a word
 * break. May return "" when nothing usable remains.
 */
export function slugify(title: string, maxLength: number): string {
  if (maxLength <= 0) return '';
  const words = transliterate(title)
    .replace(/[^a-z0-9_]+/g, '-')
    // A run of separators that contains a hyphen becomes one hyphen; a lone "_" (snake_case) stays.
    .replace(/[-_]*-[-_]*/g, '-');
  return truncateAtWordBoundary(trimSeparators(words), maxLength);
}

/**
 * Titles are stored as Slack sends text: `&lt;` for "<", `<@U1|ann>` for a mention. The name is made
 * from what people read: entities are separators ("p99 &gt; 2s" → "p99-2s"), markup leaves its label.
 */
function markupToWords(title: string): string {
  return title
    .replace(/<[^<>|]*\|([^<>]*)>/g, '$1')
    .replace(/<[^<>]*>/g, ' ')
    .replace(/&(?:amp|lt|gt);/g, ' ');
}

/**
 * "<prefix>-YYYYMMDD-<slug>", dated in the team's zone. Short enough that
 * `withCollisionSuffix(name, 999)` needs no trimming.
 */
export function incidentChannelName(input: { prefix: string; declaredAt: number; timeZone: string; title: string }): string {
  // Config validation should already guarantee a clean prefix; normalising again keeps the length and
  // character guarantees here even if it did not, without failing a declaration mid-incident.
  const prefix = slugify(input.prefix, MAX_CHANNEL_PREFIX_LENGTH) || FALLBACK_PREFIX;
  const date = isoDay(input.declaredAt, input.timeZone).replaceAll('-', '');
  const head = `${prefix}-${date}-`;
  const room = MAX_CHANNEL_NAME_LENGTH - COLLISION_SUFFIX_RESERVE - head.length;
  return head + (slugify(markupToWords(input.title), room) || FALLBACK_SLUG);
}

/** Attempt 1 is the name itself; attempt n > 1 appends "-n", trimming the base so the result fits. */
export function withCollisionSuffix(name: string, attempt: number): string {
  if (!Number.isInteger(attempt) || attempt < 1) {
    throw new RangeError(`Collision attempt must be a positive integer, got ${attempt}`);
  }
  if (attempt === 1 && name.length <= MAX_CHANNEL_NAME_LENGTH) return name;
  const suffix = attempt === 1 ? '' : `-${attempt}`;
  // Trailing separators go so the join never reads "--2" or "_-2".
  const base = trimTrailingSeparators(name.slice(0, MAX_CHANNEL_NAME_LENGTH - suffix.length));
  return (base || FALLBACK_SLUG) + suffix;
}

/**
 * Problem with a configured channel prefix, phrased to follow the variable name
 * ("INCIDENT_CHANNEL_PREFIX must not be empty"); undefined when the prefix is usable.
 */
export function validateChannelPrefix(prefix: string): string | undefined {
  if (prefix.length === 0) return 'must not be empty (e.g. inc)';
  if (prefix.length > MAX_CHANNEL_PREFIX_LENGTH) {
    return `must be at most ${MAX_CHANNEL_PREFIX_LENGTH} characters (e.g. inc)`;
  }
  if (!/^[a-z0-9_-]+$/.test(prefix)) {
    return 'may only contain lowercase letters a-z, digits 0-9, - and _ (e.g. inc or sev_room)';
  }
  // Slack names read badly with "-" or "_" at either end, and the date follows a hyphen ("inc--2023…").
  if (!/^[a-z0-9](?:.*[a-z0-9])?$/.test(prefix)) return 'must start and end with a letter or digit (e.g. inc)';
  return undefined;
}
