/**
 * Reason templates: {days} {count} {dwell} {models} {points}; a [bracketed] part is dropped
 * when a placeholder inside it has nothing to show (no dwell time, no model).
 */
import { REASON_PLACEHOLDERS, type ReasonPlaceholder } from '../../../types/catalog';
import { modelById } from '../catalog/models';

export interface ReasonVars {
  days: number;
  count: number;
  /** Seconds. */
  dwell: number;
  /** Model ids, most recent first. */
  models: readonly string[];
  points: number;
}

/** Compact Chinese duration for reasons: 45秒, 6分钟, 1小时5分钟. */
export function formatDwell(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s < 60) return `${s}秒`;
  const minutes = Math.round(s / 60);
  if (minutes < 60) return `${minutes}分钟`;
  const h = Math.floor(minutes / 60);
  const m = minutes % 60;
  return m ? `${h}小时${m}分钟` : `${h}小时`;
}


function value(name: ReasonPlaceholder, v: ReasonVars): string {
  switch (name) {
    case 'days':
      return String(v.days);
    case 'count':
      return v.count ? String(v.count) : '';
    case 'dwell':
      return v.dwell > 0 ? formatDwell(v.dwell) : '';
    case 'models': {
      const names: string[] = [];
      for (const id of v.models) {
        const name = modelById(id)?.name;
        if (name) names.push(name);
        if (names.length === 3) break;
      }
      return names.join('、');
    }
    case 'points':
      return String((Math.sign(v.points) * Math.round(Math.abs(v.points) * 10)) / 10);
  }
}

/** Literal text, a placeholder, or an optional [segment]. */
type Piece = string | { p: ReasonPlaceholder } | { opt: Piece[] };

export interface CompiledReason {
  pieces: Piece[];
  usesModels: boolean;
}

const PLACEHOLDER_NAMES = new Set<string>(REASON_PLACEHOLDERS);

function parsePart(text: string): Piece[] {
  const out: Piece[] = [];
  for (const token of text.split(/(\{\w+\})/)) {
    if (!token) continue;
    const name = token.startsWith('{') ? token.slice(1, -1) : '';
    out.push(PLACEHOLDER_NAMES.has(name) ? { p: name as ReasonPlaceholder } : token);
  }
  return out;
}

const compiled = new Map<string, CompiledReason>();

/** Parses a template once; later calls return the cached parse. */
export function compileReason(template: string): CompiledReason {
  const hit = compiled.get(template);
  if (hit) return hit;
  const pieces: Piece[] = [];
  for (const part of template.split(/(\[[^\]]*\])/)) {
    if (!part) continue;
    if (part.startsWith('[') && part.endsWith(']')) pieces.push({ opt: parsePart(part.slice(1, -1)) });
    else pieces.push(...parsePart(part));
  }
  const c = { pieces, usesModels: template.includes('{models}') };
  compiled.set(template, c);
  return c;
}

function fill(pieces: readonly Piece[], v: ReasonVars): string | undefined {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') out += piece;
    else if ('p' in piece) {
      const s = value(piece.p, v);
      if (!s) return undefined;
      out += s;
    } else out += fill(piece.opt, v) ?? '';
  }
  return out;
}

function fillLenient(pieces: readonly Piece[], v: ReasonVars): string {
  let out = '';
  for (const piece of pieces) {
    if (typeof piece === 'string') out += piece;
    else if ('p' in piece) out += value(piece.p, v);
    else out += fill(piece.opt, v) ?? '';
  }
  return out;
}

/** Fills a template; outside [ ] an empty placeholder is simply left out. */
export function renderReason(template: string | CompiledReason, v: ReasonVars): string {
  const c = typeof template === 'string' ? compileReason(template) : template;
  return fillLenient(c.pieces, v);
}
