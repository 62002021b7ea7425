// The codes the server's `log` SMS sender wrote to `sms.log` (a line: time, number, text), read
// as a phone would read its messages. Shared by both suites (e2e/signup.spec.ts,
// e2e-webkit/journeys/signup.test.mjs).
import { existsSync, readFileSync } from 'node:fs';

/** The codes sent to `mobile`, oldest first, from the log file at `path`. */
export function codesFor(path, mobile) {
  if (!existsSync(path)) return [];
  return readFileSync(path, 'utf8')
    .split('\n')
    .filter((line) => line.split('\t')[1] === mobile)
    .map((line) => /验证码 (\d{6})/.exec(line)?.[1] ?? '')
    .filter((code) => code !== '');
}
