// Type-checked (never run) against the generated zoho-oauth.d.cts: CommonJS consumer.
import {
  ZohoOAuth, ZohoOAuthError, ThrottledError, InvalidGrantError, ConfigurationError, DATA_CENTRES,
  type ZohoOAuthOptions,
} from './zoho-oauth.cjs';

const options: ZohoOAuthOptions = { dc: 'eu', marginSeconds: 120, cacheFile: null, retryBaseMs: 1 };
const auth = new ZohoOAuth(options);
const euAccounts: string = DATA_CENTRES.eu;

async function main(): Promise<number> {
  const token: string = await auth.getAccessToken();
  const header: string = await auth.getAuthorizationHeader();
  const domain: string | undefined = auth.apiDomain;
  auth.invalidate();
  auth.invalidate(header);
  const status: number = await auth.withRetryOnInvalidToken(async (authorization: string) => authorization.length);
  try {
    await auth.getAccessToken();
  } catch (err) {
    if (err instanceof ThrottledError || err instanceof InvalidGrantError) {
      const code: string = err.code;
      const base: ZohoOAuthError = err;
      const message: string = base.message;
      return code.length + message.length;
    }
    if (err instanceof ConfigurationError) return -1;
  }
  // @ts-expect-error tokens are strings
  const wrong: number = await auth.getAccessToken();
  // @ts-expect-error unknown option
  new ZohoOAuth({ clientID: 'x' });
  // @ts-expect-error accountsUrl is read-only
  auth.accountsUrl = 'x';
  return token.length + header.length + (domain ?? '').length + status + euAccounts.length + wrong;
}
export = main;
