package dev.vectorgrad.nn;

import dev.vectorgrad.autodiff.GradCheck;
import dev.vectorgrad.autodiff.Tensor;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Gradient checks of a module's computation with respect to its parameters and its inputs together. */
final class ModuleChecks {

    private ModuleChecks() {
    }

    /**
     * {@link GradCheck#check} of {@code f} (a computation with {@code m}, given {@code inputs}) with respect to
     * every parameter of {@code m} (which must be FLOAT64) and every input that requires a gradient.
     */
    static void checkParameters(Module m, Function<Tensor[], Tensor> f, Tensor... inputs) {
        List<String> names = List.copyOf(m.namedParameters().keySet());
        Tensor[] all = new Tensor[names.size() + inputs.length];
        for (int i = 0; i < names.size(); i++) {
            all[i] = m.namedParameters().get(names.get(i));
        }
        System.arraycopy(inputs, 0, all, names.size(), inputs.length);
        GradCheck.check(in -> {
            Map<String, Tensor> params = new LinkedHashMap<>();
            for (int i = 0; i < names.size(); i++) {
                params.put(names.get(i), in[i]);
            }
            return m.functionalCall(params, () -> f.apply(Arrays.copyOfRange(in, names.size(), in.length)));
        }, all);
    }
}
