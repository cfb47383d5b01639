import type { CallMiddleware } from '../../spec/pipeline.js';
import { callEventBuilder, callEventMiddleware, type CallEventOptions } from '../call-event.js';
import type { Alert, AlertDetector } from './alert.js';

export interface AlertMiddlewareOptions extends Omit<CallEventOptions, 'identifiers' | 'clock'> {
  detectors: readonly AlertDetector[];
  /** Receives each alert as it is detected; page someone, post to a channel. Must not throw (errors go to `onError`). */
  onAlert: (alert: Alert) => void;
  /** Milliseconds since the epoch: windows and cooldowns follow it. Default `Date.now`. */
  clock?: (() => number) | undefined;
  /** How detectors see tenant, user and session ids. Default 'omitted': the built-in detectors count globally. */
  identifiers?: CallEventOptions['identifiers'];
  /** Receives what a detector or `onAlert` throws; a call's result never depends on them. Default: ignored. */
  onError?: ((error: unknown) => void) | undefined;
}

export interface AlertMiddleware extends CallMiddleware {
  /** Runs the detectors' own checks (the audit sink's health) and delivers their alerts. Call it on a timer. */
  check(): Alert[];
}

/** Feeds every finished call to the detectors and hands their alerts to `onAlert`. */
export function alertMiddleware(options: AlertMiddlewareOptions): AlertMiddleware {
  const clock = options.clock ?? Date.now;
  const onError = options.onError ?? (() => {});
  const deliver = (alerts: Alert[]): Alert[] => {
    for (const alert of alerts) {
      try {
        options.onAlert(alert);
      } catch (error) {
        onError(error);
      }
    }
    return alerts;
  };
  const each = (run: (detector: AlertDetector) => Alert[]): Alert[] =>
    options.detectors.flatMap((detector) => {
      try {
        return run(detector);
      } catch (error) {
        onError(error);
        return [];
      }
    });
  const build = callEventBuilder({ identifiers: options.identifiers ?? 'omitted', key: options.key, clock, traceContext: options.traceContext }, 'alertMiddleware');
  const middleware = callEventMiddleware('alerts', build, (event) => void deliver(each((d) => d.observe(event, clock()))), onError);
  return { ...middleware, check: () => deliver(each((d) => d.check?.(clock()) ?? [])) };
}
