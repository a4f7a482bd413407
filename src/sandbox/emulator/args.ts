/**
 * Reading Web API arguments as Slack does (form fields arrive as strings) and answering in its
 * JSON shape: `{ ok: false, error }` with Slack's own error names.
 */

export type Args = Record<string, unknown>;
export type ApiResult = { ok: boolean } & Record<string, unknown>;

export const fail = (error: string, extra: Record<string, unknown> = {}): ApiResult => ({
  ok: false,
  error,
  ...extra,
});

export const isFailure = <T extends object>(v: T | ApiResult): v is ApiResult => 'ok' in v;

export const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

export const str = (v: unknown): string | undefined =>
  typeof v === 'string' && v !== '' ? v : typeof v === 'number' ? String(v) : undefined;

export const flag = (v: unknown): boolean => v === true || v === 'true' || v === '1' || v === 1;

export const int = (v: unknown): number | undefined => {
  const n = typeof v === 'number' ? v : typeof v === 'string' && v !== '' ? Number(v) : NaN;
  return Number.isFinite(n) ? Math.trunc(n) : undefined;
};
