/** Polls until `probe` returns something (mail sent by the job worker, say), or fails after `ms`. */
export async function waitFor<T>(probe: () => T | undefined, ms = 8000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value) return value;
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((r) => setTimeout(r, 50));
  }
}
