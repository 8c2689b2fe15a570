// Makes the demo mentors' photos once: a portrait-like picture per mentor, composed as
// SVG (soft gradient, shoulders, a face, hair) and encoded to WebP by sharp. Shipped in
// seeds/media/portraits/, loaded by seeds/demo.ts through the same upload pipeline as
// a real avatar. Run again only to change them:
//   node --import tsx seeds/media/make-portraits.ts
// The output is the same on every run: every choice comes from the mentor's name.
import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { DEMO_MENTORS, type DemoPerson } from '../demo-people.ts';
import { fromRoot } from '../../src/lib/project-root.ts';

const OUT = fromRoot('seeds', 'media', 'portraits');
const SIZE = 384;

const SKIN = ['#f4d3b8', '#e9bc98', '#d9a07a', '#b97a55', '#8d5a3b', '#6b4029', '#f1c7a5', '#c68b63'];
const HAIR = ['#2b1d14', '#4a3020', '#6e4b2a', '#a0703f', '#d9b36c', '#1b1b1f', '#7a7a80', '#8c3b22'];
const SHIRT = ['#2f5d8a', '#3f7f6a', '#8a4f7d', '#c2693c', '#44506b', '#6d8f3a', '#9b3d45', '#2d7380'];
const SKY: [string, string][] = [['#dce9f5', '#a9c6e8'], ['#f6e3d3', '#e8b8a0'], ['#e0f0e3', '#a8d5b5'], ['#efe4f5', '#c9b2e0'], ['#f7f0d5', '#e5cf86'], ['#e3eef0', '#9fc3c9']];

/** The file name of a mentor's portrait, from their name (as seeds/demo.ts looks it up). */
export function portraitFile(person: Pick<DemoPerson, 'firstName' | 'lastName'>): string {
  const slug = `${person.firstName}-${person.lastName}`.normalize('NFD').replace(/[\u0300-\u036f]/g, '').toLowerCase().replace(/[^a-z0-9-]/g, '');
  return `${slug}.webp`;
}

function portraitSvg(person: DemoPerson): string {
  const h = crypto.createHash('sha256').update(`${person.firstName} ${person.lastName}`).digest();
  const pick = <T>(list: readonly T[], i: number): T => list[h[i]! % list.length]!;
  const [sky1, sky2] = pick(SKY, 0);
  const skin = pick(SKIN, 1);
  const hair = pick(HAIR, 2);
  const shirt = pick(SHIRT, 3);
  const faceW = 78 + (h[4]! % 16);
  const faceH = 96 + (h[5]! % 14);
  const style = h[6]! % 4; // short, long, bun, very short
  const glasses = h[7]! % 4 === 0;
  const beard = h[8]! % 5 === 0;
  const cx = 192 + ((h[9]! % 17) - 8);
  const cy = 170;
  const eyeY = cy - 6;
  const hairShapes = [
    `<path d="M${cx - faceW - 6} ${cy - 10} Q${cx - faceW} ${cy - faceH - 36} ${cx} ${cy - faceH - 30} Q${cx + faceW} ${cy - faceH - 36} ${cx + faceW + 6} ${cy - 10} Q${cx + 20} ${cy - faceH + 8} ${cx - faceW - 6} ${cy - 10}Z" fill="${hair}"/>`,
    `<path d="M${cx - faceW - 14} ${cy + 90} Q${cx - faceW - 30} ${cy - faceH - 40} ${cx} ${cy - faceH - 28} Q${cx + faceW + 30} ${cy - faceH - 40} ${cx + faceW + 14} ${cy + 90} L${cx + faceW - 8} ${cy + 20} Q${cx + faceW - 10} ${cy - faceH + 10} ${cx} ${cy - faceH + 6} Q${cx - faceW + 10} ${cy - faceH + 10} ${cx - faceW + 8} ${cy + 20}Z" fill="${hair}"/>`,
    `<circle cx="${cx}" cy="${cy - faceH - 34}" r="30" fill="${hair}"/><path d="M${cx - faceW} ${cy - 20} Q${cx - faceW} ${cy - faceH - 22} ${cx} ${cy - faceH - 18} Q${cx + faceW} ${cy - faceH - 22} ${cx + faceW} ${cy - 20} Q${cx} ${cy - faceH + 4} ${cx - faceW} ${cy - 20}Z" fill="${hair}"/>`,
    `<path d="M${cx - faceW + 2} ${cy - 30} Q${cx} ${cy - faceH - 20} ${cx + faceW - 2} ${cy - 30} Q${cx} ${cy - faceH - 2} ${cx - faceW + 2} ${cy - 30}Z" fill="${hair}" opacity="0.9"/>`,
  ];
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${SIZE}" height="${SIZE}" viewBox="0 0 ${SIZE} ${SIZE}">
  <defs>
    <linearGradient id="bg" x1="0" y1="0" x2="1" y2="1"><stop offset="0" stop-color="${sky1}"/><stop offset="1" stop-color="${sky2}"/></linearGradient>
    <radialGradient id="light" cx="0.35" cy="0.3" r="0.7"><stop offset="0" stop-color="#fff" stop-opacity="0.35"/><stop offset="1" stop-color="#fff" stop-opacity="0"/></radialGradient>
    <filter id="soft"><feGaussianBlur stdDeviation="1.2"/></filter>
  </defs>
  <rect width="${SIZE}" height="${SIZE}" fill="url(#bg)"/>
  <circle cx="${cx + 90}" cy="90" r="120" fill="url(#light)"/>
  <g filter="url(#soft)">
    <path d="M${cx - 150} ${SIZE} Q${cx - 140} ${cy + 120} ${cx} ${cy + 112} Q${cx + 140} ${cy + 120} ${cx + 150} ${SIZE}Z" fill="${shirt}"/>
    <rect x="${cx - 26}" y="${cy + faceH - 30}" width="52" height="60" rx="20" fill="${skin}"/>
    <path d="M${cx - 30} ${cy + 116} Q${cx} ${cy + 150} ${cx + 30} ${cy + 116}" fill="none" stroke="#ffffff" stroke-opacity="0.5" stroke-width="6"/>
    ${style === 1 ? hairShapes[1] : ''}
    <ellipse cx="${cx}" cy="${cy}" rx="${faceW}" ry="${faceH}" fill="${skin}"/>
    <ellipse cx="${cx - faceW}" cy="${cy + 4}" rx="10" ry="16" fill="${skin}"/>
    <ellipse cx="${cx + faceW}" cy="${cy + 4}" rx="10" ry="16" fill="${skin}"/>
    ${style === 1 ? '' : hairShapes[style]}
    ${beard ? `<path d="M${cx - faceW + 10} ${cy + 20} Q${cx} ${cy + faceH + 20} ${cx + faceW - 10} ${cy + 20} Q${cx} ${cy + faceH - 30} ${cx - faceW + 10} ${cy + 20}Z" fill="${hair}" opacity="0.85"/>` : ''}
    <ellipse cx="${cx - 28}" cy="${eyeY}" rx="7" ry="8" fill="#2a2320"/>
    <ellipse cx="${cx + 28}" cy="${eyeY}" rx="7" ry="8" fill="#2a2320"/>
    <path d="M${cx - 42} ${eyeY - 20} q14 -8 28 0 M${cx + 14} ${eyeY - 20} q14 -8 28 0" fill="none" stroke="${hair}" stroke-width="5" stroke-linecap="round"/>
    ${glasses ? `<g fill="none" stroke="#33302e" stroke-width="4"><circle cx="${cx - 28}" cy="${eyeY}" r="19"/><circle cx="${cx + 28}" cy="${eyeY}" r="19"/><path d="M${cx - 9} ${eyeY} h18"/></g>` : ''}
    <path d="M${cx - 5} ${cy + 8} q5 18 -2 24" fill="none" stroke="#000" stroke-opacity="0.18" stroke-width="4" stroke-linecap="round"/>
    <path d="M${cx - 26} ${cy + 48} Q${cx} ${cy + 66 + (h[10]! % 8)} ${cx + 26} ${cy + 48}" fill="none" stroke="#8a3b34" stroke-width="6" stroke-linecap="round"/>
    <ellipse cx="${cx - 46}" cy="${cy + 32}" rx="14" ry="8" fill="#e06a5a" opacity="0.18"/>
    <ellipse cx="${cx + 46}" cy="${cy + 32}" rx="14" ry="8" fill="#e06a5a" opacity="0.18"/>
  </g>
</svg>`;
}

export async function makePortraits(): Promise<void> {
  // Here, not at the top: seeds/demo.ts imports portraitFile, and the server must not load sharp for it.
  const { default: sharp } = await import('sharp');
  fs.mkdirSync(OUT, { recursive: true });
  let total = 0;
  for (const person of DEMO_MENTORS) {
    const webp = await sharp(Buffer.from(portraitSvg(person))).webp({ quality: 62, effort: 6 }).toBuffer();
    fs.writeFileSync(path.join(OUT, portraitFile(person)), webp);
    total += webp.length;
  }
  console.log(`${DEMO_MENTORS.length} portraits, ${Math.round(total / 1024)} KB in all, in ${OUT}`);
}

// Compared with the file's real path, not import.meta.url: bundled into dist/server.js
// (seeds/demo.ts imports portraitFile), import.meta.url is the server's, which is argv[1].
if (process.argv[1] && path.resolve(process.argv[1]) === fromRoot('seeds', 'media', 'make-portraits.ts')) await makePortraits();
