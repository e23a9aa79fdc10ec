import { chartPicture, CHART_PICTURE_WIDTHS_PX } from './chart-picture';

/** The drawing width a browser picks for a screen: the first `<source>` whose media matches, else the `<img>`'s. */
function picked(markup: string, screenPx: number): number {
  for (const [, maxWidth, width] of markup.matchAll(
    /<source media="\(max-width: (\d+)px\)" srcset="[^"]*width=(\d+)">/g,
  )) {
    if (screenPx <= Number(maxWidth)) return Number(width);
  }
  return 640;
}

describe('chartPicture', () => {
  const markup = chartPicture('/v1/models/a/b/chart.svg?metric=downloads&days=90', 'Daily downloads of a/b');

  it('offers a narrower drawing for each narrower screen, the img keeping the default', () => {
    expect(CHART_PICTURE_WIDTHS_PX).toEqual([288, 384, 480, 560, 640]);
    expect(markup).toContain(
      '<source media="(max-width: 431px)" srcset="/v1/models/a/b/chart.svg?metric=downloads&amp;days=90&amp;width=288">',
    );
    expect(markup).toContain(
      '<img class="chart" src="/v1/models/a/b/chart.svg?metric=downloads&amp;days=90" alt="Daily downloads of a/b">',
    );
  });

  it('never picks a drawing wider than the column (the screen less 32 px), so its text is never shrunk', () => {
    for (let screen = 320; screen <= 1600; screen++) {
      expect({ screen, fits: picked(markup, screen) <= screen - 32 }).toEqual({ screen, fits: true });
    }
  });

  it('picks the widest drawing that fits with 16 px to spare for a desktop scrollbar', () => {
    expect([320, 390, 431, 432, 527, 528, 607, 608, 687, 688, 1024].map((screen) => picked(markup, screen))).toEqual([
      288, 288, 288, 384, 384, 480, 480, 560, 560, 640, 640,
    ]);
  });
});
