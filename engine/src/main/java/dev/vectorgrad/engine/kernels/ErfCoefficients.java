package dev.vectorgrad.engine.kernels;

/**
 * The polynomials behind {@link FloatErf} (and its generated DoubleErf twin), one set per dtype: the
 * FLOAT64 set has more terms, since the gradient checks, which run in FLOAT64, need erf to near double
 * precision. Held here, outside the Float* template, so that the template's dtype swap picks the set:
 * FloatErf names {@code ErfCoefficients.FLOAT32}, which the build turns into {@code FLOAT64} in DoubleErf.
 *
 * <p>Two approximations, split as is usual since Cody (Math. Comp. 23 (1969) 631-637) into erf near 0
 * and a scaled erfc beyond; the tail's variable and scaling are those of Shepherd and Laframboise
 * (Math. Comp. 36 (1981) 249-253), the coefficients our own:
 * <ul>
 * <li>{@code |x| < threshold}: {@code erf(x) = x * small(x^2)};</li>
 * <li>{@code x >= threshold}: {@code erfc(x) = exp(-x^2) * tail(t) / (1 + 2x)} with
 * {@code t = (x - k) / (x + k)} and {@code k = sqrt(threshold * clamp)}, which maps
 * {@code [threshold, clamp]} onto a symmetric interval; beyond {@code clamp} erfc underflows to 0.</li>
 * </ul>
 * Both polynomials list their coefficients from the highest power down. They were obtained by Chebyshev
 * interpolation at 50 digits with mpmath 1.2.1 and rounded to double, e.g. for FLOAT32's:
 * <pre>
 * mp.chebyfit(lambda s: mp.erf(mp.sqrt(s)) / mp.sqrt(s), [0, 0.25], 5)                   # small
 * mp.chebyfit(lambda t: (1 + 2*a(t)) * mp.erfc(a(t)) * mp.exp(a(t)**2), [-c, c], 11)        # tail
 * # where a(t) = k (1 + t) / (1 - t) and c = (clamp - k) / (clamp + k)
 * </pre>
 * The interpolation errors (before rounding) are given beside each set.
 */
record ErfCoefficients(double threshold, double k, double clamp, double[] small, double[] tail) {

    /** FLOAT32: interpolation error 1.49e-9 (small, absolute, around 1.13) and 6.46e-10 (tail, around 1.2). */
    static final ErfCoefficients FLOAT32 = new ErfCoefficients(0.5, 2.29128784747792, 10.5,
            new double[] {
                0.004719082567218814, -0.026757732735015517, 0.11282831428465862, -0.37612609007469805,
                1.1283791656017914},
            new double[] {
                0.00015583301572330633, 0.0004336501818297176, -0.000932701812416193, -0.0030866474375667117,
                0.00730761114940988, 0.014951273675820918, -0.08703022291902841, 0.16449005695766178,
                -0.12526943091535866, -0.11258360419838162, 1.269966829948861});
    /** FLOAT64: interpolation error 4.3e-18 (small, absolute, around 1.13) and 2.94e-19 (tail, around 1.2). */
    static final ErfCoefficients FLOAT64 = new ErfCoefficients(0.5, 3.7080992435478315, 27.5,
            new double[] {
                1.4725865480556744e-06, -1.4845849259707869e-05, 0.00012053335124353741, -0.0008548297753674966,
                0.00522397737302147, -0.026866170632887928, 0.11283791670925353, -0.37612638903183476,
                1.1283791670955126},
            new double[] {
                -4.1897924926574716e-09, 2.983579179763651e-10, 3.865657101257296e-08, -5.8825981232570595e-09,
                -2.5631257560652834e-07, 1.2009984114393703e-07, 1.6246245672968193e-06, -1.9528382472499e-06,
                -9.542998874439975e-06, 2.6041032129448543e-05, 3.241462978314261e-05, -0.00027370364947191844,
                0.00038878756773040124, 0.0013210656025046182, -0.008739040160754757, 0.02682421173276416,
                -0.057192541779222665, 0.09179918709024965, -0.10998224610953503, 0.08476320945303092,
                0.0013897269055179779, -0.1402685893896379, 1.238300622707061});
}
