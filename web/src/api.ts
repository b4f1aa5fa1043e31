// The server's JSON API as the dashboard uses it (docs/SERVING.md): typed answers, and errors
// that carry the server's message.

export interface ItemRow {
  item_id: string;
  name: string | null;
  category: string | null;
  price: number | null;
  image_url: string | null;
  score?: number;
}

export interface ModelRef {
  spec: string;
  version: number;
}

export interface Recommendations {
  user_id: string | null;
  model: ModelRef;
  served_as: string;
  items: ItemRow[];
  warnings: string[];
}

export interface HistoryRow extends ItemRow {
  weight: number;
  last_time: string | null;
}

export interface History {
  user_id: string;
  known_to_model: boolean;
  training: HistoryRow[];
  live: string[];
  live_removed: string[];
}

export interface Item extends ItemRow {
  categories: string[];
  available: boolean | null;
  training_users: number;
}

export interface ItemList {
  list: string;
  model: ModelRef;
  items: ItemRow[];
  warnings: string[];
}

export interface ModelInfo {
  kind: string;
  spec: string;
  version: number;
  source: string;
  loaded_at: string;
  trained_at: string | null;
  data_as_of: string | null;
  data_fingerprint: string | null;
  aisle_version: string | null;
  users: number;
  items: number;
  training_pairs: number;
  cache_depth: number;
  ann: { kind: string; m: number; ef_construction: number; ef_search: number } | null;
  live_feedback_users: number;
}

// GET /api/models: the serving model, the companion models (serve.companions) and the registry.
export interface ServedModel {
  name: string;
  status: string; // "loading", "ready" or "failed: why"
  model?: string; // a companion's configured reference
  kind?: string | null;
  spec?: string | null;
  parameters?: Record<string, string> | null;
  version?: number;
  source?: string | null;
}

export interface ParamSchema {
  name: string;
  type: 'int' | 'float' | 'choice';
  default: string;
  min?: number;
  max?: number;
  log_scale?: boolean;
  choices?: string[];
  help: string;
}

export interface RegistryModel {
  name: string;
  summary: string;
  pipeline: boolean;
  members: string | null;
  available: boolean;
  parameters: ParamSchema[];
}

export interface Models {
  serving: ServedModel;
  companions: ServedModel[];
  registry: RegistryModel[];
}

// What `aisle evaluate --out` writes to report.json (the parts the dashboard shows).
export interface EvaluationModel {
  spec: string;
  label?: string;
  fit_seconds?: number;
  metrics: Record<string, { value: number | null; ci95?: [number, number] }>;
  vs_baseline?: Record<string, { difference: number; lift: number | null; p_value: number }>;
}

export interface EvaluationReport {
  split?: string;
  ranking?: string;
  baseline?: string;
  ks?: number[];
  dataset?: { source?: string; users?: number; items?: number; evaluated_users?: number };
  models: EvaluationModel[];
}

export interface Reports {
  folder: string | null;
  reports: { name: string; path: string; modified?: string; report?: EvaluationReport; error?: string }[];
}

export interface BoughtWithRow extends ItemRow {
  together: number;
  share: number;
  lift: number;
}

export interface BoughtWith {
  item_id: string;
  buyers: number;
  items: BoughtWithRow[];
}

export interface Retrained {
  accepted: boolean;
  summary: string;
  seconds: number;
  version: number;
  spec: string;
}

export interface Stats {
  model_version: number;
  users: number;
  items: number;
  catalog_items: number;
  events: number;
  sessions: number;
  first_time: string | null;
  last_time: string | null;
  event_types: { type: string; events: number }[];
  average_price: number | null;
  items_with_price: number;
  price_histogram: { bins: { from: number; to: number; items: number }[]; above: number };
  most_bought: { item_id: string; name: string | null; purchases: number } | null;
  top_items: { item_id: string; name: string | null; events: number; users: number }[];
  categories: { id: string; label: string; items: number; events: number }[];
  events_over_time: { bucket: string; points: { start: string; events: number }[] };
  active_users: { user_id: string; events: number }[];
}

export interface Experiment {
  name: string;
  state: string;
  mode: string;
  layer: string;
  traffic: number;
  control: string;
  start: string | null;
  stop: string | null;
  attribution_seconds: number;
  source: string;
  arms: { name: string; model: string; share: number; status: string }[];
}

type Interval = { value: number; lo: number; hi: number };
type Comparison = {
  difference: number;
  lift: number | null;
  p_value: number;
  interval: [number, number];
  sequential_p_value: number;
  sequential_interval: [number, number];
};

export interface ExperimentArmReport {
  name: string;
  model: string;
  share: number;
  control: boolean;
  visitors: number;
  impressions: number;
  click_rate: Interval | null;
  add_to_cart_rate: Interval | null;
  purchase_rate: Interval | null;
  revenue_per_visitor: Interval | null;
  vs_control?: Record<'click_rate' | 'add_to_cart_rate' | 'purchase_rate', Comparison>;
}

export interface InterleavingReport {
  arms: [string, string];
  visitors: number;
  impressions: number;
  clicked_impressions: number;
  prefer: Record<string, number>; // per arm, and "tie"
  delta: number;
  p_value: number;
}

export interface ExperimentReport {
  name: string;
  state: string;
  mode: string;
  impressions: number;
  arms: ExperimentArmReport[];
  interleaving?: InterleavingReport;
  sample_ratio?: { chi_squared: number; p_value: number; mismatch: boolean; threshold: number };
}

// An answer other than 2xx: the status and the server's {"error": {"message"}}.
export class ApiError extends Error {
  constructor(
    readonly status: number,
    message: string,
    readonly details: unknown = null,
  ) {
    super(message);
  }
}

async function get<T>(path: string, init?: RequestInit): Promise<T> {
  const response = await fetch(path, { ...init, headers: { Accept: 'application/json', ...authorization(), ...init?.headers } });
  const text = await response.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // not JSON: reported below
  }
  if (!response.ok) {
    const answer = body as { error?: { message?: string }; details?: unknown } | null;
    const message = answer?.error?.message ?? `${response.status} ${response.statusText}`;
    throw new ApiError(response.status, message, answer?.details ?? null);
  }
  if (body === null) throw new ApiError(response.status, `${path}: the answer is not JSON`);
  return body as T;
}

const q = encodeURIComponent;

// The API token, when the person gave one (on the Models page): kept in this tab's session
// storage only, sent with every call (a history, a retrain and the experiments' start and stop
// need it; with serve.open_reads = false every read does).
export const kTokenKey = 'aisle.token';
function authorization(): Record<string, string> {
  const token = sessionStorage.getItem(kTokenKey);
  return token ? { Authorization: `Bearer ${token}` } : {};
}

export function recommendations(user: string, k: number, category: string): Promise<Recommendations> {
  let path = `/api/recommendations?user_id=${q(user)}&k=${k}`;
  if (category) path += `&category=${q(category)}`;
  return get(path);
}

export const history = (user: string): Promise<History> => get(`/api/users/${q(user)}/history`);
export const item = (id: string): Promise<Item> => get(`/api/items/${q(id)}`);
export const similar = (id: string, k: number): Promise<ItemList> => get(`/api/items/${q(id)}/similar?k=${k}`);
export const popular = (k: number): Promise<ItemList> => get(`/api/popular?k=${k}`);
export const model = (): Promise<ModelInfo> => get('/api/model');
export const stats = (): Promise<Stats> => get('/api/stats');
export const searchItems = (text: string, k: number): Promise<{ q: string; items: (ItemRow & { training_users: number })[] }> =>
  get(`/api/items?q=${q(text)}&k=${k}`);

// An anonymous session's recommendations (the items newest last), by the serving model or by
// the companion model named.
export const sessionRecommend = (items: string[], k: number, modelName?: string): Promise<Recommendations> =>
  get('/api/session/recommend', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(modelName === undefined ? { items, k } : { items, k, model: modelName }),
  });

export const models = (): Promise<Models> => get('/api/models');
export const reports = (): Promise<Reports> => get('/api/reports');
export const boughtWith = (id: string, k: number): Promise<BoughtWith> => get(`/api/items/${q(id)}/bought-with?k=${k}`);

export const experiments = (): Promise<{ experiments: Experiment[] }> => get('/api/experiments');
export const experiment = (name: string): Promise<ExperimentReport> => get(`/api/experiments/${q(name)}`);
export const experimentAction = (name: string, action: 'start' | 'stop'): Promise<unknown> =>
  get(`/api/admin/experiments/${q(name)}/${action}`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{}' });

// Defines (or redefines) an experiment: POST /api/admin/experiments (the token).
export const defineExperiment = (definition: { name: string; mode: string; arms: { name: string; model: string; share: number }[] }): Promise<unknown> =>
  get('/api/admin/experiments', { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(definition) });

// A refused model (409) is an answer too: its details say why.
export async function retrain(): Promise<Retrained> {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  try {
    return await get<Retrained>('/api/admin/retrain', { method: 'POST', headers, body: '{}' });
  } catch (e) {
    if (e instanceof ApiError && e.details) return e.details as Retrained;
    throw e;
  }
}
