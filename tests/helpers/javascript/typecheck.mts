// Type-checked (never run) against the generated zoho-oauth.d.cts: ES module consumer.
import { ZohoOAuth, TransientError } from './zoho-oauth.cjs';

const auth = new ZohoOAuth({ accountsUrl: 'http://127.0.0.1:8099', now: () => Date.now() });
export async function leads(): Promise<string> {
  try {
    return await auth.withRetryOnInvalidToken((authorization) => `GET /crm/v2/Leads with ${authorization.slice(0, 16)}`);
  } catch (err) {
    if (err instanceof TransientError) return 'later';
    throw err;
  }
}
