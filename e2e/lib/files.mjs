// Real test files, built in memory.
import { createHash } from 'node:crypto';
import { zipSync, strToU8 } from 'fflate';

export const md5 = (buf) => createHash('md5').update(buf).digest('hex');

export function csv(rows) {
  return Buffer.from(rows.map((r) => r.join(',')).join('\r\n') + '\r\n', 'utf8');
}

export const fxRates = () =>
  csv([
    ['Group ID', 'Provider Exchange Rate Date', 'Currency (From)', 'Currency (To)', 'Exchange Rate'],
    ['g1', '2026-11-27', 'USD', 'EUR', '0.9234'],
    ['g1', '2026-11-27', 'USD', 'GBP', '0.7891'],
    ['', '2026-11-27', 'EUR', 'JPY', '"162.5"'],
  ]);

export function zipOf(name, content) {
  return Buffer.from(zipSync({ [name]: new Uint8Array(content) }));
}

export { strToU8 };

/** UpdateAccountingCode rows with three errors (a value in the wrong case, a missing
 *  key, a row with too many values) and a # column. */
export const codesWithMistakes = () =>
  Buffer.from([
    'Object Key,Object Type,Deferred Revenue Accounting Code,#note',
    'INV-001,Invoice Item,Deferred Revenue,fine',
    'INV-002,invoice item,Deferred Revenue,wrong case',
    ',Invoice Item,,missing key',
    'INV-004,Invoice Item,"a,b",one,too many',
  ].join('\r\n') + '\r\n');
