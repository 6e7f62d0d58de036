// Test setup: fast-check properties without an explicit seed use this one, so CI runs are repeatable.
import fc from 'fast-check';

fc.configureGlobal({ seed: 20261121 });
