import { describe, expect, it } from 'vitest';
import { predict, train } from './classifier.ts';
import { syntheticMessages } from './synthetic-messages.fixture.ts';
import { trainInWorker } from './train-worker.ts';

describe('training in a worker thread', () => {
  it('returns a model that predicts exactly like one trained in the calling thread', async () => {
    const examples = syntheticMessages(20);
    const options = { calibrationShare: 0, seed: 7 };
    const [inWorker, here] = [await trainInWorker(examples, options), train(examples, options)];
    expect(inWorker.labels).toEqual(here.labels);
    for (const text of ['楼下的烧烤摊晚上噪音扰民睡不着', '公交班次太少等车一个小时', '培训机构退费难，请教育局处理']) {
      expect(predict(inWorker, text, 3)).toEqual(predict(here, text, 3));
    }
  });

  it('reports a training failure as a rejected promise, not a crash', async () => {
    await expect(trainInWorker([], {})).rejects.toThrow();
  });
});
