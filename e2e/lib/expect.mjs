// Polls a condition until it holds, for things that happen asynchronously in the page.
export async function expect(condition, what, timeoutMs = 10000) {
  const deadline = Date.now() + timeoutMs;
  let last;
  while (Date.now() < deadline) {
    try {
      if (await condition()) return;
    } catch (e) {
      last = e;
    }
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`timed out waiting until ${what}${last ? `: ${last.message}` : ''}`);
}
