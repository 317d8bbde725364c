// The directory-rule table: for every directory rule of rules.yaml (a rule with a `directory` matcher, run by
// `gpaudit ldap scan`), users that must fail it and users that must pass it. directory-rules.test.ts runs each
// user through the directory evaluator, without an LDAP server; test/ldap/ checks the scan against a real DC.
import type { DirectoryUser } from '../../src/model/directory.js';
import type { Severity } from '../../src/model/severity.js';

export interface UserCase {
  name: string;
  user: DirectoryUser;
  /** Failing cases: text the finding's message must contain (the check's message, the character named, ...). */
  says?: string[];
}

export interface DirectoryRuleCases {
  ruleId: string;
  severity: Severity;
  fail: UserCase[];
  pass: UserCase[];
}

/** The attributes a case sets; the scan reads them lower-cased, each a list of strings (src/ldap/scan.ts). */
export interface UserAttributes {
  sAMAccountName?: string;
  mail?: string[];
  loginShell?: string[];
}

/** The attributes of a user that breaks no directory rule; a case changes only what it is about. */
export const CLEAN: Required<UserAttributes> = { sAMAccountName: 'jdoe', mail: ['jdoe@corp.example.test'], loginShell: [] };

let serial = 0;
/** A user entry as `gpaudit ldap scan` hands it to the evaluator: the clean user with `attributes` changed. */
export function user(attributes: UserAttributes = {}): DirectoryUser {
  const a = { ...CLEAN, ...attributes };
  serial++;
  return {
    dn: `CN=Case User ${serial},OU=Staff,DC=corp,DC=example,DC=test`,
    sAMAccountName: a.sAMAccountName,
    attributes: { samaccountname: [a.sAMAccountName], mail: a.mail, loginshell: a.loginShell, useraccountcontrol: ['512'] },
  };
}

/** A user whose sAMAccountName is `name`. */
const named = (name: string) => user({ sAMAccountName: name });

/** A user without a sAMAccountName at all (the scan always asks for it; the evaluator then names the DN). */
function unnamed(): DirectoryUser {
  const u = user();
  delete u.sAMAccountName;
  delete u.attributes.samaccountname;
  return u;
}

const LONG = 'is longer than 20 characters';
const BAD_CHARACTER = 'has characters Amazon Linux WorkSpaces reject';
const LEADING_DASH = 'starts with "-"';

// The limit counts code points: an astral letter is one character but two UTF-16 units, and a combining accent
// is a character of its own.
const TWENTY_ASCII = 'abcdefghijklmnopqrst';
const SCRIPT_A = '\u{1D49C}'; // MATHEMATICAL SCRIPT CAPITAL A, a letter (Lu) outside the BMP
const E_ACUTE_DECOMPOSED = 'e\u0301'; // e + COMBINING ACUTE ACCENT: two code points, one visible character

export const DIRECTORY_CASES: DirectoryRuleCases[] = [
  {
    ruleId: 'workspaces-linux-username',
    severity: 'medium',
    fail: [
      // Length: more than 20 code points.
      { name: '21 ASCII letters', user: named(`${TWENTY_ASCII}u`), says: [LONG, '21 characters, more than 20'] },
      { name: 'a 25-character dotted name', user: named('twenty.five.characters.xx'), says: [LONG, '25 characters, more than 20'] },
      { name: '21 astral letters (42 UTF-16 units)', user: named(SCRIPT_A.repeat(21)), says: ['21 characters, more than 20'] },
      {
        name: '20 visible characters, 21 code points (a combining accent counts)',
        user: named(`Jos${E_ACUTE_DECOMPOSED}${'x'.repeat(16)}`),
        says: ['21 characters, more than 20'],
      },
      // Characters: only letters, digits, the space and _ . - # are allowed.
      { name: '@ (Windows WorkSpaces accept it, Amazon Linux does not)', user: named('john@corp'), says: [BAD_CHARACTER, '"@" (U+0040)'] },
      ...[...'!$%&\'()*+,/:;<=>?[\\]^`{|}~"'].map((ch) => ({
        name: `ASCII punctuation ${JSON.stringify(ch)}`,
        user: named(`ab${ch}cd`),
        says: [BAD_CHARACTER, `(U+${ch.codePointAt(0)!.toString(16).toUpperCase().padStart(4, '0')})`],
      })),
      { name: 'a tab', user: named('first\tlast'), says: [BAD_CHARACTER, 'an invisible or control character (U+0009)'] },
      { name: 'a no-break space (only U+0020 is the space)', user: named('first\u00A0last'), says: ['(U+00A0)'] },
      { name: 'an ideographic space', user: named('山田\u3000太郎'), says: ['(U+3000)'] },
      { name: 'a zero-width space', user: named('ab\u200Bcd'), says: ['an invisible or control character (U+200B)'] },
      { name: 'an emoji (a symbol, not a letter)', user: named('happy\u{1F600}'), says: ['"\u{1F600}" (U+1F600)'] },
      { name: 'a superscript two (a number, not a decimal digit)', user: named('user\u00B2'), says: ['"\u00B2" (U+00B2)'] },
      { name: 'a Roman numeral (a letter number, not a decimal digit)', user: named('henry\u216B'), says: ['"\u216B" (U+216B)'] },
      { name: 'a lone surrogate (no UTF-8 encoding)', user: named('ab\uD800cd'), says: ['(U+D800)'] },
      { name: 'every bad character named once', user: named('a@b@c!'), says: ['"@" (U+0040), "!" (U+0021)'] },
      // Leading hyphen.
      { name: 'a leading -', user: named('-leadingdash'), says: [LEADING_DASH] },
      { name: 'only -', user: named('-'), says: [LEADING_DASH] },
      {
        name: 'all three at once: one finding that names each',
        user: named('-john@corp.example.test'),
        says: [LONG, '23 characters, more than 20', BAD_CHARACTER, '"@" (U+0040)', LEADING_DASH],
      },
    ],
    pass: [
      { name: 'a plain name', user: named('jdoe') },
      { name: 'exactly 20 ASCII letters', user: named(TWENTY_ASCII) },
      { name: '20 astral letters (40 UTF-16 units)', user: named(SCRIPT_A.repeat(20)) },
      { name: '20 code points with combining accents', user: named(E_ACUTE_DECOMPOSED.repeat(10)) },
      { name: 'all four allowed marks: _ . - #', user: named('a_b.c-d#e') },
      { name: 'a space inside', user: named('John Smith') },
      { name: 'a hyphen inside and last', user: named('smith-jones-') },
      { name: 'leading _ . and #', user: named('_svc.#1') },
      { name: 'letters of other scripts', user: named('Ђорђе Łukasz Ñandú') },
      { name: 'CJK letters', user: named('山田太郎') },
      { name: 'Arabic letters and Arabic-Indic digits', user: named('علي٣٤') },
      { name: 'Devanagari with combining vowel signs', user: named('हिन्दी') },
      { name: 'digits only', user: named('12345') },
      { name: 'no sAMAccountName: nothing to judge', user: unnamed() },
    ],
  },
  {
    ruleId: 'workspaces-user-missing-email',
    severity: 'low',
    fail: [
      { name: 'no mail attribute', user: user({ mail: [] }), says: ['mail (not set)'] },
      { name: 'an empty mail', user: user({ mail: [''] }) },
      { name: 'a blank mail', user: user({ mail: ['   '] }) },
    ],
    pass: [
      { name: 'a mail address', user: user({ mail: ['jdoe@corp.example.test'] }) },
    ],
  },
  {
    ruleId: 'workspaces-login-shell-override',
    severity: 'medium',
    fail: [
      { name: 'zsh', user: user({ loginShell: ['/bin/zsh'] }), says: ['loginShell "/bin/zsh"'] },
      { name: 'sh', user: user({ loginShell: ['/bin/sh'] }) },
      { name: 'bash, but at another path', user: user({ loginShell: ['/usr/bin/bash'] }) },
      { name: 'nologin', user: user({ loginShell: ['/sbin/nologin'] }) },
    ],
    pass: [
      { name: 'no loginShell', user: user({ loginShell: [] }) },
      { name: 'an empty loginShell', user: user({ loginShell: [''] }) },
      { name: '/bin/bash, the default', user: user({ loginShell: ['/bin/bash'] }) },
    ],
  },
];
