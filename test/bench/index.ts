/**
 * `npm run bench`: every benchmark, each reported as a ratio to a baseline measured in
 * the same run (these machines are shared and noisy; absolute times are for scale).
 */
import { linalgBench } from './linalg.js'
import { logisticBench } from './logistic.js'
import { matmulBench, threadsBench } from './matmul.js'
import { mlpBench } from './mlp.js'
import { opsBench } from './ops.js'
import { rosenbrockBench } from './rosenbrock.js'
import { scaleBench } from './scale.js'
import { solversBench } from './solvers.js'
import { trainingBench } from './training.js'
import { transformsBench } from './transforms.js'

const only = process.argv[2]
const sections: Record<string, () => ReadonlyArray<string> | Promise<ReadonlyArray<string>>> = {
  rosenbrock: rosenbrockBench,
  logistic: () => [
    'Logistic regression loss + gradient, tensor backend (mean NLL, 3 features; medians over interleaved rounds)',
    ...logisticBench(),
  ],
  training: trainingBench,
  matmul: async () => [...matmulBench(), ...(await threadsBench())],
  mlp: mlpBench,
  ops: opsBench,
  solvers: solversBench,
  transforms: transformsBench,
  linalg: linalgBench,
  // Last: it drives the peak memory of the process.
  scale: scaleBench,
}
for (const [name, run] of Object.entries(sections)) {
  if (only !== undefined && only !== name) continue
  console.log((await run()).join('\n'))
}
