/**
 * `ad-ts/laws`: fast-check law suites for instances, ops and the tape monad. Each suite
 * runs `fc.assert` and throws on a violation, so it drops into any test runner.
 *
 * @module ad-ts/laws
 * @since 0.1.0
 */
export * from './close.js'
export * from './customRuleLaws.js'
export * from './derivativeLaws.js'
export * from './floatingLaws.js'
export * from './perElement.js'
export * from './programLaws.js'
export * from './programs.js'
export * from './run.js'
export * from './subject.js'
export * from './tapeLaws.js'
export * from './tensorDerivativeLaws.js'
