/** anafanafo ships no types: it measures text in px from the width tables shields.io uses. */
declare module 'anafanafo' {
  export type AnafanafoFont = '10px Verdana' | 'bold 10px Verdana' | '11px Verdana' | 'bold 11px Helvetica';
  export default function measure(text: string, options: { font: AnafanafoFont; guess?: boolean }): number;
}
