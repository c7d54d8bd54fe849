/**
 * `TrainObservable`: an Observable that stops when its consumer throws. rxjs 7 catches an exception thrown by a
 * subscriber's `next`, reports it asynchronously (`config.onUnhandledError`, else a rethrow in a timer: an uncaught
 * exception in Node) and stays subscribed, so a training loop would go on computing steps for a consumer that has
 * already failed. Here the consumer is wrapped: an exception unsubscribes it — which stops the run at once — and is
 * rethrown unchanged, so rxjs reports exactly what it reported before.
 * @module
 */
import { Observable, type Observer, type Operator, Subscriber, type Subscription, type TeardownLogic } from 'rxjs';

type Consumer<T> = Partial<Observer<T>> | ((value: T) => void) | null | undefined;

function isSubscriber(x: unknown): x is Subscriber<unknown> {
  return x instanceof Subscriber;
}

/**
 * Marks the class across copies of this module: the CommonJS build of the `progress` entry point bundles its own copy,
 * so `instanceof` would not recognise a `train` stream from the main entry.
 */
const BRAND = Symbol.for('@natgrad/optim.TrainObservable');

function isTrainObservable(x: unknown): boolean {
  return x !== null && typeof x === 'object' && (x as Record<symbol, unknown>)[BRAND] === true;
}

/**
 * An Observable whose subscription ends when the consumer's `next` throws (the exception is still reported by rxjs
 * as usual). `train` returns one, and the class survives `.pipe(...)`: rxjs operators create their output with
 * `lift`, which keeps it, and this package's operators keep it too (with {@link derived}). @internal So `train(…).pipe(map(…), every(10))
 * .subscribe(throwingObserver)` stops the run on the first exception instead of training on unobserved.
 *
 * Combination functions (`merge`, `concat`, `combineLatest`, …) return plain Observables; subscribe to each
 * `TrainObservable` through them and the guarantee holds for the inner subscriptions only.
 */
export class TrainObservable<T> extends Observable<T> {
  /** @param subscribe as for `new Observable(subscribe)` */
  constructor(subscribe?: (this: Observable<T>, subscriber: Subscriber<T>) => TeardownLogic) {
    super(subscribe);
    Object.defineProperty(this, BRAND, { value: true });
  }

  /** As `Observable.lift`, but the result is a `TrainObservable`, so operators applied with `pipe` keep the class. */
  override lift<R>(operator?: Operator<T, R>): Observable<R> {
    const observable = new TrainObservable<R>();
    // rxjs marks these fields internal; lift is the one place that must set them.
    (observable as unknown as { source: Observable<T> }).source = this;
    (observable as unknown as { operator?: Operator<T, R> }).operator = operator;
    return observable;
  }

  /**
   * Subscribes like `Observable.subscribe`; if the consumer's `next` throws, the subscription is ended (stopping the
   * producer, e.g. a training loop) before the exception goes on to rxjs's usual reporting.
   */
  override subscribe(observerOrNext?: Consumer<T>): Subscription;
  /** @deprecated the three-callback form, as in rxjs */
  override subscribe(next?: ((value: T) => void) | null, error?: ((error: any) => void) | null, complete?: (() => void) | null): Subscription;
  override subscribe(
    observerOrNext?: Consumer<T>,
    error?: ((error: any) => void) | null,
    complete?: (() => void) | null,
  ): Subscription {
    // rxjs's own plumbing (operators subscribing to their source) passes Subscribers: never wrapped.
    if (isSubscriber(observerOrNext)) return super.subscribe(observerOrNext as Subscriber<T>);
    const observer: Partial<Observer<T>> =
      typeof observerOrNext === 'function' || observerOrNext === null || observerOrNext === undefined
        ? { next: observerOrNext ?? undefined, error: error ?? undefined, complete: complete ?? undefined }
        : observerOrNext;
    const next = observer.next;
    if (typeof next !== 'function') return super.subscribe(observer);
    let subscription: Subscription | undefined;
    let failed = false;
    const guarded: Partial<Observer<T>> = {
      next(value: T) {
        try {
          next.call(observer, value);
        } catch (e) {
          failed = true;
          subscription?.unsubscribe();
          throw e; // rxjs reports it exactly as it would have
        }
      },
      ...(observer.error ? { error: (e: unknown) => observer.error!.call(observer, e) } : {}),
      ...(observer.complete ? { complete: () => observer.complete!.call(observer) } : {}),
    };
    subscription = super.subscribe(guarded);
    // A synchronous source may have thrown into the consumer before subscribe returned.
    if (failed) subscription.unsubscribe();
    return subscription;
  }
}

/**
 * The output Observable of one of this package's operators: a {@link TrainObservable} when its source is one, so
 * the consumer-error guarantee survives `pipe`.
 */
export function derived<T>(source: Observable<unknown>, subscribe: (subscriber: Subscriber<T>) => TeardownLogic): Observable<T> {
  return isTrainObservable(source) ? new TrainObservable<T>(subscribe) : new Observable<T>(subscribe);
}
