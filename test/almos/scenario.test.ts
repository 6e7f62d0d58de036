/**
 * Scenario files: every built-in scenario is valid JSON input (round trip), and malformed scenarios
 * are rejected with one-line UsageErrors naming the offending field.
 */
import { describe, expect, it } from 'vitest';
import { UsageError } from '../../src/engine/errors.js';
import { resolveScenario } from '../../src/models/almos/model.js';
import { parseScenario } from '../../src/models/almos/scenario.js';
import { builtinScenarios } from '../../src/models/almos/scenarios.js';

const ok = {
  clusters: 2,
  coresPerCluster: 1,
  framesPerCluster: 4,
  processes: [
    {
      ref: 0,
      vsegs: [{ type: 'DATA', base: 0, size: 2 }],
      threads: [{ cxy: 1, ops: [{ op: 'load', va: 0 }] }],
    },
  ],
};

function error(text: string): string {
  try {
    parseScenario(text);
  } catch (e) {
    expect(e).toBeInstanceOf(UsageError);
    const message = (e as Error).message;
    expect(message).not.toContain('\n');
    return message;
  }
  throw new Error('accepted');
}

const edit = (f: (s: Record<string, unknown>) => void) => {
  const s = structuredClone(ok) as Record<string, unknown>;
  f(s);
  return JSON.stringify(s);
};
const proc0 = (s: Record<string, unknown>) =>
  (s.processes as Array<Record<string, unknown>>)[0] as Record<string, unknown>;
const thread0 = (s: Record<string, unknown>) =>
  (proc0(s).threads as Array<Record<string, unknown>>)[0] as Record<string, unknown>;

describe('scenarios', () => {
  it('every built-in scenario parses back from its JSON unchanged', () => {
    for (const [name, sc] of Object.entries(builtinScenarios)) {
      expect(parseScenario(JSON.stringify(sc)), name).toMatchObject(sc);
    }
  });

  it('defaults wordsPerPage and vpnCount, and resolves built-in names or JSON text', () => {
    expect(parseScenario(JSON.stringify(ok))).toMatchObject({ wordsPerPage: 1, vpnCount: 16 });
    expect(resolveScenario('shared-fault')).toBe(builtinScenarios['shared-fault']);
    expect(resolveScenario(JSON.stringify(ok)).clusters).toBe(2);
    expect(() => resolveScenario('nope')).toThrow(
      /unknown scenario 'nope' \(built-in: default, faults, shared-fault/,
    );
    expect(() => resolveScenario('toString')).toThrow(/unknown scenario 'toString'/);
  });

  it.each([
    ['not JSON', '{', /^scenario: not valid JSON/],
    ['not an object', '[1]', /^scenario: expected an object$/],
    [
      'zero clusters',
      edit((s) => {
        s.clusters = 0;
      }),
      /^scenario: clusters: 0 is out of range 1\.\.4$/,
    ],
    [
      'unknown field',
      edit((s) => {
        s.colour = 1;
      }),
      /unknown field 'colour'/,
    ],
    [
      'bad reference',
      edit((s) => {
        proc0(s).ref = 2;
      }),
      /processes\[0\]\.ref: 2 is out of range 0\.\.1/,
    ],
    [
      'thread cluster',
      edit((s) => {
        thread0(s).cxy = 5;
      }),
      /^scenario: processes\[0\]\.threads\[0\]\.cxy: 5 is out of range 0\.\.1$/,
    ],
    [
      'more threads than cores',
      edit((s) => {
        proc0(s).threads = [thread0(s), thread0(s)];
      }),
      /^scenario: cluster 1 runs 2 threads but has only 1 cores$/,
    ],
    [
      'bad op',
      edit((s) => {
        thread0(s).ops = [{ op: 'jump' }];
      }),
      /ops\[0\]\.op: unknown operation "jump"/,
    ],
    [
      'address out of range',
      edit((s) => {
        thread0(s).ops = [{ op: 'load', va: 99 }];
      }),
      /ops\[0\]\.va: 99 is out of range 0\.\.15/,
    ],
    [
      'overlapping vsegs',
      edit((s) => {
        proc0(s).vsegs = [
          { type: 'DATA', base: 0, size: 2 },
          { type: 'ANON', base: 1, size: 1, cxy: 0 },
        ];
      }),
      /vsegs\[0\] and vsegs\[1\] overlap/,
    ],
    [
      'ANON without cluster',
      edit((s) => {
        proc0(s).vsegs = [{ type: 'ANON', base: 0, size: 1 }];
      }),
      /vsegs\[0\]\.cxy: expected an integer/,
    ],
    [
      'FILE without file',
      edit((s) => {
        proc0(s).vsegs = [{ type: 'FILE', base: 0, size: 1, file: 0 }];
      }),
      /vsegs\[0\]\.file: 0 is out of range 0\.\.-1/,
    ],
    [
      'writable CODE',
      edit((s) => {
        s.files = [{ cxy: 0, pages: [[1]] }];
        proc0(s).vsegs = [{ type: 'CODE', base: 0, size: 1, file: 0, writable: true }];
      }),
      /CODE vsegs are read-only/,
    ],
    [
      'page outside vsegs',
      edit((s) => {
        proc0(s).pages = [{ vpn: 5, content: [1] }];
      }),
      /pages\[0\]: vpn 5 is not in a DATA\/ANON\/REMOTE vseg/,
    ],
    [
      'page content size',
      edit((s) => {
        proc0(s).pages = [{ vpn: 0, content: [1, 2] }];
      }),
      /content: expected 1 words, got 2/,
    ],
    [
      'too many pages',
      edit((s) => {
        s.framesPerCluster = 1;
        s.files = [{ cxy: 0, pages: [[1], [2], [3]] }];
      }),
      /cluster 0 holds 3 initial pages but has only 1 frame \(framesPerCluster\)/,
    ],
  ])('rejects %s with a one-line message', (_what, text, pattern) => {
    expect(error(text)).toMatch(pattern);
  });
});
