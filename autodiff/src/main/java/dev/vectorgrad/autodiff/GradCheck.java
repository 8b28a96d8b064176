package dev.vectorgrad.autodiff;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.Generator;
import dev.vectorgrad.engine.NDArray;
import dev.vectorgrad.engine.Shape;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;

/**
 * Compares the gradients autodiff computes with central differences, in FLOAT64, as PyTorch's
 * gradcheck does: every element of the Jacobian of {@code f} with respect to each input that requires a
 * gradient must satisfy {@code |analytic - numerical| <= atol + rtol * |numerical|}.
 *
 * <pre>{@code
 * Tensor x = Tensor.randn(new Generator(1), DType.FLOAT64, 3, 4).requiresGrad(true);
 * GradCheck.check(in -> in[0].tanh().sum(1), x);      // throws GradCheckError naming the element on failure
 * }</pre>
 */
public final class GradCheck {

    /** Step of the central differences and the tolerances; {@link #DEFAULT} is PyTorch's. */
    public record Tolerance(double eps, double atol, double rtol) {
        public static final Tolerance DEFAULT = new Tolerance(1e-6, 1e-5, 1e-3);
    }

    private GradCheck() {
    }

    public static void check(Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(f, Tolerance.DEFAULT, inputs);
    }

    /** Checks first derivatives of {@code f} at {@code inputs}; throws {@link GradCheckError} on a mismatch. */
    public static void check(Function<Tensor[], Tensor> f, Tolerance tolerance, Tensor... inputs) {
        List<Integer> wrt = differentiable(inputs);
        Tensor out = f.apply(inputs);
        if (out.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("gradCheck: the function's output is " + out.dtype()
                    + "; gradient checks need FLOAT64 throughout");
        }
        int outputs = out.numel();
        Tensor[] wanted = wrt.stream().map(i -> inputs[i]).toArray(Tensor[]::new);
        // analytic[w][j] is the gradient of output element j with respect to input wrt.get(w), flattened.
        double[][][] analytic = new double[wanted.length][outputs][];
        for (int j = 0; j < outputs; j++) {
            Tensor seed = Tensor.of(basis(out.shape(), j));
            Tensor[] grads = Backprop.run(new Tensor[] {out}, new Tensor[] {seed}, wanted, false, true);
            for (int w = 0; w < wanted.length; w++) {
                analytic[w][j] = grads[w] == null ? new double[wanted[w].numel()] : grads[w].value().toDoubleArray();
            }
        }
        for (int w = 0; w < wanted.length; w++) {
            int input = wrt.get(w);
            NDArray x = inputs[input].value();
            for (int k = 0; k < x.numel(); k++) {
                double[] plus = perturbed(f, inputs, input, k, tolerance.eps());
                double[] minus = perturbed(f, inputs, input, k, -tolerance.eps());
                for (int j = 0; j < outputs; j++) {
                    double numerical = (plus[j] - minus[j]) / (2 * tolerance.eps());
                    double a = analytic[w][j][k];
                    double error = Math.abs(a - numerical);
                    if (!(error <= tolerance.atol() + tolerance.rtol() * Math.abs(numerical))) {
                        throw new GradCheckError("gradCheck: input " + input + " (shape " + Shape.format(x.shape())
                                + "), element " + Arrays.toString(unravel(k, x.shape())) + ", output element "
                                + Arrays.toString(unravel(j, out.shape())) + ": analytic " + a + " vs numerical "
                                + numerical + ", error " + error + " exceeds atol " + tolerance.atol() + " + rtol "
                                + tolerance.rtol() + " * |numerical|");
                    }
                }
            }
        }
    }

    public static void gradGradCheck(Function<Tensor[], Tensor> f, Tensor... inputs) {
        gradGradCheck(f, Tolerance.DEFAULT, inputs);
    }

    /**
     * Checks second derivatives: the first gradients, taken with a random seed {@code v} and a recorded
     * graph, are themselves gradient-checked with respect to the inputs and {@code v}, as PyTorch's
     * gradgradcheck does.
     */
    public static void gradGradCheck(Function<Tensor[], Tensor> f, Tolerance tolerance, Tensor... inputs) {
        List<Integer> wrt = differentiable(inputs);
        int[] outShape = f.apply(inputs).shape();
        Tensor v = Tensor.randn(new Generator(outShape.length + 17L), DType.FLOAT64, outShape).requiresGrad(true);
        Tensor[] extended = Arrays.copyOf(inputs, inputs.length + 1);
        extended[inputs.length] = v;
        check(in -> {
            Tensor[] x = Arrays.copyOf(in, inputs.length);
            Tensor[] wanted = wrt.stream().map(i -> x[i]).toArray(Tensor[]::new);
            Tensor[] grads = Autograd.grad(new Tensor[] {f.apply(x)}, wanted, new Tensor[] {in[inputs.length]}, true, true);
            Tensor[] flat = new Tensor[grads.length];
            for (int w = 0; w < grads.length; w++) {
                flat[w] = grads[w] == null ? Tensor.zeros(DType.FLOAT64, wanted[w].numel()) : grads[w].reshape(-1);
            }
            return Tensor.cat(0, flat);
        }, tolerance, extended);
    }

    private static List<Integer> differentiable(Tensor[] inputs) {
        List<Integer> wrt = new ArrayList<>();
        for (int i = 0; i < inputs.length; i++) {
            if (inputs[i].requiresGrad()) {
                if (inputs[i].dtype() != DType.FLOAT64) {
                    throw new IllegalArgumentException("gradCheck: input " + i + " is " + inputs[i].dtype()
                            + "; gradient checks need FLOAT64");
                }
                wrt.add(i);
            }
        }
        if (wrt.isEmpty()) {
            throw new IllegalArgumentException("gradCheck: no input requires grad, so there is nothing to check");
        }
        return wrt;
    }

    /**
     * The outputs of {@code f} with element {@code k} of input {@code input} moved by {@code delta}. The
     * moved input still requires a gradient, since {@code f} may differentiate inside (gradGradCheck).
     */
    private static double[] perturbed(Function<Tensor[], Tensor> f, Tensor[] inputs, int input, int k, double delta) {
        Tensor[] moved = inputs.clone();
        NDArray x = inputs[input].value();
        moved[input] = Tensor.of(x.add(basis(x.shape(), k).mul(delta))).requiresGrad(true);
        return f.apply(moved).value().toDoubleArray();
    }

    private static NDArray basis(int[] shape, int k) {
        NDArray e = NDArray.zeros(DType.FLOAT64, Shape.numel("gradCheck", shape));
        e.slice(0, k, k + 1).fill(1);
        return e.reshape(shape);
    }

    private static int[] unravel(int k, int[] shape) {
        int[] index = new int[shape.length];
        for (int d = shape.length - 1; d >= 0; d--) {
            index[d] = k % shape[d];
            k /= shape[d];
        }
        return index;
    }
}
