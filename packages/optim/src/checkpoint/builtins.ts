/**
 * The built-in rules and schedules, for the checkpoint path only: collected from the exports of the rule, composition
 * and schedule modules (whatever carries a definition), so there is no table to keep up to date, and an app that
 * never loads a checkpoint never bundles them all.
 * @module
 */
import * as compose from '../compose/index.js';
import { Registry, isRuleDefinition, isScheduleDefinition } from '../registry.js';
import * as rules from '../rules/index.js';
import * as schedules from '../schedules/index.js';

let builtins: Registry | undefined;

/** A registry of every built-in definition (built on first use). */
export function builtinRegistry(): Registry {
  if (builtins !== undefined) return builtins;
  const r = new Registry();
  for (const x of [...Object.values(rules), ...Object.values(compose)]) {
    const d = (x as { definition?: unknown }).definition;
    if (isRuleDefinition(d)) r.registerRule(d);
  }
  for (const x of Object.values(schedules)) {
    const d = (x as { definition?: unknown }).definition;
    if (isScheduleDefinition(d)) r.registerSchedule(d);
  }
  builtins = r;
  return r;
}
