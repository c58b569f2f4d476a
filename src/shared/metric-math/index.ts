// Metric math (CloudWatch's expression language over metric ids), shared by the app model's
// validation, the telemetry API and the alarm engine: one parser, evaluated by telemetry.
export { parseMathExpression, mathReferences, type MathExpr, type MathOp } from './parse-math-expression.js';
