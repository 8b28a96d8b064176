package dev.vectorgrad.engine.kernels;

/**
 * The constants behind {@link FloatMath} (and its generated DoubleMath twin), one set per dtype: FLOAT64
 * needs more terms, since the gradient checks, which run in FLOAT64, need these functions to near double
 * precision. Held here, outside the Float* template, so that the template's dtype swap picks the set:
 * FloatMath names {@code MathCoefficients.FLOAT32}, which the build turns into {@code FLOAT64} in
 * DoubleMath.
 *
 * <p>{@code ln2} and {@code piOver2} are the constants split into parts of the element type, each the
 * nearest to what the earlier parts leave, for Cody-Waite reductions {@code x - k c}. The polynomials
 * list their coefficients from the highest power down and approximate, on the reduced arguments:
 * <ul>
 * <li>{@code exp}: {@code P} with {@code e^r = 1 + r + r^2 P(r)}, {@code |r| <= ln2/2};</li>
 * <li>{@code log}: {@code Q} with {@code log(1+f) = 2s + s z Q(z)}, {@code s = f/(2+f)}, {@code z = s^2},
 * {@code f} in [-1/4, 1/2);</li>
 * <li>{@code sin}, {@code cos}: {@code sin r = r + r^3 S(r^2)}, {@code cos r = 1 - r^2/2 + r^4 C(r^2)},
 * {@code |r| <= pi/4 + 2^-8} (the reduction's slack at {@code trigLimit});</li>
 * <li>{@code tanh}: {@code tanh x = x + x^3 T(x^2)}, {@code |x| < 0.55}.</li>
 * </ul>
 * They were obtained by Chebyshev interpolation at 60 digits with mpmath 1.2.1 and rounded to double,
 * e.g. for FLOAT32's exp and log (the functions divided out exactly, at 200 digits near 0):
 * <pre>
 * mp.chebyfit(lambda r: (mp.exp(r) - 1 - r) / r**2, [-h, h], 5)          # h = ln(2)/2 * 1.0001
 * mp.chebyfit(lambda z: (2*mp.atanh(mp.sqrt(z)) - 2*mp.sqrt(z)) / z**1.5, [0, 1/25], 4)
 * </pre>
 * The interpolation errors (before rounding, on the divided-out function) are given beside each set.
 *
 * @param trigLimit the largest |x| that sin and cos reduce by {@code piOver2}; beyond it the reduction
 *                  would need more bits of pi, and each such element goes through {@code Math.sin/cos}
 */
record MathCoefficients(double[] ln2, double[] piOver2, double trigLimit, double[] exp, double[] log, double[] sin,
                        double[] cos, double[] tanh) {

    /** FLOAT32: interpolation errors 6.5e-8 (exp), 4.0e-9 (log), 2.9e-11 (sin), 2.4e-12 (cos), 3.8e-10 (tanh). */
    static final MathCoefficients FLOAT32 = new MathCoefficients(
            new double[] {0.6931471824645996, -1.9046542121259336e-09},
            new double[] {1.5707963705062866, -4.371138828673793e-08, -1.7151245100058819e-15},
            65536,
            new double[] {0.0013926183587713494, 0.008363179052722578, 0.041666554617204574, 0.16666576989698775, 0.5},
            new double[] {0.23747344538291254, 0.28532744768803825, 0.4000031125070458, 0.6666666627719066},
            new double[] {2.724687730652218e-06, -0.000198400631076637, 0.008333331830754428, -0.16666666663741692},
            new double[] {-2.7298414817074687e-07, 2.4800580657156932e-05, -0.0013888887635332297, 0.0416666666642264},
            new double[] {0.0025263907105745136, -0.00852633305780133, 0.021818449128639904, -0.0539647004451583,
                0.13333324200007313, -0.3333333329502591});

    /** FLOAT64: interpolation errors 1.4e-18 (exp), 2.5e-17 (log), 1.2e-20 (sin), 6.9e-22 (cos), 2.2e-19 (tanh). */
    static final MathCoefficients FLOAT64 = new MathCoefficients(
            new double[] {0.6931471805599453, 2.3190468138462996e-17},
            new double[] {1.5707963267948966, 6.123233995736766e-17, -1.4973849048591698e-33},
            0x1p30,
            new double[] {2.0914686968086876e-09, 2.5105217004720745e-08, 2.75572736431103e-07, 2.7557255400206422e-06,
                2.4801587325547743e-05, 0.00019841269874820627, 0.0013888888888883748, 0.008333333333326136,
                0.04166666666666667, 0.1666666666666667, 0.5},
            new double[] {0.13604015707124079, 0.1321036048513262, 0.15388834677801916, 0.18181738454723026,
                0.22222223037807243, 0.2857142856733919, 0.400000000000078, 0.6666666666666666},
            new double[] {-7.58609648091133e-13, 1.6058521378931806e-10, -2.505210616752035e-08, 2.7557319219151316e-06,
                -0.00019841269841264821, 0.008333333333333331, -0.16666666666666666},
            new double[] {4.745537957624447e-14, -1.1470455194327547e-11, 2.087675575498225e-09, -2.7557319221298385e-07,
                2.4801587301584513e-05, -0.0013888888888888887, 0.041666666666666664},
            new double[] {7.874274345344419e-06, -3.372080112046316e-05, 9.455133052924858e-05, -0.0002384727248015252,
                0.0005899052969492733, -0.001455819097151351, 0.0035921267699626346, -0.0088632354631468,
                0.021869488534073906, -0.05396825396822037, 0.1333333333333331, -0.3333333333333333});
}
