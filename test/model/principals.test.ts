// Principals are resolved in one place (model/principals.ts, called by normalise); the engine only matches them.
import { describe, expect, it } from 'vitest';
import { principal, principalIs, resolveNamesWithinInput } from '../../src/model/principals.js';
import type { Principal } from '../../src/model/settings.js';

describe('resolveNamesWithinInput', () => {
  it('gives a name the SID the same input pairs it with, and the RID of a domain SID', () => {
    const fromReport = principal({ sid: 'S-1-5-21-1-2-3-1105', name: 'CORP\\svc-app' });
    const fromTemplate = principal({ name: 'corp\\SVC-APP' });
    const unknown = principal({ name: 'CORP\\unknown-one' });
    resolveNamesWithinInput([fromReport, fromTemplate, unknown]);
    expect(fromTemplate).toEqual({ sid: 'S-1-5-21-1-2-3-1105', rid: 1105, name: 'corp\\SVC-APP', resolution: 'input-name-match' });
    expect(unknown).toEqual({ name: 'CORP\\unknown-one', resolution: 'unresolved' });
  });

  it('leaves a name the input pairs with two SIDs unresolved', () => {
    const a = principal({ sid: 'S-1-5-21-1-2-3-1105', name: 'CORP\\svc' });
    const b = principal({ sid: 'S-1-5-21-1-2-3-1106', name: 'CORP\\svc' });
    const named = principal({ name: 'CORP\\svc' });
    resolveNamesWithinInput([a, b, named]);
    expect(named.resolution).toBe('unresolved');
    expect(named.sid).toBeUndefined();
  });
});

describe('principalIs', () => {
  it('matches a SID, or the RID of a domain SID in any domain; never an unresolved name', () => {
    const du = principal({ sid: 'S-1-5-21-1-2-3-513' });
    expect(du.rid).toBe(513);
    expect(principalIs(du, { rid: 513 })).toBe(true);
    expect(principalIs(du, { sid: 'S-1-5-21-1-2-3-513' })).toBe(true);
    expect(principalIs(principal({ name: 'CONTOSO\\Domain Users' }), { rid: 513 })).toBe(true);
    const unresolved: Principal = { name: 'Domain Users', resolution: 'unresolved' };
    expect(principalIs(unresolved, { rid: 513 })).toBe(false);
  });
});
