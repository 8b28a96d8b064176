package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;

/**
 * Weight initialisation, as PyTorch's {@code torch.nn.init}: each method overwrites a tensor's value in
 * place (in its own dtype), draws from the given generator, and returns the tensor. Fans follow PyTorch:
 * for a weight {@code [out, in, k1, k2, ...]} (Linear's {@code [out, in]}, a convolution's
 * {@code [outChannels, inChannels, kernel...]}), {@code fanIn = in * k1 * k2 ...} and
 * {@code fanOut = out * k1 * k2 ...}.
 *
 * <pre>{@code
 * Init.kaimingNormal(fc.weight(), 0, Init.Mode.FAN_OUT, "relu", g);
 * Init.zeros(fc.bias());
 * }</pre>
 */
public final class Init {

    /** Which fan Kaiming initialisation preserves: the forward pass's variance, or the backward pass's. */
    public enum Mode {
        FAN_IN, FAN_OUT
    }

    /** A weight's fan-in and fan-out. */
    public record Fans(int in, int out) {
    }

    private Init() {
    }

    /**
     * PyTorch's recommended gain for a nonlinearity: 1 for {@code linear}, the convolutions and
     * {@code sigmoid}; 5/3 for {@code tanh}; √2 for {@code relu}; {@code √(2 / (1 + slope²))} for
     * {@code leaky_relu} (slope {@code param}, 0.01 when null); 3/4 for {@code selu}.
     */
    public static double calculateGain(String nonlinearity, Double param) {
        return switch (nonlinearity) {
            case "linear", "conv1d", "conv2d", "conv3d", "conv_transpose1d", "conv_transpose2d", "conv_transpose3d", "sigmoid" -> 1;
            case "tanh" -> 5.0 / 3;
            case "relu" -> Math.sqrt(2);
            case "leaky_relu" -> {
                double slope = param == null ? 0.01 : param;
                yield Math.sqrt(2 / (1 + slope * slope));
            }
            case "selu" -> 0.75;
            default -> throw new IllegalArgumentException("calculateGain: unsupported nonlinearity \"" + nonlinearity + "\"");
        };
    }

    public static double calculateGain(String nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** The fans of a weight of at least two dimensions (see the class comment). */
    public static Fans fans(int[] shape) {
        if (shape.length < 2) {
            throw new IllegalArgumentException("Init: fan in and fan out need a weight of at least 2 dimensions, got shape "
                    + Shape.format(shape));
        }
        int receptive = 1;
        for (int d = 2; d < shape.length; d++) {
            receptive *= shape[d];
        }
        return new Fans(shape[1] * receptive, shape[0] * receptive);
    }

    /** Uniform in {@code ±gain √(6 / (fanIn + fanOut))} (Glorot and Bengio, 2010). */
    public static Tensor xavierUniform(Tensor t, double gain, Generator g) {
        Fans f = fans(t.shape());
        double bound = gain * Math.sqrt(6.0 / (f.in() + f.out()));
        return uniform(t, -bound, bound, g);
    }

    public static Tensor xavierUniform(Tensor t, Generator g) {
        return xavierUniform(t, 1, g);
    }

    /** Normal with mean 0 and standard deviation {@code gain √(2 / (fanIn + fanOut))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator g) {
        Fans f = fans(t.shape());
        return normal(t, 0, gain * Math.sqrt(2.0 / (f.in() + f.out())), g);
    }

    public static Tensor xavierNormal(Tensor t, Generator g) {
        return xavierNormal(t, 1, g);
    }

    /**
     * Uniform in {@code ±√3 gain / √fan} with {@code gain = calculateGain(nonlinearity, a)} (He et al., 2015);
     * {@code a} is leaky_relu's negative slope.
     */
    public static Tensor kaimingUniform(Tensor t, double a, Mode mode, String nonlinearity, Generator g) {
        double bound = Math.sqrt(3) * kaimingStd(t, a, mode, nonlinearity);
        return uniform(t, -bound, bound, g);
    }

    /** PyTorch's defaults: {@code a = 0}, fan in, leaky_relu (so the gain is √2). */
    public static Tensor kaimingUniform(Tensor t, Generator g) {
        return kaimingUniform(t, 0, Mode.FAN_IN, "leaky_relu", g);
    }

    /** Normal with mean 0 and standard deviation {@code gain / √fan}, the gain as in {@link #kaimingUniform}. */
    public static Tensor kaimingNormal(Tensor t, double a, Mode mode, String nonlinearity, Generator g) {
        return normal(t, 0, kaimingStd(t, a, mode, nonlinearity), g);
    }

    public static Tensor kaimingNormal(Tensor t, Generator g) {
        return kaimingNormal(t, 0, Mode.FAN_IN, "leaky_relu", g);
    }

    private static double kaimingStd(Tensor t, double a, Mode mode, String nonlinearity) {
        Fans f = fans(t.shape());
        return calculateGain(nonlinearity, a) / Math.sqrt(mode == Mode.FAN_IN ? f.in() : f.out());
    }

    /**
     * A (semi-)orthogonal matrix times {@code gain}, as PyTorch's: the Q of the QR decomposition of a
     * standard normal {@code [rows, numel / rows]} matrix (transposed when wider than tall), its columns'
     * signs set so that R's diagonal is positive, which makes Q uniformly distributed (Saxe et al., 2013).
     * Rows are orthonormal when {@code rows <= cols}, columns otherwise.
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator g) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("Init.orthogonal: needs a tensor of at least 2 dimensions, got shape "
                    + Shape.format(t.shape()));
        }
        if (t.numel() == 0) {
            return t;
        }
        int rows = t.size(0), cols = t.numel() / rows;
        boolean wide = rows < cols;
        int m = Math.max(rows, cols), n = Math.min(rows, cols);
        NDArray normal = NDArray.randn(g, DType.FLOAT64, rows, cols);
        double[] a = (wide ? normal.transpose(0, 1).contiguous() : normal).toDoubleArray();
        double[] q = orthonormalColumns(a, m, n);
        NDArray result = NDArray.of(q, m, n);
        t.value().copyFrom((wide ? result.transpose(0, 1) : result).mul(gain).reshape(t.shape()));
        return t;
    }

    public static Tensor orthogonal(Tensor t, Generator g) {
        return orthogonal(t, 1, g);
    }

    /**
     * The thin Q {@code [m, n]} of the row-major {@code [m, n]} matrix {@code a} ({@code m >= n}) by
     * Householder reflections, each column multiplied by the sign of R's diagonal entry.
     */
    private static double[] orthonormalColumns(double[] a, int m, int n) {
        double[][] reflectors = new double[n][];
        double[] diagonal = new double[n];
        for (int k = 0; k < n; k++) {
            double norm = 0;
            for (int i = k; i < m; i++) {
                norm += a[i * n + k] * a[i * n + k];
            }
            norm = Math.sqrt(norm);
            double alpha = a[k * n + k] >= 0 ? -norm : norm;
            double[] v = new double[m - k];
            for (int i = k; i < m; i++) {
                v[i - k] = a[i * n + k];
            }
            v[0] -= alpha;
            double vNorm = 0;
            for (double x : v) {
                vNorm += x * x;
            }
            vNorm = Math.sqrt(vNorm);
            if (vNorm > 0) {
                for (int i = 0; i < v.length; i++) {
                    v[i] /= vNorm;
                }
                reflect(v, a, k, n, k);
            }
            reflectors[k] = v;
            diagonal[k] = a[k * n + k];
        }
        double[] q = new double[m * n];
        for (int j = 0; j < n; j++) {
            q[j * n + j] = 1;
        }
        for (int k = n - 1; k >= 0; k--) {
            reflect(reflectors[k], q, k, n, 0);
        }
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                q[i * n + j] *= Math.signum(diagonal[j]);
            }
        }
        return q;
    }

    /** Applies {@code I - 2 v v^T} to rows {@code from..} of columns {@code first..} of the row-major {@code [m, n]} matrix {@code x}. */
    private static void reflect(double[] v, double[] x, int from, int n, int first) {
        for (int j = first; j < n; j++) {
            double dot = 0;
            for (int i = 0; i < v.length; i++) {
                dot += v[i] * x[(from + i) * n + j];
            }
            for (int i = 0; i < v.length; i++) {
                x[(from + i) * n + j] -= 2 * v[i] * dot;
            }
        }
    }

    public static Tensor zeros(Tensor t) {
        return constant(t, 0);
    }

    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    public static Tensor constant(Tensor t, double value) {
        t.value().fill(value);
        return t;
    }

    /** Uniform in {@code [low, high)}. */
    public static Tensor uniform(Tensor t, double low, double high, Generator g) {
        t.value().copyFrom(NDArray.uniform(g, t.dtype(), low, high, t.shape()));
        return t;
    }

    public static Tensor normal(Tensor t, double mean, double std, Generator g) {
        t.value().copyFrom(NDArray.randn(g, t.dtype(), t.shape()).mul(std).add(mean));
        return t;
    }
}
