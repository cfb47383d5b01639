import { uiStreamChunks } from './ui-stream';

/** The app as a script (not a browser) calls it: sign-in through the sign-in form, JSON posts with a session cookie. */
export function httpClient(baseUrl: string) {
  let signInAction: Promise<string> | undefined;
  /** The form field that names the sign-in server action, as the sign-in page renders it. */
  const actionField = async () => {
    const page = await (await fetch(`${baseUrl}/sign-in`)).text();
    const field = /name="(\$ACTION_ID_[0-9a-f]+)"/.exec(page)?.[1];
    if (!field) throw new Error('the sign-in page has no server action field');
    return field;
  };

  const post = (path: string, cookie: string | null, body: unknown, headers: Record<string, string> = {}) =>
    fetch(`${baseUrl}${path}`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(cookie ? { cookie: `ormai_session=${cookie}` } : {}), ...headers },
      body: typeof body === 'string' ? body : JSON.stringify(body),
    });

  return {
    post,

    /** Posts the sign-in form as the browser would; `cookie` is the session it set (null when none). */
    async signIn(userId: string, headers: Record<string, string> = {}): Promise<{ status: number; setCookie: string; cookie: string | null }> {
      signInAction ??= actionField();
      const form = new FormData();
      form.set(await signInAction, '');
      form.set('userId', userId);
      const response = await fetch(`${baseUrl}/sign-in`, { method: 'POST', body: form, redirect: 'manual', headers: { origin: baseUrl, ...headers } });
      const setCookie = response.headers.get('set-cookie') ?? '';
      return { status: response.status, setCookie, cookie: /ormai_session=([^;]+)/.exec(setCookie)?.[1] ?? null };
    },

    /** A chat request that must be answered with a stream: its chunks. */
    async chat(cookie: string, messages: unknown[]): Promise<Array<Record<string, unknown>>> {
      const response = await post('/api/chat', cookie, { messages });
      if (response.status !== 200) throw new Error(`/api/chat answered ${response.status}: ${await response.text()}`);
      return uiStreamChunks(await response.text());
    },
  };
}
