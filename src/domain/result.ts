/** Expected outcomes are values: a flow either succeeds or says, in a sentence, why not. */
export type Result<T, C extends string = string> =
  | { readonly ok: true; readonly value: T }
  | {
      readonly ok: false;
      readonly code: C;
      readonly message: string;
      /** The input field at fault, when there is one (a modal shows the message under it). */
      readonly field?: string;
    };

export const ok = <T>(value: T): Result<T, never> => ({ ok: true, value });
export const fail = <C extends string>(
  code: C,
  message: string,
  field?: string,
): { ok: false; code: C; message: string; field?: string } => ({
  ok: false,
  code,
  message,
  ...(field !== undefined ? { field } : {}),
});
