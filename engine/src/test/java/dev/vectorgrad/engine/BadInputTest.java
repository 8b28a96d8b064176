package dev.vectorgrad.engine;

import static org.junit.jupiter.api.Assertions.assertAll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/** Every mistake a user can make with an array ends in an exception whose message names the op and the shapes. */
class BadInputTest {

    private static Executable rejects(String message, Executable call) {
        return () -> assertEquals(message, assertThrows(IllegalArgumentException.class, call).getMessage());
    }

    @Test
    void shapesThatDoNotFit() {
        assertAll(
                rejects("of: 5 values do not fill shape [2, 3] (6 elements)", () -> NDArray.of(new double[5], 2, 3)),
                rejects("add: cannot broadcast [2, 3] with [4] (dimension 1: 3 vs 4)", () -> NDArray.zeros(2, 3).add(NDArray.zeros(4))),
                rejects("reshape: cannot reshape [2, 3] (6 elements) to [4] (4 elements)", () -> NDArray.zeros(2, 3).reshape(4)),
                rejects("reshape: only one dimension can be -1 in [-1, -1]", () -> NDArray.zeros(2, 3).reshape(-1, -1)),
                rejects("expand: cannot expand [2, 3] to [4, 3] (dimension 0: 2 is not 1)", () -> NDArray.zeros(2, 3).expand(4, 3)),
                rejects("cat: shapes [2, 3], [2, 4] differ outside axis 0", () -> NDArray.cat(0, NDArray.zeros(2, 3), NDArray.zeros(2, 4))),
                rejects("stack: all shapes must be equal, got [2], [3]", () -> NDArray.stack(0, NDArray.zeros(2), NDArray.zeros(3))));
    }

    @Test
    void axesAndIndicesOutOfRange() {
        assertAll(
                rejects("sum: axis 2 is out of range for shape [2, 3] (rank 2)", () -> NDArray.zeros(2, 3).sum(2)),
                rejects("sum: axis -1 is repeated in [1, -1] for shape [2, 3]", () -> NDArray.zeros(2, 3).sum(1, -1)),
                rejects("permute: [0, 0] is not a permutation of the 2 axes of [2, 3]", () -> NDArray.zeros(2, 3).permute(0, 0)),
                rejects("select: index 3 is out of bounds for axis 1 with size 3 in shape [2, 3]", () -> NDArray.zeros(2, 3).select(1, 3)),
                rejects("slice: step must be positive, got 0 for shape [2, 3]", () -> NDArray.zeros(2, 3).slice(0, 0, 1, 0)),
                rejects("get: index [0, 3] is out of bounds for shape [2, 3]", () -> NDArray.zeros(2, 3).get(0, 3)),
                rejects("indexSelect: index 5 is out of bounds for axis 0 of shape [2, 3] with size 2",
                () -> NDArray.zeros(2, 3).indexSelect(0, NDArray.of(new double[] {5}, 1))),
                rejects("gather: index 0.5 is not a whole number",
                () -> NDArray.zeros(2).gather(0, NDArray.of(new double[] {0.5}, 1))),
                rejects("max: cannot reduce over an empty axis of shape [0, 3]", () -> NDArray.zeros(0, 3).max(0)));
    }

    @Test
    void valuesThatMakeNoSense() {
        assertAll(
                rejects("clamp: min 2.0 is greater than max 1.0", () -> NDArray.zeros(2).clamp(2, 1)),
                rejects("item: array of shape [2] has 2 elements, not one", () -> NDArray.zeros(2).item()),
                rejects("zeros: negative dimension in shape [2, -1]", () -> NDArray.zeros(2, -1)),
                rejects("matmul: both operands need at least one dimension, got [] and [2]",
                () -> NDArray.scalar(1, DType.FLOAT32).matmul(NDArray.zeros(2))),
                rejects("addInPlace: cannot write in place into a broadcast view of shape [3, 2] (axis 0 has stride 0); call contiguous() first",
                () -> NDArray.zeros(2).expand(3, 2).addInPlace(1)));
    }
}
