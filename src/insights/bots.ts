// Which user agents are not people. Counting them would swell the views and the visitors
// (crawlers fetch every skill page every day), so a match is simply not recorded. The list
// is short on purpose: words that real browsers never carry, matched anywhere, any case.
const BOT_WORDS = [
  // Search engines and SEO crawlers name themselves so: Googlebot, bingbot, AhrefsBot, Baiduspider, Yahoo! Slurp…
  'bot', 'crawl', 'spider', 'slurp',
  // Command-line tools and HTTP libraries: scripts, monitors, uptime checks.
  'curl', 'wget', 'python', 'go-http', 'java/', 'okhttp', 'axios', 'node-fetch', 'undici', 'libwww', 'httpclient',
  // Automated browsers and audits (HeadlessChrome, Lighthouse, PhantomJS).
  'headless', 'lighthouse', 'phantomjs',
  // Link previews fetched when someone pastes a URL in a chat or a social network (most others say "bot").
  'preview', 'facebookexternalhit', 'embedly', 'whatsapp/',
];

const BOT_PATTERN = new RegExp(BOT_WORDS.map((w) => w.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&')).join('|'), 'i');

/** An empty agent is a bot too: every browser sends one, only scripts leave it out. */
export function isBot(userAgent: string | undefined): boolean {
  return !userAgent || BOT_PATTERN.test(userAgent);
}
