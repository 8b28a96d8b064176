package dev.vectorgrad.engine.kernels;

/**
 * The elementwise binary operators a kernel applies. Comparisons give 1 where true and 0 where false.
 *
 * <p>Kernels switch on the operator inside the vector loop rather than taking a
 * {@code VectorOperators.Binary}: a non-constant Vector API operator is not intrinsified and runs
 * about 25 times slower, while the switch costs one predictable branch per vector.
 */
public enum BinaryOp {
    ADD, SUB, MUL, DIV, POW, MAX, MIN, EQ, NE, LT, LE, GT, GE
}
