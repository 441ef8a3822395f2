// A second process for the shared-cache test: waits until START_AT (epoch ms), gets a token
// through ZOHO_TOKEN_CACHE and prints a short hash of it (never the token itself).
// With PRINT_PID=1 it only prints its pid and exits (a lock owner that is gone).
'use strict';
const crypto = require('node:crypto');
if (process.env.PRINT_PID) {
  console.log(process.pid);
  process.exit(0);
}
const { ZohoOAuth } = require(process.env.HELPER);
(async () => {
  const wait = Number(process.env.START_AT || 0) - Date.now();
  if (wait > 0) await new Promise((r) => setTimeout(r, wait));
  const token = await new ZohoOAuth({ retryBaseMs: 1 }).getAccessToken();
  console.log(crypto.createHash('sha256').update(token).digest('hex').slice(0, 16));
})().catch((err) => {
  console.error(`${err.name}: ${err.message}`);
  process.exit(1);
});
