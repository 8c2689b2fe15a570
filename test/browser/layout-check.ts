// Layout honesty for every page a journey visits: the document must not be wider than
// the viewport, and no visible control may be cut by an overflow box or the right edge
// of the screen, at phone (390 px) and desktop (1280 px) widths.
//
// The check never resizes the journey's own page (that would race with its clicks):
// each time a page loads or htmx settles a swap on a page not yet seen, its live DOM is
// copied into a twin tab with JavaScript off, served at the same address (same styles,
// images and relative links), and measured and screenshotted there, once per distinct
// page (ids in the path count as one). The twins run one after another while the
// journey goes on; `settleLayoutChecks` waits for them and gives what they found.
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';

export const LAYOUT_WIDTHS = [390, 1280] as const;

export interface Box { x: number; y: number; w: number; h: number }

export interface LayoutFinding {
  kind: 'overflow' | 'clipped';
  /** A short CSS path of the element, with its text. */
  element: string;
  box: Box;
  /** The box that cuts it: an overflow ancestor, or the viewport. */
  container?: string;
  containerBox?: Box;
}

export interface LayoutReport { url: string; width: number; scrollWidth: number; findings: LayoutFinding[] }

/**
 * Runs inside the page (serialised by page.evaluate: no closure over this module).
 * Interactive elements: a, button, input, select, textarea, [role=button], summary.
 */
export function measureLayout(): { scrollWidth: number; viewport: number; findings: LayoutFinding[] } {
  const vw = document.documentElement.clientWidth;
  const round = (r: DOMRect | { left: number; top: number; width: number; height: number }): Box =>
    ({ x: Math.round(r.left + window.scrollX), y: Math.round(r.top + window.scrollY), w: Math.round(r.width), h: Math.round(r.height) });
  const describe = (el: Element): string => {
    const parts: string[] = [];
    for (let e: Element | null = el; e && e !== document.body && parts.length < 4; e = e.parentElement) {
      let part = e.tagName.toLowerCase();
      if (e.id) part += `#${e.id}`;
      else if (e.classList.length) part += '.' + [...e.classList].slice(0, 2).join('.');
      parts.unshift(part);
      if (e.id) break;
    }
    const text = (el.textContent ?? '').replace(/\s+/g, ' ').trim().slice(0, 40)
      || el.getAttribute('aria-label') || el.getAttribute('name') || '';
    return parts.join(' > ') + (text ? ` «${text}»` : '');
  };
  const visible = (el: Element): DOMRect | undefined => {
    const r = el.getBoundingClientRect();
    // 1 px boxes are the visually-hidden pattern (skip links, labels for screen readers).
    if (r.width <= 1 || r.height <= 1) return undefined;
    // checkVisibility also sees through a closed <details>: its content keeps boxes but
    // is not rendered (content-visibility: hidden).
    if (!el.checkVisibility({ visibilityProperty: true, contentVisibilityAuto: true })) return undefined;
    return r;
  };
  const findings: LayoutFinding[] = [];
  const scrollWidth = document.documentElement.scrollWidth;

  if (scrollWidth > vw) {
    // Name the innermost elements that stick out, so a failure points at its cause.
    const out = [...document.body.querySelectorAll('*')].filter((el) => {
      const r = visible(el);
      return r && r.right + window.scrollX > vw + 1;
    });
    const innermost = out.filter((el) => !out.some((other) => other !== el && el.contains(other)));
    for (const el of innermost.slice(0, 5)) {
      findings.push({ kind: 'overflow', element: describe(el), box: round(el.getBoundingClientRect()), container: 'viewport', containerBox: { x: 0, y: 0, w: vw, h: window.innerHeight } });
    }
  }

  const controls = document.querySelectorAll('a[href], button, input:not([type="hidden"]), select, textarea, [role="button"], summary');
  for (const el of controls) {
    // Ag Grid places its popups (filter menus) by script for the width the live page had:
    // in a copy measured at another width their place means nothing.
    if (el.closest('.ag-popup')) continue;
    const r = visible(el);
    if (!r) continue;
    if (r.right + window.scrollX > vw + 1) {
      findings.push({ kind: 'clipped', element: describe(el), box: round(r), container: 'viewport', containerBox: { x: 0, y: 0, w: vw, h: window.innerHeight } });
      continue;
    }
    for (let c = el.parentElement; c && c !== document.body && c !== document.documentElement; c = c.parentElement) {
      const style = getComputedStyle(c);
      if (style.position === 'fixed') break;
      const ox = style.overflowX;
      const oy = style.overflowY;
      if (ox === 'visible' && oy === 'visible') continue;
      // Ag Grid scrolls its own rows and columns sideways by design: its viewports are
      // the one place where a control beyond the edge is reached by scrolling.
      if (c.closest('.ag-root-wrapper') && /(^|\s)ag-[\w-]*(viewport|scrolling-container|container)(\s|$)/.test(c.className)) break;
      const cr = c.getBoundingClientRect();
      const inner = { left: cr.left + c.clientLeft, top: cr.top + c.clientTop, right: cr.left + c.clientLeft + c.clientWidth, bottom: cr.top + c.clientTop + c.clientHeight };
      const cutX = r.left < inner.left - 1 || r.right > inner.right + 1;
      const cutY = r.top < inner.top - 1 || r.bottom > inner.bottom + 1;
      const meetsY = r.bottom > inner.top && r.top < inner.bottom;
      // A scrolling box cuts sideways only: a list that scrolls down is a list.
      // A hidden one cuts either way, but one that hides its whole height is a collapsed panel.
      const scrolls = (v: string) => v === 'auto' || v === 'scroll';
      const cut = scrolls(ox) || scrolls(oy) ? cutX : (cutX && meetsY) || (cutY && meetsY);
      if (cut) {
        findings.push({ kind: 'clipped', element: describe(el), box: round(r), container: describe(c).replace(/ «.*$/, ''), containerBox: round({ left: inner.left, top: inner.top, width: inner.right - inner.left, height: inner.bottom - inner.top }) });
        break;
      }
    }
  }
  return { scrollWidth, viewport: vw, findings };
}

export function formatLayoutReports(reports: LayoutReport[]): string {
  const box = (b?: Box) => (b ? `[x ${b.x}, y ${b.y}, ${b.w}×${b.h}]` : '');
  return reports.map((r) => `${r.url} at ${r.width} px (document ${r.scrollWidth} px wide):\n` + r.findings
    .map((f) => `  - ${f.kind === 'overflow' ? 'sticks out' : 'clipped'}: ${f.element} ${box(f.box)} by ${f.container} ${box(f.containerBox)}`).join('\n')).join('\n');
}

/** /bookings/3f…-…/edit and /bookings/9a…/edit are one page to check. */
export function pageKey(url: string): string {
  const u = new URL(url);
  return u.pathname
    .replace(/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/gi, ':id')
    .replace(/\/\d+(?=\/|$)/g, '/:n')
    .replace(/\/(cs|acct|bps|al)_[\w]+/g, '/:pid');
}

const slug = (s: string) => s.replace(/^\//, '').replace(/[^\w]+/g, '_').replace(/^_+|_+$/g, '') || 'home';

interface Twin { context: BrowserContext; page: Page; serving?: { url: string; html: string } }

/**
 * One watcher per journey file: it remembers the pages already checked and the twin
 * tab of each browser, and collects what the twins found.
 */
export function createLayoutWatcher(options: { screenshotDir: string; screenshots?: boolean; label: () => string }) {
  const seen = new Set<string>();
  const twins = new Map<Browser, Promise<Twin>>();
  const reports: LayoutReport[] = [];
  let queue: Promise<void> = Promise.resolve();
  let checkedPages = 0;
  let skippedPages = 0;
  let busyMs = 0;

  async function twinFor(browser: Browser): Promise<Twin> {
    let twin = twins.get(browser);
    if (!twin) {
      twin = (async () => {
        const context = await browser.newContext({ javaScriptEnabled: false, locale: 'en-US' });
        const t: Twin = { context, page: await context.newPage() };
        await context.route('**/*', (route) => {
          const request = route.request();
          if (t.serving && request.isNavigationRequest() && request.url() === t.serving.url) {
            return route.fulfill({ status: 200, contentType: 'text/html; charset=utf-8', body: t.serving.html });
          }
          return route.continue();
        });
        return t;
      })();
      twins.set(browser, twin);
    }
    return twin;
  }

  async function measure(url: string, key: string, twinPage: Page): Promise<void> {
    const dir = path.join(options.screenshotDir, 'pages', slug(options.label()));
    if (options.screenshots) fs.mkdirSync(dir, { recursive: true });
    for (const width of LAYOUT_WIDTHS) {
      await twinPage.setViewportSize({ width, height: 900 });
      const { scrollWidth, findings } = await twinPage.evaluate(measureLayout);
      if (findings.length) reports.push({ url, width, scrollWidth, findings });
      if (options.screenshots) await twinPage.screenshot({ path: path.join(dir, `${slug(key)}-${width}.png`), fullPage: true, animations: 'disabled' });
    }
  }

  /** Checks a copy of the page `url` showed (its DOM as `html`), in its turn, once per distinct page. */
  function capture(browser: Browser | null, url: string, label: string, html: string): void {
    if (!browser || !/^https?:/.test(url)) return;
    const key = pageKey(url) + (label ? ` ${label}` : '');
    if (seen.has(key)) return;
    seen.add(key);
    // The live page ran its scripts: the copy keeps their DOM and runs none (a <noscript>
    // would otherwise show in the copy only).
    const body = html.replace(/<script\b[^>]*>[\s\S]*?<\/script>/gi, '').replace(/<noscript\b[^>]*>[\s\S]*?<\/noscript>/gi, '');
    queue = queue.then(async () => {
      const started = Date.now();
      const twin = await twinFor(browser);
      twin.serving = { url, html: body };
      try {
        await twin.page.goto(url, { waitUntil: 'load' });
        await measure(url, key, twin.page);
        checkedPages++;
      } catch {
        // The copy could not be shown (the browser closing, an aborted load): the page is
        // checked again the next time a journey opens it.
        seen.delete(key);
        skippedPages++;
      } finally {
        twin.serving = undefined;
        busyMs += Date.now() - started;
      }
    });
  }

  return {
    /**
     * Checks every page of `context` as it loads, and every htmx swap it settles. With
     * JavaScript on, the page sends its own DOM at that moment (asking for it later races
     * with the journey's next click); with it off, the DOM is the HTML the server sent.
     */
    async attach(context: BrowserContext, javaScriptEnabled = true): Promise<void> {
      const browser = context.browser();
      if (!javaScriptEnabled) {
        context.on('response', (response) => {
          const request = response.request();
          if (!request.isNavigationRequest() || request.frame().parentFrame() || response.status() !== 200) return;
          if (!/^text\/html/.test(response.headers()['content-type'] ?? '')) return;
          response.text().then((html) => capture(browser, response.url(), '', html), () => undefined);
        });
        return;
      }
      await context.exposeBinding('__layoutCapture', (_source, url: string, label: string, html: string) => capture(browser, url, label, html));
      await context.addInitScript(() => {
        const send = (label: string) => (window as unknown as { __layoutCapture?: (u: string, l: string, h: string) => void })
          .__layoutCapture?.(location.href, label, '<!doctype html>' + document.documentElement.outerHTML);
        window.addEventListener('load', () => send(''));
        document.addEventListener('htmx:after:settle', (event) => {
          const id = (event.target as Element | null)?.id;
          send(id ? `#${id}` : 'swap');
        });
      });
    },
    /** Measures `page` itself at its current size (for shoot(), which resizes it anyway). */
    async measureHere(page: Page, width: number): Promise<void> {
      const { scrollWidth, findings } = await page.evaluate(measureLayout);
      if (findings.length) reports.push({ url: page.url(), width, scrollWidth, findings });
    },
    /** Waits for the queued twins; returns what they found since the last call. */
    async settle(): Promise<LayoutReport[]> {
      await queue;
      return reports.splice(0);
    },
    async close(): Promise<void> {
      await queue.catch(() => undefined);
      for (const twin of twins.values()) await (await twin).context.close().catch(() => undefined);
      twins.clear();
    },
    stats: () => ({ checkedPages, skippedPages, busyMs }),
  };
}
