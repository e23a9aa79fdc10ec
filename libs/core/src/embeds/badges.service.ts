import { Injectable } from '@nestjs/common';
import { type ModelDto, ModelNotFoundError, ModelsService } from '../catalog';
import {
  normalizeBadgeColor,
  renderBadgeSvg,
  type BadgeContent,
  type BadgeLogo,
  type BadgeLook,
  type BadgeStyle,
} from './badge';
import { shortNumber } from './format';

export const BADGE_METRICS = [
  'downloads',
  'downloads-week',
  'downloads-total',
  'likes',
  'trending',
  'license',
  'parameters',
] as const;
export type BadgeMetric = (typeof BADGE_METRICS)[number];

/**
 * How long a badge may be kept, in the answer's Cache-Control and the
 * endpoint JSON's `cacheSeconds` alike. 300 is the least shields.io honours
 * for an endpoint badge, and stats move hourly at most.
 */
export const BADGE_CACHE_SECONDS = 300;

/** The longest `cacheSeconds` a badge may ask for: a day, so a README never shows week-old figures. */
export const BADGE_MAX_CACHE_SECONDS = 86_400;

/**
 * The query parameters a badge reads, shields.io's names. On `.svg` any
 * other is ignored, as shields.io ignores it, so a URL copied from there
 * still draws; the response cache leaves the others out of its key.
 */
export const BADGE_OPTION_NAMES = [
  'style',
  'label',
  'color',
  'labelColor',
  'logo',
  'logoColor',
  'cacheSeconds',
] as const;

/**
 * How long a badge may be kept: what it asks for with `cacheSeconds`, but
 * never less than the default (shields.io ignores lower values too) nor more
 * than a day.
 */
export function badgeCacheSeconds(asked: number | undefined): number {
  if (asked === undefined) return BADGE_CACHE_SECONDS;
  return Math.min(BADGE_MAX_CACHE_SECONDS, Math.max(BADGE_CACHE_SECONDS, asked));
}

const LABELS: Record<BadgeMetric, string> = {
  downloads: 'downloads',
  'downloads-week': 'downloads',
  'downloads-total': 'downloads',
  likes: 'likes',
  trending: 'trending',
  license: 'license',
  parameters: 'parameters',
};

/** A figure the catalogue does not have yet (no reading, no licence) is said plainly, in grey. */
const UNKNOWN = { message: 'unknown', color: 'lightgrey' };

function count(value: number | null, suffix = '', color = 'blue'): { message: string; color: string } {
  return value === null ? UNKNOWN : { message: shortNumber(value) + suffix, color };
}

function isMetric(metric: string): metric is BadgeMetric {
  return (BADGE_METRICS as readonly string[]).includes(metric);
}

/** The metrics drawn from the model's figures, which may be the demo's. */
const FIGURE_METRICS: readonly BadgeMetric[] = ['downloads', 'downloads-week', 'downloads-total', 'likes', 'trending'];

/** What a model's badge says for a metric, before any override; figures of the demo say so in the title. Pure. */
export function metricBadge(metric: BadgeMetric, model: ModelDto): BadgeContent {
  const content = contentOf(metric, model);
  return model.stats.demo && FIGURE_METRICS.includes(metric) ? { ...content, note: 'demo data' } : content;
}

function contentOf(metric: BadgeMetric, model: ModelDto): BadgeContent {
  const label = LABELS[metric];
  switch (metric) {
    // The model's complete-day windows, the very figures of the 30- and 7-day leaderboards (docs/stats.md).
    case 'downloads':
      return { label, ...count(model.stats.downloads30d, '/month', 'brightgreen') };
    case 'downloads-week':
      return { label, ...count(model.stats.downloads7d, '/week', 'brightgreen') };
    case 'downloads-total':
      return { label, ...count(model.stats.downloadsAllTime, '', 'brightgreen') };
    case 'likes':
      return { label, ...count(model.stats.likes) };
    case 'trending':
      return model.trending
        ? { label, message: `#${model.trending.rank}`, color: 'orange' }
        : { label, message: 'unranked', color: 'lightgrey' };
    case 'license':
      // The SPDX id where there is one (`MIT`, `Apache-2.0`) is what people expect on a badge;
      // custom licences have none and go by their name.
      return model.license
        ? { label, message: model.license.spdx ?? model.license.name, color: 'blue' }
        : { label, ...UNKNOWN };
    case 'parameters':
      return { label, ...count(model.parameters) };
  }
}

export interface BadgeOptions {
  style?: BadgeStyle;
  /** Replaces the left text; empty leaves the left part out. */
  label?: string;
  /** A named colour or hex digits for the message part; the API checks it first, as every colour here. */
  color?: string;
  labelColor?: string;
  logo?: BadgeLogo;
  logoColor?: string;
  /** How long the badge may be kept, in seconds (`badgeCacheSeconds` bounds it). */
  cacheSeconds?: number;
}

/** The shields.io endpoint schema (version 1), with no key outside it. */
export interface EndpointBadge {
  schemaVersion: 1;
  label: string;
  message: string;
  color: string;
  cacheSeconds: number;
  isError?: true;
  /** The schema's optional keys, present when the badge URL asked for them. */
  labelColor?: string;
  namedLogo?: string;
  logoColor?: string;
  style?: BadgeStyle;
}

/** The look a badge URL asks for, colours normalized; the API has checked each one. */
function lookOf(options: BadgeOptions): BadgeLook {
  const color = (value: string | undefined) =>
    value === undefined ? undefined : (normalizeBadgeColor(value) ?? undefined);
  return {
    style: options.style,
    labelColor: color(options.labelColor),
    logo: options.logo,
    logoColor: color(options.logoColor),
  };
}

export interface Badge {
  found: boolean;
  content: BadgeContent;
}

/** README badges of a model: an SVG, or the JSON shields.io's endpoint badge reads. */
/**
 * The badge of a request that failed (a bad parameter, over the rate limit,
 * the database out of reach, a path no route takes): grey, saying why in a
 * word or two, so a README shows a badge and never a broken image. The
 * metric comes from the URL unchecked, so any text is drawn as a label.
 */
export function errorBadge(metric: string, message: string): { svg: string; json: EndpointBadge } {
  const label = isMetric(metric) ? LABELS[metric] : 'modelpulse';
  const content: BadgeContent = { label, message, color: 'lightgrey' };
  return {
    svg: renderBadgeSvg(content),
    json: { schemaVersion: 1, ...content, cacheSeconds: BADGE_CACHE_SECONDS, isError: true },
  };
}

@Injectable()
export class BadgesService {
  constructor(private readonly models: ModelsService) {}

  /**
   * A model's badge for a metric. An unknown model or metric is a grey
   * "not found" badge rather than an error, so a README shows a badge that
   * says so instead of a broken image; an old id of a renamed model still
   * throws `ModelMovedError`, so the API redirects to the new one.
   */
  private async badge(slug: string, metric: string, options: BadgeOptions = {}): Promise<Badge> {
    const notFound = (label: string): Badge => ({
      found: false,
      content: { label: options.label ?? label, message: 'not found', color: 'lightgrey' },
    });
    if (!isMetric(metric)) return notFound('modelpulse');
    let model: ModelDto;
    try {
      model = await this.models.get(slug);
    } catch (error) {
      if (error instanceof ModelNotFoundError) return notFound(LABELS[metric]);
      throw error;
    }
    const content = metricBadge(metric, model);
    const color = options.color === undefined ? null : normalizeBadgeColor(options.color);
    return {
      found: true,
      content: {
        label: options.label ?? content.label,
        message: content.message,
        color: color ?? content.color,
        ...(content.note ? { note: content.note } : {}),
      },
    };
  }

  async svg(
    slug: string,
    metric: string,
    options: BadgeOptions = {},
  ): Promise<{ found: boolean; svg: string; cacheSeconds: number }> {
    const { found, content } = await this.badge(slug, metric, options);
    return {
      found,
      svg: renderBadgeSvg(content, lookOf(options)),
      cacheSeconds: badgeCacheSeconds(options.cacheSeconds),
    };
  }

  async endpoint(
    slug: string,
    metric: string,
    options: BadgeOptions = {},
  ): Promise<{ found: boolean; json: EndpointBadge }> {
    const { found, content } = await this.badge(slug, metric, options);
    const look = lookOf(options);
    return {
      found,
      json: {
        schemaVersion: 1,
        label: content.label,
        message: content.message,
        color: content.color,
        cacheSeconds: badgeCacheSeconds(options.cacheSeconds),
        ...(found ? {} : { isError: true as const }),
        ...(look.labelColor ? { labelColor: look.labelColor } : {}),
        // shields.io knows the mark by its simple-icons name.
        ...(look.logo ? { namedLogo: 'huggingface' } : {}),
        ...(look.logoColor ? { logoColor: look.logoColor } : {}),
        ...(look.style ? { style: look.style } : {}),
      },
    };
  }
}
