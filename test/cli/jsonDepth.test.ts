/** The iterative nesting scan that guards every JSON reader of the CLI (src/engine/json.ts). */
import { describe, expect, it } from 'vitest';
import { jsonDepth, parseJson } from '../../src/engine/json.js';

describe('jsonDepth', () => {
  it.each([
    ['0', 0],
    ['[]', 1],
    ['{"a": [1, {"b": []}]}', 4],
    ['"[[[["', 0],
    ['["\\"[[[", 1]', 1],
    ['["\\\\", [2]]', 2],
    ['[[[', 3],
    ['[]]]][[', 1],
  ])('%s is %i deep', (text, depth) => {
    expect(jsonDepth(text, 100)).toBe(depth);
  });

  it('stops at the first level beyond the limit', () => {
    expect(jsonDepth('['.repeat(1_000_000), 64)).toBe(65);
  });

  it('parseJson: one-line errors naming the input', () => {
    expect(() => parseJson('[[1]]', 'scenario', 1)).toThrow(/^scenario: JSON nested deeper than 1 level$/);
    expect(() => parseJson('{', 'scenario', 8)).toThrow(/^scenario: not valid JSON \(/);
    expect(parseJson('{"a": [[1]]}', 'scenario', 3)).toEqual({ a: [[1]] });
  });
});
