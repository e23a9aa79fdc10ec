/**
 * README badges drawn by `badge-maker`, shields.io's own renderer (decision
 * 0024), so they sit in a row of shields.io badges as one of them: the same
 * five styles, widths, colours and logo placement. What is ours: the names
 * a query may use, the Hugging Face mark, and text made safe for XML. Pure.
 */
import { makeBadge } from 'badge-maker';

export const BADGE_STYLES = ['flat', 'flat-square', 'plastic', 'for-the-badge', 'social'] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

/** Logos a badge can carry by name (`logo=huggingface`, or its short form `hf`). */
export const BADGE_LOGOS = ['huggingface', 'hf'] as const;
export type BadgeLogo = (typeof BADGE_LOGOS)[number];

/** shields.io's named colours, so a `color=` that works there works here. */
export const BADGE_COLORS: Readonly<Record<string, string>> = {
  brightgreen: '#4c1',
  green: '#97ca00',
  yellowgreen: '#a4a61d',
  yellow: '#dfb317',
  orange: '#fe7d37',
  red: '#e05d44',
  blue: '#007ec6',
  grey: '#555',
  gray: '#555',
  lightgrey: '#9f9f9f',
  lightgray: '#9f9f9f',
  success: '#4c1',
  important: '#fe7d37',
  critical: '#e05d44',
  informational: '#007ec6',
  inactive: '#9f9f9f',
  white: '#fff',
  black: '#000',
};

const HEX = /^#?([0-9a-f]{3}|[0-9a-f]{6})$/i;

/**
 * A colour as the endpoint JSON and the query string write it: a named
 * colour in lower case, or hex digits without `#` (shields.io reads both);
 * null when it is neither.
 */
export function normalizeBadgeColor(value: string): string | null {
  const lower = value.toLowerCase();
  if (Object.hasOwn(BADGE_COLORS, lower)) return lower;
  const hex = HEX.exec(lower);
  return hex ? hex[1] : null;
}

/** The SVG fill of a normalized colour, `#` and all. */
function fillOf(color: string): string {
  return Object.hasOwn(BADGE_COLORS, color) ? BADGE_COLORS[color] : `#${color}`;
}

export interface BadgeContent {
  /** The left text; empty leaves the left part out. */
  label: string;
  message: string;
  /** A colour as `normalizeBadgeColor` returns it. */
  color: string;
  /** Said after `label: message` in the title and for screen readers, in brackets: `demo data`. */
  note?: string;
}

/** How a badge looks beyond what it says; every colour as `normalizeBadgeColor` returns it. */
export interface BadgeLook {
  style?: BadgeStyle;
  /** The left part's colour (shields.io's default grey when unset). */
  labelColor?: string;
  logo?: BadgeLogo;
  /** The logo's colour: white by default, shields.io's dark grey on the light `social` style. */
  logoColor?: string;
}

/**
 * The Hugging Face mark as a monochrome 24 × 24 outline (a smiling face
 * with two hands hugging it), drawn in the one colour `logoColor` names.
 */
function huggingFaceMark(fill: string): string {
  return (
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 24 24" fill="${fill}">` +
    '<path fill-rule="evenodd" d="M12 1.5a9.5 9.5 0 1 1 0 19 9.5 9.5 0 0 1 0-19Zm0 2a7.5 7.5 0 1 0 0 15 7.5 7.5 0 0 0 0-15Z"/>' +
    '<circle cx="8.8" cy="9.2" r="1.4"/><circle cx="15.2" cy="9.2" r="1.4"/>' +
    '<path d="M7.6 12.4h8.8a4.4 4.4 0 0 1-8.8 0Z"/>' +
    '<path d="M1 17.2 5.6 14l1.4 2-3.4 4.2a1.6 1.6 0 0 1-2.6-3Zm22 0L18.4 14 17 16l3.4 4.2a1.6 1.6 0 0 0 2.6-3Z"/>' +
    '</svg>'
  );
}

/** The `data:` URI of a named logo in a colour, as badge-maker's `logoBase64` takes it. */
export function badgeLogoDataUri(logo: BadgeLogo, fill: string): string {
  switch (logo) {
    case 'huggingface':
    case 'hf':
      return `data:image/svg+xml;base64,${Buffer.from(huggingFaceMark(fill)).toString('base64')}`;
  }
}

/**
 * XML 1.0 cannot carry C0 control characters or lone surrogates: one in a
 * label would make the whole SVG unreadable, a broken image in the README.
 */
const NOT_XML =
  // eslint-disable-next-line no-control-regex -- matching control characters is the point
  /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const XML_BLANKS = /[\t\n\r]/g;

function drawable(text: string): string {
  return text.replace(NOT_XML, '').replace(XML_BLANKS, ' ');
}

/** `label: message`, what a screen reader says and a tooltip shows. */
export function badgeAccessibleText(content: BadgeContent): string {
  return content.label === '' ? content.message : `${content.label}: ${content.message}`;
}

/**
 * A suffix for the gradient and clip ids, the same for the same badge: in
 * a page that inlines several badges, ids are shared by the whole document,
 * and one badge would otherwise clip another to its width.
 */
function idSuffix(content: BadgeContent, look: BadgeLook): string {
  let hash = 0x811c9dc5;
  const seed = [look.style, look.labelColor, look.logo, look.logoColor, content.color, content.label, content.message];
  for (const char of seed.join('\n')) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function renderBadgeSvg(badge: BadgeContent, look: BadgeLook = {}): string {
  const style = look.style ?? 'flat';
  const content = { ...badge, label: drawable(badge.label), message: drawable(badge.message) };
  const logoFill = look.logoColor ? fillOf(look.logoColor) : style === 'social' ? '#333' : '#fff';
  const svg = makeBadge({
    style,
    label: content.label,
    // badge-maker needs a message to draw; an empty one is a single space, as shields.io draws it.
    message: content.message === '' ? ' ' : content.message,
    color: fillOf(content.color),
    ...(look.labelColor ? { labelColor: fillOf(look.labelColor) } : {}),
    ...(look.logo ? { logoBase64: badgeLogoDataUri(look.logo, logoFill) } : {}),
    idSuffix: idSuffix(content, look),
  });
  return badge.note ? withNote(svg, badge.note) : svg;
}

const XML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&apos;',
};

/** `note` in brackets after what the title and the aria-label badge-maker wrote say: `downloads: 1.2M (demo data)`. */
function withNote(svg: string, note: string): string {
  const said = ` (${drawable(note).replace(/[&<>"']/g, (c) => XML_ESCAPES[c])})`;
  return svg
    .replace(/(<svg\b[^>]*\baria-label="[^"]*)"/, `$1${said}"`)
    .replace(/(<title>[^<]*)<\/title>/, `$1${said}</title>`);
}
