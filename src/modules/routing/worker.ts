// Islands of the parallel search, run inside a worker thread: one task per message.
import { parentPort } from 'node:worker_threads';
import { runIsland, type IslandTask } from './island';

parentPort!.on('message', (m: { id: number; task: IslandTask }) => {
  const { deadline } = m.task;
  // Started too late to help: answer at once with nothing.
  if (deadline !== undefined && Date.now() >= deadline) {
    Atomics.store(new Int32Array(m.task.alive), m.task.island, 0);
    parentPort!.postMessage({ id: m.id, result: { routes: [], cost: 0, feasible: false, iterations: 0 } });
    return;
  }
  parentPort!.postMessage({ id: m.id, result: runIsland(m.task) });
});
