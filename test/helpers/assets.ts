// The hashed URL a page of this app gives a static file (src/lib/static-assets.ts).
import type { StaticAssets } from '../../src/lib/static-assets.ts';
import type { TestApp } from './app.ts';

export function assetsOf(t: TestApp): StaticAssets {
  return t.app.locals.assets as StaticAssets;
}

export function asset(t: TestApp, url: string): string {
  return assetsOf(t).url(url);
}
