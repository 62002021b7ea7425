// A long statement for the in-browser (`local`) time bank, for the bench and the end-to-end test
// (CommonJS, so that both bench.mjs and the Playwright specs can load it).
//
// The bank as the app stores it in localStorage: the core's TimeBankData serialised by serde
// (crates/core/src/timebank/bank.rs). Every transfer is on 居民 A's statement: the pool pays A
// for an 8-hour service to B, then A and B give each other time back and forth. The app replays
// every transfer through the core's rules when it reads the bank, so a seed that broke one
// (a member below zero, a service paid twice) would show an empty bank, and the test would fail.

const KEY = 'citizen-cloud.local-timebank.v2';
// The demo residents' member ids (src/backend/local/demo.rs `DemoPerson::member_id`).
const A = 1;
const B = 2;
const SERVICE = 480;
const START = 1_700_000_000; // 2023-11-14, Unix seconds

/** `n` transfers; `balances[i]` and `deltas[i]` are A's after transfer `i`. */
function timebankSeed(n) {
  const paid = START + SERVICE * 60;
  const transfers = [{ id: 0, at: paid, from: 'pool', to: { member: A }, amount: SERVICE, reason: { kind: 'service', record: 0 } }];
  const records = [{
    id: 0, provider: A, recipient: B, service: 'elder-care', start: START, duration: SERVICE, note: null,
    payer: 'pool', logged_at: paid, state: { state: 'confirmed', by: B, at: paid, transfer: 0 },
  }];
  const balances = [SERVICE];
  const deltas = [SERVICE];
  let a = SERVICE;
  let seed = 12345;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let id = 1; id < n; id++) {
    // Whoever has at least an hour may give; a random walk of A's balance between 0 and 8 hours.
    const b = SERVICE - a;
    const fromA = a >= 60 && (b < 60 || random() < 0.5);
    const amount = 1 + Math.floor(random() * 60);
    transfers.push({
      id, at: paid + id * 3600, from: { member: fromA ? A : B }, to: { member: fromA ? B : A }, amount, reason: { kind: 'gift' },
    });
    a += fromA ? -amount : amount;
    balances.push(a);
    deltas.push(fromA ? -amount : amount);
  }
  return { key: KEY, json: JSON.stringify({ transfers, records, family_links: [[A, B]] }), balances, deltas };
}

/** Minutes as the app writes them in Chinese (src/i18n/format.rs `duration`). */
function zhDuration(minutes, signed = false) {
  const sign = signed ? (minutes < 0 ? '−' : '+') : '';
  const m = Math.abs(minutes);
  const [h, r] = [Math.floor(m / 60), m % 60];
  const text = h === 0 ? `${r} 分` : r === 0 ? `${h} 小时` : `${h} 小时 ${r} 分`;
  return sign + text;
}

module.exports = { timebankSeed, zhDuration };
