package dev.vectorgrad.examples;

import dev.vectorgrad.autodiff.Tensor;
import dev.vectorgrad.nn.optim.Adagrad;
import dev.vectorgrad.nn.optim.Adam;
import dev.vectorgrad.nn.optim.AdamW;
import dev.vectorgrad.nn.optim.Optimizer;
import dev.vectorgrad.nn.optim.RMSprop;
import dev.vectorgrad.nn.optim.SGD;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;

/** The optimizers of {@code --optimizer}, each built from the parameters and the learning rate. */
record OptimizerKind(String name, BiFunction<List<Tensor>, Double, Optimizer> create) {

    static final Map<String, OptimizerKind> ALL = Registry.byName(OptimizerKind::name,
            new OptimizerKind("adam", Adam::new),
            new OptimizerKind("adamw", AdamW::new),
            new OptimizerKind("adagrad", Adagrad::new),
            new OptimizerKind("rmsprop", RMSprop::new),
            new OptimizerKind("sgd", SGD::new));
}
