package dev.vectorgrad.autodiff;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reverse-mode accumulation: a topological order of the graph found without recursion (so a chain of a
 * million ops is fine), then each node's rule applied once, its output's gradient complete, in reverse
 * order. Gradients are summed per tensor and dropped as soon as they have been passed on.
 */
final class Backprop {

    private Backprop() {
    }

    /**
     * Back-propagates {@code seeds} from {@code outputs}. Returns the gradients of {@code wanted} (null
     * where none reached it) when it is non-null; otherwise deposits gradients into the leaves' {@code grad}.
     */
    static Tensor[] run(Tensor[] outputs, Tensor[] seeds, Tensor[] wanted, boolean createGraph, boolean retainGraph) {
        Gradients pending = new Gradients(createGraph);
        for (int i = 0; i < outputs.length; i++) {
            pending.add(outputs[i], seeds[i]);
        }
        Map<Tensor, Tensor> results = new IdentityHashMap<>();
        Set<Tensor> wantedSet = Collections.newSetFromMap(new IdentityHashMap<>());
        if (wanted != null) {
            wantedSet.addAll(Arrays.asList(wanted));
        }
        List<Tensor> order = topologicalOrder(outputs);
        // A gradient rule's own ops are not checked one by one: a NaN they make is reported once, as the
        // gradient of the forward op whose rule it is, with the place that op was called.
        boolean anomaly = GradMode.current().anomaly;
        try (Scope scope = new Scope(createGraph, false)) {
            for (int k = order.size() - 1; k >= 0; k--) {
                Tensor t = order.get(k);
                Gradients.Sum sum = pending.take(t);
                if (sum == null) {
                    continue;
                }
                Tensor g = sum.gradient();
                if (wantedSet.contains(t)) {
                    results.put(t, g);
                } else if (wanted == null && t.retainsGrad()) {
                    t.depositGrad(g, createGraph, sum.owned());
                }
                Node node = t.node();
                if (node == null) {
                    continue;
                }
                Tensor[] inputs = node.inputs();
                Backward rule = node.rule(t);
                for (int i = 0; i < inputs.length; i++) {
                    if (!inputs[i].requiresGrad()) {
                        continue;
                    }
                    if (pending.scatters(node)) {
                        if (anomaly) {
                            Anomaly.checkBackward(node, i, g);
                        }
                        node.scatter.addInto(i, g, pending.ownedSum(inputs[i]));
                    } else {
                        Tensor gi = Ops.sumTo(rule.gradient(i, g, t), inputs[i].value().shape())
                                .to(inputs[i].value().dtype());
                        if (anomaly) {
                            Anomaly.checkBackward(node, i, gi);
                        }
                        pending.add(inputs[i], gi);
                    }
                }
                if (!retainGraph) {
                    node.free();
                }
            }
        }
        if (wanted == null) {
            return null;
        }
        Tensor[] out = new Tensor[wanted.length];
        for (int i = 0; i < wanted.length; i++) {
            out[i] = results.get(wanted[i]);
        }
        return out;
    }

    /** Tensors reachable from {@code outputs}, each after all the tensors it was computed from. */
    private static List<Tensor> topologicalOrder(Tensor[] outputs) {
        List<Tensor> order = new ArrayList<>();
        Map<Tensor, Boolean> seen = new IdentityHashMap<>();
        ArrayDeque<Tensor> stack = new ArrayDeque<>();
        ArrayDeque<Integer> next = new ArrayDeque<>();
        for (Tensor root : outputs) {
            if (seen.put(root, Boolean.TRUE) != null) {
                continue;
            }
            stack.push(root);
            next.push(0);
            while (!stack.isEmpty()) {
                Tensor t = stack.peek();
                int i = next.pop();
                Tensor[] inputs = t.node() == null ? new Tensor[0] : t.node().inputs();
                while (i < inputs.length && (!inputs[i].requiresGrad() || seen.containsKey(inputs[i]))) {
                    i++;
                }
                if (i < inputs.length) {
                    next.push(i + 1);
                    seen.put(inputs[i], Boolean.TRUE);
                    stack.push(inputs[i]);
                    next.push(0);
                } else {
                    order.add(stack.pop());
                }
            }
        }
        return order;
    }
}
