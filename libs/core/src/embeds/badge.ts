/**
 * README badges drawn as shields.io draws them, so they sit in a row of
 * other badges without looking out of place: its heights, paddings, colours
 * and fonts. Text widths come from anafanafo's Verdana width tables (the
 * ones shields.io uses), so a label never spills out of its box. Pure.
 */
import measure, { type AnafanafoFont } from 'anafanafo';
import { escapeMarkup } from './format';

export const BADGE_STYLES = ['flat', 'flat-square', 'for-the-badge'] as const;
export type BadgeStyle = (typeof BADGE_STYLES)[number];

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

/** The SVG fill of a normalized colour; anything unknown draws grey rather than fail. */
function fillOf(color: string): string {
  if (Object.hasOwn(BADGE_COLORS, color)) return BADGE_COLORS[color];
  return HEX.test(color) ? `#${color.replace(/^#/, '')}` : BADGE_COLORS.lightgrey;
}

/** White text on dark fills, dark text on light ones (a user's `color=fff` must stay readable). */
function textColorsOn(fill: string): { text: string; shadow: string } {
  let hex = fill.slice(1);
  if (hex.length === 3) hex = [...hex].map((c) => c + c).join('');
  const [r, g, b] = [0, 2, 4].map((i) => parseInt(hex.slice(i, i + 2), 16));
  // Perceived brightness (ITU-R BT.601 weights), 0 to 1; shields.io switches at 0.69.
  const brightness = (r * 299 + g * 587 + b * 114) / 255_000;
  return brightness > 0.69 ? { text: '#333', shadow: '#ccc' } : { text: '#fff', shadow: '#010101' };
}

export interface BadgeContent {
  /** The left text; empty leaves the left part out. */
  label: string;
  message: string;
  /** A colour as `normalizeBadgeColor` returns it. */
  color: string;
}

const LABEL_FILL = '#555';
const FONT_FAMILY = 'Verdana,Geneva,DejaVu Sans,sans-serif';

/**
 * Width in px that a text is drawn at. Odd widths put the text's centre
 * on a whole pixel beside an even padding, which keeps it crisp.
 */
export function badgeTextWidth(text: string, font: AnafanafoFont, letterSpacingPx = 0): number {
  const width = Math.floor(measure(text, { font }) + letterSpacingPx * [...text].length);
  return width % 2 === 0 ? width + 1 : width;
}

interface Part {
  text: string;
  fill: string;
  x: number;
  width: number;
  /** Where the text's centre sits, from the badge's left edge. */
  centre: number;
  textWidth: number;
}

interface Layout {
  height: number;
  width: number;
  parts: Part[];
}

/** flat and flat-square: 20 px high, 11 px Verdana, 5 px each side of a text. */
function smallLayout(content: BadgeContent): Layout {
  const padding = 5;
  const parts: Part[] = [];
  const message = { text: content.message, fill: fillOf(content.color) };
  const messageTextWidth = badgeTextWidth(message.text, '11px Verdana');
  const messageWidth = messageTextWidth + 2 * padding;
  if (content.label === '') {
    parts.push({ ...message, x: 0, width: messageWidth, centre: messageWidth / 2, textWidth: messageTextWidth });
    return { height: 20, width: messageWidth, parts };
  }
  const labelTextWidth = badgeTextWidth(content.label, '11px Verdana');
  const labelWidth = labelTextWidth + 2 * padding;
  // Each text leans 1 px towards the seam, as on shields.io: its shadow falls to the right and down.
  parts.push({
    text: content.label,
    fill: LABEL_FILL,
    x: 0,
    width: labelWidth,
    centre: labelWidth / 2 + 1,
    textWidth: labelTextWidth,
  });
  parts.push({
    ...message,
    x: labelWidth,
    width: messageWidth,
    centre: labelWidth + messageWidth / 2 - 1,
    textWidth: messageTextWidth,
  });
  return { height: 20, width: labelWidth + messageWidth, parts };
}

/** for-the-badge: 28 px high, upper case 10 px Verdana spaced 1.25 px, message bold, 12 px each side. */
function largeLayout(content: BadgeContent): Layout {
  const padding = 12;
  const spacing = 1.25;
  const parts: Part[] = [];
  let x = 0;
  const texts = [
    { text: content.label.toUpperCase(), fill: LABEL_FILL, font: '10px Verdana' as const },
    { text: content.message.toUpperCase(), fill: fillOf(content.color), font: 'bold 10px Verdana' as const },
  ];
  for (const { text, fill, font } of texts) {
    if (text === '') continue;
    const textWidth = badgeTextWidth(text, font, spacing);
    const width = textWidth + 2 * padding;
    parts.push({ text, fill, x, width, centre: x + width / 2, textWidth });
    x += width;
  }
  return { height: 28, width: x, parts };
}

/** `label: message`, what a screen reader says and a tooltip shows. */
export function badgeAccessibleText(content: BadgeContent): string {
  return content.label === '' ? content.message : `${content.label}: ${content.message}`;
}

/**
 * Text is drawn at ten times its size under `scale(.1)`, as shields.io
 * does, so that positions and `textLength` keep a tenth of a pixel.
 * `textLength` pins each text to its measured width: a viewer whose
 * fallback font is wider squeezes it instead of spilling it over the edge,
 * and for-the-badge's letter spacing comes from it too.
 */
function textElement(part: Part, y: number, shadow: boolean, bold = false): string {
  const colours = textColorsOn(part.fill);
  const common = `x="${part.centre * 10}" transform="scale(.1)" textLength="${part.textWidth * 10}"${bold ? ' font-weight="bold"' : ''}`;
  const text = escapeMarkup(part.text);
  const shadowElement = shadow
    ? `<text aria-hidden="true" ${common} y="${y + 10}" fill="${colours.shadow}" fill-opacity=".3">${text}</text>`
    : '';
  return `${shadowElement}<text ${common} y="${y}" fill="${colours.text}">${text}</text>`;
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

/**
 * A suffix for the flat style's gradient and clip ids, the same for the
 * same badge: in a page that inlines several badges, ids are shared by the
 * whole document, and one badge would otherwise clip another to its width.
 */
function idSuffix(content: BadgeContent, style: BadgeStyle): string {
  let hash = 0x811c9dc5;
  for (const char of `${style}\n${content.color}\n${content.label}\n${content.message}`) {
    hash = Math.imul(hash ^ char.codePointAt(0)!, 0x01000193) >>> 0;
  }
  return hash.toString(36);
}

export function renderBadgeSvg(badge: BadgeContent, style: BadgeStyle = 'flat'): string {
  const content = { ...badge, label: drawable(badge.label), message: drawable(badge.message) };
  const layout = style === 'for-the-badge' ? largeLayout(content) : smallLayout(content);
  const { width, height, parts } = layout;
  const accessible = escapeMarkup(badgeAccessibleText(content));
  const rects = parts.map((p) => `<rect x="${p.x}" width="${p.width}" height="${height}" fill="${p.fill}"/>`).join('');
  const open =
    `<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" role="img" aria-label="${accessible}">` +
    `<title>${accessible}</title>`;
  switch (style) {
    case 'flat': {
      const texts = parts.map((p) => textElement(p, 140, true)).join('');
      const id = idSuffix(content, style);
      return (
        open +
        `<linearGradient id="s${id}" x2="0" y2="100%"><stop offset="0" stop-color="#bbb" stop-opacity=".1"/><stop offset="1" stop-opacity=".1"/></linearGradient>` +
        `<clipPath id="r${id}"><rect width="${width}" height="${height}" rx="3" fill="#fff"/></clipPath>` +
        `<g clip-path="url(#r${id})">${rects}<rect width="${width}" height="${height}" fill="url(#s${id})"/></g>` +
        `<g text-anchor="middle" font-family="${FONT_FAMILY}" text-rendering="geometricPrecision" font-size="110">${texts}</g></svg>`
      );
    }
    case 'flat-square': {
      const texts = parts.map((p) => textElement(p, 140, false)).join('');
      return (
        open +
        `<g shape-rendering="crispEdges">${rects}</g>` +
        `<g text-anchor="middle" font-family="${FONT_FAMILY}" text-rendering="geometricPrecision" font-size="110">${texts}</g></svg>`
      );
    }
    case 'for-the-badge': {
      const labelled = parts.length === 2;
      const texts = parts.map((p, i) => textElement(p, 175, false, !labelled || i === 1)).join('');
      return (
        open +
        `<g shape-rendering="crispEdges">${rects}</g>` +
        `<g text-anchor="middle" font-family="${FONT_FAMILY}" text-rendering="geometricPrecision" font-size="100">${texts}</g></svg>`
      );
    }
  }
}
