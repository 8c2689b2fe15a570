// A brace left open in a stylesheet is not an error to the browser: with CSS nesting
// every rule after it silently becomes part of the block (a whole feature's styles
// applied only on phones went unnoticed that way). Each stylesheet must close every
// block it opens, outside comments and strings.
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const CSS_DIR = path.resolve(import.meta.dirname, '../../public/css');

/** Lines where a top-level block opens but is still open at the end (empty when balanced). */
function unclosedBlocks(css: string): number[] {
  const text = css.replace(/\/\*[\s\S]*?\*\//g, (c) => c.replace(/[^\n]/g, ' ')).replace(/"(?:\\.|[^"\\])*"|'(?:\\.|[^'\\])*'/g, (s) => s.replace(/[^\n]/g, ' '));
  const open: number[] = [];
  let line = 1;
  for (const ch of text) {
    if (ch === '\n') line++;
    else if (ch === '{') open.push(line);
    else if (ch === '}') {
      if (!open.length) return [line];
      open.pop();
    }
  }
  return open;
}

describe('stylesheets', () => {
  const files = readdirSync(CSS_DIR).filter((f) => f.endsWith('.css'));
  it('finds the stylesheets', () => expect(files).toContain('app.css'));
  for (const file of files) {
    it(`${file} closes every block it opens`, () => {
      expect(unclosedBlocks(readFileSync(path.join(CSS_DIR, file), 'utf8'))).toEqual([]);
    });
  }
  it('notices a block left open', () => {
    expect(unclosedBlocks('@media (max-width: 1px) {\n  a { color: red; }\nb { color: blue; }\n')).toEqual([1]);
    expect(unclosedBlocks('/* { */ a::before { content: "}"; }')).toEqual([]);
  });
});
