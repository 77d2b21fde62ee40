// Loading state of one panel's data: loading, ready with data, or failed with an
// ApiError. A new load cancels the one in flight, so a late answer never overwrites a
// newer one.
import { ApiError } from '../api/index.ts';

export type ResourceState<T> =
  | { status: 'loading' }
  | { status: 'ready'; data: T }
  | { status: 'error'; error: ApiError };

export class Resource<T> {
  // Raw: the data is replaced, never mutated, and charts get plain objects, not proxies.
  #state = $state.raw<ResourceState<T>>({ status: 'loading' });
  #controller: AbortController | null = null;
  readonly #loader: (signal: AbortSignal) => Promise<T>;

  constructor(loader: (signal: AbortSignal) => Promise<T>) {
    this.#loader = loader;
  }

  get state(): ResourceState<T> {
    return this.#state;
  }

  /** Starts (or restarts) loading. */
  load = (): void => {
    this.#controller?.abort();
    const controller = new AbortController();
    this.#controller = controller;
    this.#state = { status: 'loading' };
    this.#loader(controller.signal).then(
      (data) => {
        if (!controller.signal.aborted) this.#state = { status: 'ready', data };
      },
      (error: unknown) => {
        if (controller.signal.aborted) return;
        this.#state = {
          status: 'error',
          error: error instanceof ApiError ? error : new ApiError(error instanceof Error ? error.message : String(error), 'server'),
        };
      },
    );
  };

  /** Cancels a load in flight; call when the component using it goes away. */
  cancel = (): void => {
    this.#controller?.abort();
    this.#controller = null;
  };
}
