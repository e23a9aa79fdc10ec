/** The shape of a trending scenario file, shared by the generator and the evaluation. */

/** `[observedAt, downloadsAllTime, likes, stars]`: one reading as a hub would report it. */
export type ScenarioReading = [string, number, number, number];

export interface ScenarioModel {
  id: string;
  /** What the model stands for in the scenario (`giant`, `launch`, `bot-spike`…); the ranking never sees it. */
  role: string;
  /** Null when the catalogue does not know it (a model found by discovery). */
  releaseDate: string | null;
  readings: ScenarioReading[];
}

export interface Scenario {
  name: string;
  description: string;
  startDate: string;
  endDate: string;
  /** asOf days scored for precision at 10 and false alarms. */
  evalFrom: string;
  evalTo: string;
  /** The models that later lead: top `size` by true downloads over `from`..`to`. */
  leaders: { from: string; to: string; size: number; models: string[] };
  /** True daily downloads of each model (index 0 = startDate), for the "reaches the top" days. */
  truthDownloads: Record<string, number[]>;
  models: ScenarioModel[];
}
