package dev.vectorgrad.usercode;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Op;
import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.autodiff.testing.TensorArbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

/** The README's example of a user's own gradient check, kept here so that it keeps compiling and passing. */
class CubeProperties {
    static Tensor cube(Tensor x) {
        return Op.apply("cube", x.value().pow(3), (i, g, y) -> g.mul(x.mul(x)).mul(3), x);
    }

    @Property
    void cubeHasTheRightGradients(@ForAll("tensors") Tensor x) {
        GradCheck.check(in -> cube(in[0]), x);
        GradCheck.gradGradCheck(in -> cube(in[0]), x);
    }

    @Provide
    Arbitrary<Tensor> tensors() {
        return TensorArbitraries.tensors(TensorArbitraries.shapes(0, 3, 4));
    }

    /** The forward value in either dtype keeps the dtype and matches x * x * x. */
    @Property
    void cubeKeepsTheDtype(@ForAll("anyDtype") Tensor x) {
        Tensor y = cube(x);
        org.junit.jupiter.api.Assertions.assertEquals(x.dtype(), y.dtype());
        org.junit.jupiter.api.Assertions.assertTrue(y.value().allClose(x.value().mul(x.value()).mul(x.value()), 1e-5, 1e-6));
    }

    @Provide
    Arbitrary<Tensor> anyDtype() {
        return TensorArbitraries.dtypes().flatMap(d -> TensorArbitraries.shapes(0, 3, 4).flatMap(s -> TensorArbitraries.tensors(s, d)));
    }
}
