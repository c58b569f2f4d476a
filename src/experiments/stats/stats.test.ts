import { describe, expect, it } from 'vitest';
import { logGamma, regularizedIncompleteBeta } from './incomplete-beta.js';
import { normalCdf, normalQuantile } from './normal.js';
import { studentTCdf, studentTQuantile, studentTTwoSided } from './student-t.js';
import { twoProportionTest } from './two-proportion.js';
import { summarize, welchDf, welchTest } from './welch.js';

// Expected values were computed independently with SciPy 1.17 (scipy.stats.norm, scipy.stats.t,
// scipy.special.betainc/gammaln, scipy.stats.ttest_ind(equal_var=False)); the rounded ones are
// those of printed tables (z 1.960, t 2.228 at df 10, 12.706 at df 1).
const close = (actual: number, expected: number, relative = 1e-12) => expect(Math.abs(actual - expected)).toBeLessThanOrEqual(relative * Math.max(1, Math.abs(expected)));

describe('normal distribution', () => {
  it.each([
    [0, 0.5],
    [1.96, 0.9750021048517795],
    [-1, 0.15865525393145707],
    [3, 0.9986501019683699],
    [6.5, 0.99999999995984],
  ])('GIVEN x = %d THEN Φ(x) = %d', (x, p) => close(normalCdf(x), p, 1e-14));

  it.each([
    [-5, 2.866515718791933e-7],
    [-8.5, 9.47953482220325e-18],
  ])('GIVEN a far tail x = %d THEN Φ(x) keeps its relative precision', (x, p) => expect(Math.abs(normalCdf(x) - p) / p).toBeLessThan(1e-9));

  it.each([
    [0.975, 1.959963984540054],
    [0.995, 2.5758293035489004],
    [0.05, -1.6448536269514729],
    [1e-10, -6.361340902404056],
    [0.5, 0],
    [0.999999, 4.753424308817087],
  ])('GIVEN p = %d THEN Φ⁻¹(p) = %d', (p, x) => close(normalQuantile(p), x, 1e-12));

  it('WHEN p is outside [0, 1] THEN the quantile refuses it', () => {
    expect(() => normalQuantile(1.5)).toThrow(RangeError);
    expect(normalQuantile(0)).toBe(-Infinity);
  });

  it('THEN the quantile inverts the CDF across the range', () => {
    // Only where p itself is exact in double: near 1, p = 1 − ε has lost the tail's digits already.
    for (let x = -8; x <= 2; x += 0.25) close(normalQuantile(normalCdf(x)), x, 1e-9);
  });
});

describe('incomplete beta and log gamma', () => {
  it.each([
    [0.5, 0.5723649429247],
    [1, 0],
    [10, 12.801827480081469],
    [100.5, 361.43554046777757],
    [0.1, 2.252712651734206],
  ])('GIVEN x = %d THEN ln Γ(x) = %d', (x, y) => close(logGamma(x), y, 1e-13));

  it.each([
    [0.3, 2, 3, 0.34829999999999994],
    [0.9, 0.5, 0.5, 0.7951672353008665],
    [0.5, 10, 20, 0.9692858271300793],
    [0.99, 200, 0.5, 0.04509410713707966],
  ])('GIVEN x = %d, a = %d, b = %d THEN I_x(a, b) = %d', (x, a, b, y) => close(regularizedIncompleteBeta(x, a, b), y, 1e-12));
});

describe("Student's t distribution", () => {
  it.each([
    [2.228138851986, 10, 0.9749999999999883],
    [1, 1, 0.75],
    [-1.5, 2, 0.13619656244550055],
    [2.5, 4.7, 0.9712039203265663],
    [0.3, 120, 0.6176518944124068],
    [-3, 7.25, 0.009567066496584549],
  ])('GIVEN t = %d, df = %d THEN the CDF is %d', (t, df, p) => close(studentTCdf(t, df), p, 1e-12));

  it.each([
    [0.975, 10, 2.228138851986274],
    [0.975, 1, 12.706204736174694],
    [0.995, 30, 2.7499956535672254],
    [0.975, 30, 2.0422724563012378],
    [0.95, 4.7, 2.043811093013787],
    [0.025, 2, -4.302652729749464],
  ])('GIVEN p = %d, df = %d THEN the quantile is %d', (p, df, t) => close(studentTQuantile(p, df), t, 1e-10));

  it('GIVEN the printed table value t(0.975, 10) = 2.228 THEN the two-sided p is 0.05 to table precision', () => {
    expect(studentTTwoSided(2.228, 10)).toBeCloseTo(0.05, 3);
  });

  it('GIVEN df = 2 THEN the CDF matches its closed form ½ + t / (2√(2 + t²))', () => {
    for (const t of [-4, -1, 0, 0.5, 3]) close(studentTCdf(t, 2), 0.5 + t / (2 * Math.sqrt(2 + t * t)), 1e-13);
  });

  it('GIVEN very many degrees of freedom THEN t approaches the normal', () => {
    close(studentTQuantile(0.975, 1e7), 1.959963984540054, 1e-6);
  });
});

describe('two-proportion z-test', () => {
  it('GIVEN 100/1000 against 130/1000 THEN z, p and the 95 % interval are the textbook ones', () => {
    const r = twoProportionTest({ successes: 100, trials: 1000 }, { successes: 130, trials: 1000 }, 0.05);
    close(r.difference, 0.03, 1e-12);
    close(r.z, 2.102740605622114, 1e-12);
    close(r.pValue, 0.03548845046647471, 1e-12);
    close(r.ci[0], 0.0020679344393763656, 1e-12);
    close(r.ci[1], 0.057932065560623636, 1e-12);
  });

  it('GIVEN equal rates THEN z = 0 and p = 1', () => {
    const r = twoProportionTest({ successes: 50, trials: 500 }, { successes: 50, trials: 500 }, 0.05);
    expect(r.z).toBe(0);
    close(r.pValue, 1);
  });

  it('GIVEN both arms at 0 % THEN there is no variance: p = 1, interval [0, 0]', () => {
    const r = twoProportionTest({ successes: 0, trials: 200 }, { successes: 0, trials: 200 }, 0.05);
    expect(r).toEqual({ difference: 0, ci: [0, 0], z: 0, pValue: 1 });
  });

  it('WHEN an arm has more conversions than exposures THEN it is refused', () => {
    expect(() => twoProportionTest({ successes: 5, trials: 4 }, { successes: 1, trials: 4 }, 0.05)).toThrow(RangeError);
    expect(() => twoProportionTest({ successes: 0, trials: 0 }, { successes: 1, trials: 4 }, 0.05)).toThrow(RangeError);
  });
});

describe("Welch's t-test", () => {
  // A classic pair of samples of unequal variance (Welch's test examples).
  const a = [27.5, 21.0, 19.0, 23.6, 17.0, 17.9, 16.9, 20.1, 21.9, 22.6, 23.1, 19.6, 19.0, 21.7, 21.4];
  const b = [27.1, 22.0, 20.8, 23.4, 23.4, 23.5, 25.8, 22.0, 24.8, 20.2, 21.9, 22.1, 22.9, 20.5, 24.4];

  it('GIVEN two samples THEN mean and unbiased variance are those of the data', () => {
    const s = summarize(a);
    expect(s.n).toBe(15);
    close(s.mean, 20.82, 1e-12);
    close(s.variance, 7.867428571428571, 1e-12);
  });

  it('GIVEN the two samples THEN t, Welch–Satterthwaite df, p and the 95 % interval match SciPy', () => {
    const r = welchTest(summarize(a), summarize(b), 0.05);
    close(r.t, 2.455356398286006, 1e-11);
    close(r.df, 24.988529290231416, 1e-11);
    close(welchDf(summarize(a), summarize(b)), 24.988529290231416, 1e-11);
    close(r.pValue, 0.021378001462866992, 1e-10);
    close(r.ci[0], 0.3492370661924069, 1e-10);
    close(r.ci[1], 3.984096267140929, 1e-10);
  });

  it('GIVEN two constant samples THEN equal means are p = 1 and different ones p = 0', () => {
    expect(welchTest({ n: 5, mean: 3, variance: 0 }, { n: 5, mean: 3, variance: 0 }, 0.05).pValue).toBe(1);
    expect(welchTest({ n: 5, mean: 3, variance: 0 }, { n: 5, mean: 4, variance: 0 }, 0.05).pValue).toBe(0);
  });

  it('WHEN a sample has one observation THEN it is refused', () => {
    expect(() => welchTest({ n: 1, mean: 3, variance: Number.NaN }, summarize(b), 0.05)).toThrow(RangeError);
  });
});
