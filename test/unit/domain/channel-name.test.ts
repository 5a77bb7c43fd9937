import { incidentChannelName, MAX_CHANNEL_NAME_LENGTH, slugify, validateChannelPrefix, withCollisionSuffix } from '../../../src/domain/channel-name';

const SLACK_NAME = /^[a-z0-9][a-z0-9_-]*$/;
// 2023-03-03 13:15 EAT, the reference postmortem.
const DECLARED = Date.UTC(2023, 2, 3, 10, 15);

function channelFor(title: string, overrides: Partial<Parameters<typeof incidentChannelName>[0]> = {}): string {
  return incidentChannelName({ prefix: 'inc', declaredAt: DECLARED, timeZone: 'Africa/Nairobi', title, ...overrides });
}

describe('slugify', () => {
  describe('when the title is plain ASCII', () => {
    it('then it is lower-cased and words are joined by hyphens', () => {
      expect(slugify('Payments API Down', 80)).toBe('payments-api-down');
    });

    it('then digits and snake_case survive', () => {
      expect(slugify('db_primary 2 OOM', 80)).toBe('db_primary-2-oom');
    });
  });

  describe('when the title has runs of spaces and punctuation', () => {
    it('then each run becomes a single hyphen', () => {
      expect(slugify('API  --  latency!!! (EU/US) >> 5s', 80)).toBe('api-latency-eu-us-5s');
    });

    it('then leading and trailing separators are dropped', () => {
      expect(slugify('  --__Checkout broken__--  ', 80)).toBe('checkout-broken');
    });

    it('then a mix of hyphens and underscores collapses to one hyphen', () => {
      expect(slugify('a _-_ b', 80)).toBe('a-b');
    });

    it('then apostrophes vanish instead of splitting the word', () => {
      expect(slugify("Customers can't log in", 80)).toBe('customers-cant-log-in');
      expect(slugify('Customers can’t log in', 80)).toBe('customers-cant-log-in');
    });
  });

  describe('when the title has diacritics', () => {
    it('then the accents are stripped', () => {
      expect(slugify('Café señor über naïve Ångström', 80)).toBe('cafe-senor-uber-naive-angstrom');
    });

    it('then decomposed input (combining marks) gives the same result', () => {
      expect(slugify('Cafe\u0301', 80)).toBe('cafe');
    });
  });

  describe('when the title has letters NFKD does not decompose', () => {
    it('then German ß becomes ss (either case)', () => {
      expect(slugify('Straße ẞ Größe', 80)).toBe('strasse-ss-grosse');
    });

    it('then Nordic letters are transliterated', () => {
      expect(slugify('Æble Øresund Þór Ðorg', 80)).toBe('aeble-oresund-thor-dorg');
    });

    it('then Polish, Croatian, French and Turkish letters are transliterated', () => {
      expect(slugify('Łódź Đakovo cœur ılık', 80)).toBe('lodz-dakovo-coeur-ilik');
    });
  });

  describe('when the title is Cyrillic', () => {
    it('then it is transliterated to Latin', () => {
      expect(slugify('Сбой базы данных', 80)).toBe('sboy-bazy-dannykh');
    });

    it('then letters NFKD would flatten keep their own spelling', () => {
      expect(slugify('Ёлка Їжак Йод', 80)).toBe('yolka-yizhak-yod');
    });
  });

  describe('when the title is Greek', () => {
    it('then it is transliterated, accents included', () => {
      expect(slugify('Διακοπή υπηρεσίας', 80)).toBe('diakopi-ypiresias');
    });
  });

  describe('when the title has compatibility forms', () => {
    it('then full-width letters and ligatures fold to ASCII', () => {
      expect(slugify('ＡＰＩ ﬁx', 80)).toBe('api-fix');
    });
  });

  describe('when the title has characters with no Latin form', () => {
    it('then a CJK-only title gives an empty slug', () => {
      expect(slugify('支付服务中断', 80)).toBe('');
    });

    it('then an emoji-only title gives an empty slug', () => {
      expect(slugify('🔥🔥 🚨', 80)).toBe('');
    });

    it('then they are dropped but still separate the words around them', () => {
      expect(slugify('DB🔥down', 80)).toBe('db-down');
      expect(slugify('東京 region 障害 degraded', 80)).toBe('region-degraded');
    });

    it('then multi-code-point emoji (ZWJ, skin tone, flags) leave nothing behind', () => {
      expect(slugify('👩🏽‍💻 on-call 🇰🇪', 80)).toBe('on-call');
    });
  });

  describe('when the slug is longer than maxLength', () => {
    it('then it is cut at the last hyphen that fits', () => {
      expect(slugify('payments api is down for everyone', 20)).toBe('payments-api-is-down');
      expect(slugify('payments api is down for everyone', 19)).toBe('payments-api-is');
    });

    it('then a single long word is hard-cut', () => {
      expect(slugify('a'.repeat(50), 10)).toBe('a'.repeat(10));
    });

    it('then a hard cut is preferred to losing more than half the room at a boundary', () => {
      expect(slugify(`ab ${'c'.repeat(40)}`, 20)).toBe(`ab-${'c'.repeat(17)}`);
    });

    it('then the result never ends with a separator', () => {
      expect(slugify('abc_ def', 4)).toBe('abc');
    });
  });

  describe('when maxLength is zero or negative', () => {
    it('then the slug is empty', () => {
      expect(slugify('anything', 0)).toBe('');
      expect(slugify('anything', -3)).toBe('');
    });
  });
});

describe('incidentChannelName', () => {
  describe('when given a prefix, time, zone and title', () => {
    it('then it reads <prefix>-YYYYMMDD-<slug>', () => {
      expect(channelFor('Payments API down')).toBe('inc-20230303-payments-api-down');
    });
  });

  describe('when the instant is a different day in the team zone than in UTC', () => {
    // 2024-03-01 05:00 UTC is still 2024-02-29 21:00 in Los Angeles.
    const instant = Date.UTC(2024, 2, 1, 5, 0);

    it('then the date is the team-zone date', () => {
      expect(channelFor('x', { declaredAt: instant, timeZone: 'America/Los_Angeles' })).toBe('inc-20240229-x');
    });

    it('then the same instant in UTC gives the UTC date', () => {
      expect(channelFor('x', { declaredAt: instant, timeZone: 'UTC' })).toBe('inc-20240301-x');
    });
  });

  describe('when the title has no usable characters', () => {
    it('then an emoji-only title falls back to "incident"', () => {
      expect(channelFor('🔥🔥🔥')).toBe('inc-20230303-incident');
    });

    it('then a CJK-only title falls back to "incident"', () => {
      expect(channelFor('支付服务中断')).toBe('inc-20230303-incident');
    });

    it('then an empty title falls back to "incident"', () => {
      expect(channelFor('')).toBe('inc-20230303-incident');
    });
  });

  describe('when the title is 500 characters long', () => {
    const titles = ['word '.repeat(100), 'x'.repeat(500), 'Überlastung der Zahlungs-API '.repeat(18), 'Сбой '.repeat(100)];

    it.each(titles.map((t) => [t.slice(0, 20), t]))('then "%s…" stays within 80 with room for "-999"', (_label, title) => {
      for (const prefix of ['inc', 'a'.repeat(20)]) {
        const name = channelFor(title, { prefix });
        expect(name).toMatch(SLACK_NAME);
        expect(name.length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH - 4);
        expect(withCollisionSuffix(name, 999)).toBe(`${name}-999`);
        expect(withCollisionSuffix(name, 999).length).toBeLessThanOrEqual(MAX_CHANNEL_NAME_LENGTH);
      }
    });

    it('then a long multi-word title is cut at a word boundary', () => {
      const name = channelFor('word '.repeat(100));
      expect(name).toMatch(/^inc-20230303-(word-)*word$/);
    });
  });

  describe('when the prefix is not valid (config validation bypassed)', () => {
    it('then it is normalised rather than producing an invalid name', () => {
      expect(channelFor('db down', { prefix: 'My Incidents!' })).toBe('my-incidents-20230303-db-down');
    });

    it('then a prefix with nothing usable falls back to "inc"', () => {
      expect(channelFor('db down', { prefix: '🔥' })).toBe('inc-20230303-db-down');
    });
  });
});

describe('withCollisionSuffix', () => {
  describe('when it is the first attempt', () => {
    it('then the name is unchanged', () => {
      expect(withCollisionSuffix('inc-20230303-db-down', 1)).toBe('inc-20230303-db-down');
    });
  });

  describe('when it is a later attempt', () => {
    it('then "-<attempt>" is appended', () => {
      expect(withCollisionSuffix('inc-20230303-db-down', 2)).toBe('inc-20230303-db-down-2');
      expect(withCollisionSuffix('inc-20230303-db-down', 17)).toBe('inc-20230303-db-down-17');
    });
  });

  describe('when the suffixed name would exceed 80 characters', () => {
    const long = `inc-20230303-${'a'.repeat(67)}`; // exactly 80

    it('then the base is trimmed and the suffix kept whole', () => {
      const name = withCollisionSuffix(long, 12);
      expect(name).toHaveLength(MAX_CHANNEL_NAME_LENGTH);
      expect(name.endsWith('-12')).toBe(true);
    });

    it('then a trim that lands on a hyphen does not produce "--"', () => {
      const base = `${'a'.repeat(77)}-bbbbb`; // the cut for "-2" falls right after the hyphen
      const name = withCollisionSuffix(base, 2);
      expect(name).toBe(`${'a'.repeat(77)}-2`);
      expect(name).not.toContain('--');
    });

    it('then an over-long first attempt is trimmed to 80 as well', () => {
      expect(withCollisionSuffix('a'.repeat(90), 1)).toBe('a'.repeat(80));
    });
  });

  describe('when the name already ends with a separator', () => {
    it('then no "--" or "_-" appears', () => {
      expect(withCollisionSuffix('inc-x-', 3)).toBe('inc-x-3');
      expect(withCollisionSuffix('inc-x_', 3)).toBe('inc-x-3');
    });
  });

  describe('when the attempt is not a positive integer', () => {
    it.each([0, -1, 1.5, Number.NaN])('then attempt %p is rejected', (attempt) => {
      expect(() => withCollisionSuffix('inc-x', attempt)).toThrow(RangeError);
    });
  });
});

describe('validateChannelPrefix', () => {
  describe('when the prefix is usable', () => {
    it.each(['inc', 'incident', 'sev_room', 'ops-2', '1', 'a'.repeat(20)])('then "%s" is accepted', (prefix) => {
      expect(validateChannelPrefix(prefix)).toBeUndefined();
    });
  });

  describe('when the prefix is empty', () => {
    it('then it says so', () => {
      expect(validateChannelPrefix('')).toMatch(/must not be empty/);
    });
  });

  describe('when the prefix is longer than 20 characters', () => {
    it('then it names the limit', () => {
      expect(validateChannelPrefix('a'.repeat(21))).toMatch(/at most 20 characters/);
    });
  });

  describe('when the prefix has characters Slack does not allow', () => {
    it.each(['Inc', 'inc!', 'in c', 'inc.ops', 'ünc', 'инц'])('then "%s" is rejected', (prefix) => {
      expect(validateChannelPrefix(prefix)).toMatch(/lowercase letters a-z, digits 0-9, - and _/);
    });
  });

  describe('when the prefix starts or ends with a separator', () => {
    it.each(['-inc', 'inc-', '_inc', 'inc_'])('then "%s" is rejected', (prefix) => {
      expect(validateChannelPrefix(prefix)).toMatch(/start and end with a letter or digit/);
    });
  });
});

describe('channel names for arbitrary unicode titles', () => {
  // mulberry32: tiny, seeded, so a failure reproduces exactly.
  function prng(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
      state = (state + 0x6d2b79f5) >>> 0;
      let t = state;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
  }

  // Weighted towards the ranges that exercise the interesting paths.
  const RANGES: ReadonlyArray<[number, number]> = [
    [0x20, 0x7e], // ASCII printable
    [0x00, 0x1f], // control characters
    [0xa0, 0x24f], // Latin-1 and Latin Extended
    [0x300, 0x36f], // combining marks
    [0x370, 0x3ff], // Greek
    [0x400, 0x4ff], // Cyrillic
    [0x2000, 0x206f], // punctuation, zero-width joiners
    [0x2150, 0x218f], // number forms (Ⅻ, ½)
    [0x3000, 0x30ff], // CJK punctuation, kana
    [0x4e00, 0x9fff], // CJK ideographs
    [0xd800, 0xdfff], // lone surrogates
    [0xfb00, 0xfb06], // ligatures
    [0xff00, 0xffef], // full-width forms
    [0x1f300, 0x1faff], // emoji
  ];

  function randomTitle(random: () => number): string {
    const length = Math.floor(random() * 120);
    let title = '';
    for (let i = 0; i < length; i++) {
      const [low, high] = RANGES[Math.floor(random() * RANGES.length)];
      title += String.fromCodePoint(low + Math.floor(random() * (high - low + 1)));
    }
    return title;
  }

  it('when thousands of random titles are named, then every name is Slack-valid and fits 80 with any suffix', () => {
    const random = prng(20230303);
    const failures: string[] = [];
    for (let i = 0; i < 3000; i++) {
      const title = randomTitle(random);
      const name = incidentChannelName({ prefix: 'inc', declaredAt: DECLARED, timeZone: 'Africa/Nairobi', title });
      const suffixed = withCollisionSuffix(name, 999);
      const slug = slugify(title, 40);
      const valid =
        SLACK_NAME.test(name) &&
        name.length <= MAX_CHANNEL_NAME_LENGTH - 4 &&
        SLACK_NAME.test(suffixed) &&
        suffixed.length <= MAX_CHANNEL_NAME_LENGTH &&
        (slug === '' || SLACK_NAME.test(slug)) &&
        slug.length <= 40;
      if (!valid) failures.push(`${JSON.stringify(title)} → ${name} / ${suffixed} / ${slug}`);
    }
    // Listing the offending titles makes a failure reproducible without re-running the generator.
    expect(failures).toEqual([]);
  });
});
