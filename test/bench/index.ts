/**
 * `npm run bench`: every benchmark, each reported as a ratio to a baseline measured in
 * the same run (these machines are shared and noisy; absolute times are for scale).
 */
import { rosenbrockBench } from './rosenbrock.js'

const lines = [...rosenbrockBench()]
console.log(lines.join('\n'))
