package dev.vectorgrad.engine.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * The fused optimizer updates over {@code float[]}: one vector loop per update, then the same arithmetic
 * as a scalar tail (with {@link Math#fma} where the vector body fuses), so an element's result does not
 * depend on where it falls. The build writes the DoubleUpdateKernels twin from this file, as it does for
 * {@link FloatKernels}.
 */
public final class FloatUpdateKernels implements UpdateKernels {

    public static final FloatUpdateKernels INSTANCE = new FloatUpdateKernels();

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();

    private FloatUpdateKernels() {
    }

    @Override
    public void sgd(Object po, int pi, Object go, int gi, int n, double gradSign, double weightDecay, double lr) {
        float[] p = (float[]) po, g = (float[]) go;
        float sign = (float) gradSign, wd = (float) weightDecay, step = (float) -lr;
        FloatVector wdv = FloatVector.broadcast(S, wd), stepv = FloatVector.broadcast(S, step);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pi + i);
            FloatVector d = direction(pv, FloatVector.fromArray(S, g, gi + i), sign, wdv);
            d.fma(stepv, pv).intoArray(p, pi + i);
        }
        for (; i < n; i++) {
            float pv = p[pi + i];
            float d = direction(pv, g[gi + i], sign, wd);
            p[pi + i] = Math.fma(d, step, pv);
        }
    }

    @Override
    public void sgdMomentum(Object po, int pi, Object go, int gi, Object bo, int bi, int n, double gradSign,
                            double weightDecay, double bufferDecay, double gradWeight, double momentum,
                            boolean nesterov, double lr) {
        float[] p = (float[]) po, g = (float[]) go, buf = (float[]) bo;
        float sign = (float) gradSign, wd = (float) weightDecay, decay = (float) bufferDecay,
                weight = (float) gradWeight, mu = (float) momentum, step = (float) -lr;
        FloatVector wdv = FloatVector.broadcast(S, wd), weightv = FloatVector.broadcast(S, weight),
                muv = FloatVector.broadcast(S, mu), stepv = FloatVector.broadcast(S, step);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pi + i);
            FloatVector d = direction(pv, FloatVector.fromArray(S, g, gi + i), sign, wdv);
            FloatVector b = d.fma(weightv, FloatVector.fromArray(S, buf, bi + i).mul(decay));
            b.intoArray(buf, bi + i);
            (nesterov ? b.fma(muv, d) : b).fma(stepv, pv).intoArray(p, pi + i);
        }
        for (; i < n; i++) {
            float pv = p[pi + i];
            float d = direction(pv, g[gi + i], sign, wd);
            float b = Math.fma(d, weight, buf[bi + i] * decay);
            buf[bi + i] = b;
            p[pi + i] = Math.fma(nesterov ? Math.fma(b, mu, d) : b, step, pv);
        }
    }

    @Override
    public void adam(Object po, int pi, Object go, int gi, Object mo, int mi, Object vo, int vi, Object xo, int xi, int n,
                     double gradSign, double paramScale, double weightDecay, double beta1, double beta2, double stepSize,
                     double biasCorrection2Sqrt, double eps) {
        float[] p = (float[]) po, g = (float[]) go, m = (float[]) mo, v = (float[]) vo, vMax = (float[]) xo;
        float sign = (float) gradSign, scale = (float) paramScale, wd = (float) weightDecay, b1 = (float) beta1,
                c1 = (float) (1 - beta1), b2 = (float) beta2, c2 = (float) (1 - beta2), step = (float) -stepSize,
                bc2 = (float) biasCorrection2Sqrt, e = (float) eps;
        FloatVector wdv = FloatVector.broadcast(S, wd), c1v = FloatVector.broadcast(S, c1);
        boolean amsgrad = vMax != null;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pi + i).mul(scale);
            FloatVector d = direction(pv, FloatVector.fromArray(S, g, gi + i), sign, wdv);
            FloatVector mv = d.fma(c1v, FloatVector.fromArray(S, m, mi + i).mul(b1));
            FloatVector vv = FloatVector.fromArray(S, v, vi + i).mul(b2).add(d.mul(c2).mul(d));
            mv.intoArray(m, mi + i);
            vv.intoArray(v, vi + i);
            if (amsgrad) {
                vv = FloatVector.fromArray(S, vMax, xi + i).max(vv);
                vv.intoArray(vMax, xi + i);
            }
            pv.add(mv.mul(step).div(vv.sqrt().div(bc2).add(e))).intoArray(p, pi + i);
        }
        for (; i < n; i++) {
            float pv = p[pi + i] * scale;
            float d = direction(pv, g[gi + i], sign, wd);
            float mv = Math.fma(d, c1, m[mi + i] * b1);
            float vv = v[vi + i] * b2 + d * c2 * d;
            m[mi + i] = mv;
            v[vi + i] = vv;
            if (amsgrad) {
                vv = Math.max(vMax[xi + i], vv);
                vMax[xi + i] = vv;
            }
            p[pi + i] = pv + mv * step / ((float) Math.sqrt(vv) / bc2 + e);
        }
    }

    @Override
    public void rmsprop(Object po, int pi, Object go, int gi, Object so, int si, Object ao, int ai, Object bo, int bi,
                        int n, double gradSign, double weightDecay, double alpha, double eps, double momentum, double lr) {
        float[] p = (float[]) po, g = (float[]) go, sq = (float[]) so, gAvg = (float[]) ao, buf = (float[]) bo;
        float sign = (float) gradSign, wd = (float) weightDecay, a = (float) alpha, c = (float) (1 - alpha),
                e = (float) eps, mu = (float) momentum, step = (float) -lr;
        FloatVector wdv = FloatVector.broadcast(S, wd), cv = FloatVector.broadcast(S, c), stepv = FloatVector.broadcast(S, step);
        boolean centered = gAvg != null, withMomentum = buf != null;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pi + i);
            FloatVector d = direction(pv, FloatVector.fromArray(S, g, gi + i), sign, wdv);
            FloatVector s = FloatVector.fromArray(S, sq, si + i).mul(a).add(d.mul(c).mul(d));
            s.intoArray(sq, si + i);
            if (centered) {
                FloatVector ga = d.fma(cv, FloatVector.fromArray(S, gAvg, ai + i).mul(a));
                ga.intoArray(gAvg, ai + i);
                s = s.sub(ga.mul(ga));
            }
            FloatVector avg = s.sqrt().add(e);
            if (withMomentum) {
                FloatVector b = FloatVector.fromArray(S, buf, bi + i).mul(mu).add(d.div(avg));
                b.intoArray(buf, bi + i);
                b.fma(stepv, pv).intoArray(p, pi + i);
            } else {
                pv.add(d.mul(step).div(avg)).intoArray(p, pi + i);
            }
        }
        for (; i < n; i++) {
            float pv = p[pi + i];
            float d = direction(pv, g[gi + i], sign, wd);
            float s = sq[si + i] * a + d * c * d;
            sq[si + i] = s;
            if (centered) {
                float ga = Math.fma(d, c, gAvg[ai + i] * a);
                gAvg[ai + i] = ga;
                s = s - ga * ga;
            }
            float avg = (float) Math.sqrt(s) + e;
            if (withMomentum) {
                float b = buf[bi + i] * mu + d / avg;
                buf[bi + i] = b;
                p[pi + i] = Math.fma(b, step, pv);
            } else {
                p[pi + i] = pv + d * step / avg;
            }
        }
    }

    @Override
    public void adagrad(Object po, int pi, Object go, int gi, Object so, int si, int n, double gradSign,
                        double weightDecay, double clr, double eps) {
        float[] p = (float[]) po, g = (float[]) go, sum = (float[]) so;
        float sign = (float) gradSign, wd = (float) weightDecay, step = (float) -clr, e = (float) eps;
        FloatVector wdv = FloatVector.broadcast(S, wd);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector pv = FloatVector.fromArray(S, p, pi + i);
            FloatVector d = direction(pv, FloatVector.fromArray(S, g, gi + i), sign, wdv);
            FloatVector s = FloatVector.fromArray(S, sum, si + i).add(d.mul(d));
            s.intoArray(sum, si + i);
            pv.add(d.mul(step).div(s.sqrt().add(e))).intoArray(p, pi + i);
        }
        for (; i < n; i++) {
            float pv = p[pi + i];
            float d = direction(pv, g[gi + i], sign, wd);
            float s = sum[si + i] + d * d;
            sum[si + i] = s;
            p[pi + i] = pv + d * step / ((float) Math.sqrt(s) + e);
        }
    }

    @Override
    public void scale(Object ao, int ai, int n, double s) {
        float[] a = (float[]) ao;
        float x = (float) s;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, a, ai + i).mul(x).intoArray(a, ai + i);
        }
        for (; i < n; i++) {
            a[ai + i] *= x;
        }
    }

    @Override
    public void clamp(Object ao, int ai, int n, double lo, double hi) {
        float[] a = (float[]) ao;
        float low = (float) lo, high = (float) hi;
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector.fromArray(S, a, ai + i).max(low).min(high).intoArray(a, ai + i);
        }
        for (; i < n; i++) {
            a[ai + i] = Math.min(Math.max(a[ai + i], low), high);
        }
    }

    @Override
    public double norm(Object ao, int ai, int n, double p) {
        float[] a = (float[]) ao;
        boolean max = p == Double.POSITIVE_INFINITY;
        float q = (float) p;
        if (!max && q != 1 && q != 2) {
            // Math.pow element by element: the Vector API's POW gives other bits once the JIT compiles it.
            float r = 0;
            for (int k = 0; k < n; k++) {
                r += (float) Math.pow(Math.abs(a[ai + k]), q);
            }
            return Math.pow(r, 1 / p);
        }
        FloatVector acc = FloatVector.zero(S);
        int i = 0;
        for (int up = S.loopBound(n); i < up; i += L) {
            FloatVector x = FloatVector.fromArray(S, a, ai + i).abs();
            acc = max ? acc.max(x) : acc.add(power(x, q));
        }
        float r = max ? acc.reduceLanes(VectorOperators.MAX) : FloatKernels.sumLanes(acc);
        for (; i < n; i++) {
            float x = Math.abs(a[ai + i]);
            r = max ? Math.max(r, x) : r + power(x, q);
        }
        return max || q == 1 ? r : Math.sqrt(r);
    }

    /** {@code d = sign * g + wd * p}: the gradient every update starts from, with weight decay added. */
    private static FloatVector direction(FloatVector p, FloatVector g, float sign, FloatVector wd) {
        return p.fma(wd, g.mul(sign));
    }

    private static float direction(float p, float g, float sign, float wd) {
        return Math.fma(p, wd, g * sign);
    }

    /** {@code x^q} for {@code x >= 0} and the orders 1 and 2 that take the vector loop. */
    private static FloatVector power(FloatVector x, float q) {
        return q == 2 ? x.mul(x) : x;
    }

    private static float power(float x, float q) {
        return q == 2 ? x * x : x;
    }
}
