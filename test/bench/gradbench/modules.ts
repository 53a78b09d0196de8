/**
 * The GradBench evals that ad-ts implements, by module name.
 */
import { ba } from './evals/ba.js'
import { det } from './evals/det.js'
import { gmm } from './evals/gmm.js'
import { hello } from './evals/hello.js'
import { ht } from './evals/ht.js'
import { kmeans } from './evals/kmeans.js'
import { llsq } from './evals/llsq.js'
import { lse } from './evals/lse.js'
import { lstm } from './evals/lstm.js'
import { ode } from './evals/ode.js'
import { particle } from './evals/particle.js'
import { saddle } from './evals/saddle.js'
import type { EvalModule } from './protocol.js'

/** Every eval module, by the name the eval defines. */
export const modules: Readonly<Record<string, EvalModule>> = {
  hello,
  llsq,
  lse,
  gmm,
  det,
  kmeans,
  ode,
  lstm,
  ba,
  ht,
  particle,
  saddle,
}
