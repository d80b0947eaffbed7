// Baseline for `rft validate`: stream the file's lines and JSON.parse each, nothing else.
import * as fs from 'node:fs';

const file = process.argv[2];
let lines = 0;
let parsed = 0;
let carry;
const parseLine = (bytes) => {
  if (bytes.length === 0) return;
  lines++;
  try {
    JSON.parse(bytes.toString('utf8'));
    parsed++;
  } catch {
    // invalid lines count as lines, like validate's
  }
};
for await (const chunk of fs.createReadStream(file, { highWaterMark: 1 << 20 })) {
  let from = 0;
  for (let newline = chunk.indexOf(10); newline !== -1; newline = chunk.indexOf(10, from)) {
    parseLine(carry ? Buffer.concat([carry, chunk.subarray(from, newline)]) : chunk.subarray(from, newline));
    carry = undefined;
    from = newline + 1;
  }
  if (from < chunk.length) carry = carry ? Buffer.concat([carry, chunk.subarray(from)]) : chunk.subarray(from);
}
if (carry) parseLine(carry);
process.stdout.write(`${JSON.stringify({ lines, parsed })}\n`);
process.stderr.write(`\n@@RSS ${process.resourceUsage().maxRSS}\n`);
