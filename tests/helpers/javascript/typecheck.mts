// Type-checked (never run) against the generated zoho-oauth.d.cts: ES module consumer.
import { ZohoOAuth, TransientError } from './zoho-oauth.cjs';

declare function thenable(authorization: string): PromiseLike<number>;
const auth = new ZohoOAuth({ accountsUrl: 'http://127.0.0.1:8099', now: () => Date.now() });
export async function leads(): Promise<string> {
  const shared: ZohoOAuth = ZohoOAuth.shared();
  // A thenable (superagent's request, got's PromiseLike) resolves to its value's type.
  const status: number = await shared.withRetryOnInvalidToken((authorization) => thenable(authorization));
  // @ts-expect-error shared() takes no options
  ZohoOAuth.shared({ dc: 'eu' });
  if (status !== 200) return String(status);
  try {
    return await auth.withRetryOnInvalidToken((authorization) => `GET /crm/v2/Leads with ${authorization.slice(0, 16)}`);
  } catch (err) {
    if (err instanceof TransientError) return 'later';
    throw err;
  }
}
