package dev.vectorgrad.autodiff;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.vectorgrad.engine.DType;
import dev.vectorgrad.engine.NDArray;
import org.junit.jupiter.api.Test;

/** What backward does and refuses to do, as in PyTorch, each refusal with a message naming the op. */
class BackwardBehaviourTest {

    private static Tensor leaf(double... values) {
        return Tensor.of(values, values.length).requiresGrad(true);
    }

    @Test
    void backwardOfAScalarFillsTheLeavesGrad() {
        Tensor x = leaf(1, 2, 3);
        x.mul(x).sum().backward();
        assertArrayEquals(new double[] {2, 4, 6}, x.grad().value().toDoubleArray());
    }

    @Test
    void aNonScalarNeedsASeed() {
        Tensor x = leaf(1, 2);
        Tensor y = x.mul(3);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, y::backward);
        assertEquals("backward: output of shape [2] is not a scalar; pass a seed gradient of that shape", e.getMessage());
        y.backward(Tensor.of(new double[] {1, 10}, 2));
        assertArrayEquals(new double[] {3, 30}, x.grad().value().toDoubleArray());
    }

    @Test
    void gradientsAccumulateUntilZeroGrad() {
        Tensor x = leaf(1, 2);
        x.sum().backward();
        x.mul(2).sum().backward();
        assertArrayEquals(new double[] {3, 3}, x.grad().value().toDoubleArray());
        x.zeroGrad();
        x.exp().sum().backward();
        assertArrayEquals(new double[] {Math.exp(1), Math.exp(2)}, x.grad().value().toDoubleArray(), 1e-15);
    }

    @Test
    void detachAndNoGradRecordNothing() {
        Tensor x = leaf(1, 2);
        assertFalse(x.detach().mul(2).requiresGrad());
        try (Scope ignored = Autograd.noGrad()) {
            Tensor y = x.mul(2);
            assertFalse(y.requiresGrad());
            try (Scope inner = Autograd.enableGrad()) {
                assertTrue(x.mul(2).requiresGrad());
            }
            assertFalse(x.mul(2).requiresGrad(), "the outer no-grad scope is back in force");
        }
        assertTrue(x.mul(2).requiresGrad());
    }

    @Test
    void aFreedGraphCannotBeWalkedTwiceUnlessRetained() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp().sum();
        y.backward();
        IllegalStateException e = assertThrows(IllegalStateException.class, y::backward);
        assertTrue(e.getMessage().startsWith("backward: the graph through sum was already freed"), e.getMessage());
        Tensor z = x.exp().sum();
        x.zeroGrad();
        z.backward(null, true, false);
        z.backward();
        assertArrayEquals(new double[] {2 * Math.exp(1), 2 * Math.exp(2)}, x.grad().value().toDoubleArray(), 1e-15);
    }

    @Test
    void anInPlaceChangeToASavedTensorIsCaught() {
        Tensor x = leaf(1, 2);
        Tensor y = x.exp();
        Tensor loss = y.sum();
        y.value().addInPlace(1);
        IllegalStateException e = assertThrows(IllegalStateException.class, loss::backward);
        assertTrue(e.getMessage().matches("backward: the .* \\(shape \\[2]\\) was modified in place after \\w+ used it.*"), e.getMessage());
    }

    @Test
    void backwardNeedsSomethingThatRequiresGrad() {
        Tensor c = Tensor.of(new double[] {1}, 1).sum();
        IllegalStateException e = assertThrows(IllegalStateException.class, c::backward);
        assertEquals("backward: the tensor of shape [] does not require grad and has no graph to go back through", e.getMessage());
    }

    @Test
    void autogradGradLeavesGradAloneAndChecksItsInputs() {
        Tensor x = leaf(1, 2), unused = leaf(5), constant = Tensor.of(new double[] {3}, 1);
        Tensor y = x.pow(3).sum();
        Tensor[] g = Autograd.grad(y, x);
        assertArrayEquals(new double[] {3, 12}, g[0].value().toDoubleArray());
        assertNull(x.grad(), "grad(...) does not deposit into .grad");
        IllegalArgumentException notRequired = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.sum(), constant));
        assertEquals("grad: input 0 (shape [1]) does not require grad", notRequired.getMessage());
        IllegalArgumentException notUsed = assertThrows(IllegalArgumentException.class,
                () -> Autograd.grad(x.sum(), x, unused));
        assertTrue(notUsed.getMessage().startsWith("grad: input 1 (shape [1]) was not used"), notUsed.getMessage());
        Tensor[] allowed = Autograd.grad(new Tensor[] {x.sum()}, new Tensor[] {x, unused}, new Tensor[] {null}, false, true);
        assertNull(allowed[1]);
    }

    @Test
    void hessianVectorProductsThroughCreateGraph() {
        // f = sum(x^3): the Hessian is diag(6x), so H v = 6 x v.
        Tensor x = leaf(1, -2, 0.5);
        Tensor v = Tensor.of(new double[] {1, 2, 3}, 3);
        Tensor[] g = Autograd.grad(x.pow(3).sum(), new Tensor[] {x}, true);
        Tensor[] hv = Autograd.grad(g[0].mul(v).sum(), x);
        assertArrayEquals(new double[] {6, -24, 9}, hv[0].value().toDoubleArray(), 1e-12);
    }

    @Test
    void customOpsJoinTheGraph() {
        Tensor x = leaf(1, 2);
        Tensor cube = Op.apply("cube", x.value().pow(3), (i, g, y) -> g.mul(x.mul(x)).mul(3), x);
        assertEquals("cube", cube.toString().replaceAll(".*gradFn=(\\w+).*", "$1"));
        cube.sum().backward();
        assertArrayEquals(new double[] {3, 12}, x.grad().value().toDoubleArray());
        GradCheck.gradGradCheck(in -> Op.apply("cube", in[0].value().pow(3), (i, g, y) -> g.mul(in[0].mul(in[0])).mul(3), in[0]), x);
    }

    @Test
    void gradCheckCatchesAWrongRuleAndNamesTheElement() {
        Tensor x = leaf(0.5, 1.5);
        GradCheckError e = assertThrows(GradCheckError.class, () -> GradCheck.check(
                in -> Op.apply("badSquare", in[0].value().mul(in[0].value()), (i, g, y) -> g.mul(in[0]), in[0]), x));
        // d(x^2)/dx at 0.5 is 1; the wrong rule says 0.5.
        assertTrue(e.getMessage().matches("gradCheck: input 0 \\(shape \\[2]\\), element \\[0], output element \\[0]: "
                + "analytic 0.5 vs numerical 0.99999\\d+, error 0.49999\\d+ exceeds atol 1.0E-5 \\+ rtol 0.001 \\* \\|numerical\\|"),
                e.getMessage());
    }

    @Test
    void gradientsHaveTheInputsDtype() {
        Tensor x = Tensor.of(NDArray.ones(DType.FLOAT32, 2)).requiresGrad(true);
        x.to(DType.FLOAT64).mul(Tensor.of(new double[] {1, 2}, 2)).sum().backward();
        assertEquals(DType.FLOAT32, x.grad().dtype());
        assertArrayEquals(new double[] {1, 2}, x.grad().value().toDoubleArray());
    }
}
