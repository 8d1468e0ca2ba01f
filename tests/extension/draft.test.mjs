// lib/draft.js: the popup's paste box kept in the background's memory — replaced by the next
// edit, forgotten when emptied, when oversized, and a fixed time after the last edit.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { DRAFT_MAX_CHARS, DRAFT_TTL_MS, createDraftKeeper } from '../../extension/lib/draft.js';

/** A clock the test advances by hand. */
function fakeTimers() {
  let now = 0;
  let next = 1;
  const pending = new Map();
  return {
    setTimeout: (fn, ms) => {
      const id = next++;
      pending.set(id, { fn, at: now + ms });
      return id;
    },
    clearTimeout: (id) => pending.delete(id),
    advance(ms) {
      now += ms;
      for (const [id, t] of [...pending]) {
        if (t.at <= now) {
          pending.delete(id);
          t.fn();
        }
      }
    },
    pending: () => pending.size,
  };
}

test('a draft is kept until the next edit, and forgotten a fixed time after the last one', () => {
  const timers = fakeTimers();
  const draft = createDraftKeeper({ timers });
  assert.equal(draft.get(), null);
  draft.put('eyJhbGciOiJSUzI1NiJ9.e30.sig');
  assert.equal(draft.get(), 'eyJhbGciOiJSUzI1NiJ9.e30.sig');
  timers.advance(DRAFT_TTL_MS - 1);
  draft.put('curl -si output');
  timers.advance(DRAFT_TTL_MS - 1);
  assert.equal(draft.get(), 'curl -si output', 'each edit restarts the time');
  assert.equal(timers.pending(), 1, 'one timer, not one per edit');
  timers.advance(1);
  assert.equal(draft.get(), null);
  assert.equal(timers.pending(), 0);
});

test('an emptied box, an oversized text or a non-string forgets the draft at once', () => {
  const timers = fakeTimers();
  const draft = createDraftKeeper({ timers });
  for (const value of ['   \n', 'x'.repeat(DRAFT_MAX_CHARS + 1), 42, null, { text: 'x' }]) {
    draft.put('kept');
    draft.put(value);
    assert.equal(draft.get(), null, JSON.stringify(value)?.slice(0, 20));
    assert.equal(timers.pending(), 0);
  }
});
