/**
 * Version-1 checkpoints (natgrad 0.1) of rules that gained hyperparameters since: they load, and the continued run
 * is the one natgrad 0.1 computed (fixture generated with 0.1's code).
 */
import { readFileSync } from 'node:fs';
import { Tensor } from '@natgrad/core';
import { AdaGrad, describeRule, load, save, setup, update } from '@natgrad/optim';
import { describe, expect, it } from 'vitest';

interface Enc { shape: number[]; data: number[] }
const cases = JSON.parse(readFileSync(new URL('./fixtures/v1-checkpoints.json', import.meta.url), 'utf8')).cases;
const tensors = (t: Record<string, Enc>) => Object.fromEntries(Object.entries(t).map(([k, v]) => [k, Tensor.from(v.data).reshape(v.shape)]));

describe('version-1 checkpoints of rules with hyperparameters added since', () => {
  const c = cases['adagrad-before-initial-accumulator'];

  it('AdaGrad without initialAccumulatorValue loads with the ε its accumulator started at', () => {
    expect(JSON.parse(c.checkpoint).rule.hyperparams).not.toHaveProperty('initialAccumulatorValue');
    const opt = load(c.checkpoint, { params: tensors(c.params) });
    expect(describeRule(opt.rule).hyperparams).toEqual({ lr: 0.1, eps: 1e-6, initialAccumulatorValue: 1e-6 });
  });

  it('the continued update is natgrad 0.1’s, bit for bit, and the re-saved file is a current one that loads', () => {
    const params = tensors(c.params);
    const opt = load(c.checkpoint, { params });
    const [next, p] = update(opt, params, tensors(c.grad)) as [typeof opt, Record<string, Tensor>];
    for (const k of Object.keys(c.after)) expect(Array.from(p[k].data)).toEqual(c.after[k].data);
    const again = load(save(next), { params: p });
    expect(describeRule(again.rule)).toEqual(describeRule(setup(AdaGrad(0.1, 1e-6), params).rule));
  });

  it('a current (version 2) file missing a hyperparameter is still refused', () => {
    const params = tensors(c.params);
    const doc = JSON.parse(save(setup(AdaGrad(0.1, 1e-6), params)));
    delete doc.rule.hyperparams.initialAccumulatorValue;
    expect(() => load(JSON.stringify(doc), { params, verifyChecksum: false })).toThrow(/initialAccumulatorValue/);
  });
});
