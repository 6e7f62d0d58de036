/** The README's override example runs and finds the bug of its handleCow variant. */
import { describe, expect, it } from 'vitest';
import { checkVariant, forkWindowClosed } from '../../examples/overrideHandleCow.js';
import { Instance } from '../../src/engine/instance.js';
import { defaultSearchOptions, search } from '../../src/engine/search/index.js';
import { almos, almosModel } from '../../src/models/almos/model.js';

describe('almos overrides', () => {
  it('the handleCow variant that always reuses the page breaks COW on the fork scenario', () => {
    const r = checkVariant();
    expect(r.verdict).toBe('violation');
    expect(['noWritableSharing', 'refinement', 'forksAccounting']).toContain(r.violation?.name);
  });

  it('the original handleCow passes the same scenario', () => {
    const inst = new Instance(almosModel, {
      ...almosModel.defaultConfig,
      scenario: 'fork',
      ...forkWindowClosed,
    });
    expect(search(inst, { ...defaultSearchOptions, strategy: 'bfs' }).verdict).toBe('pass');
  });

  it('rejects an override of a procedure the model does not have', () => {
    expect(() => almos({ overrides: { handleCOW: almosModel.procedures.handleCow as never } })).toThrow(
      /no procedure 'handleCOW' to override/,
    );
  });
});
