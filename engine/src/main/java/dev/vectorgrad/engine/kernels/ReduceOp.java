package dev.vectorgrad.engine.kernels;

/** The associative operators a reduction kernel folds a run of elements with. */
public enum ReduceOp {
    SUM, MAX, MIN;

    /** The binary operator that combines two partial results of this reduction. */
    public BinaryOp combiner() {
        return switch (this) {
            case SUM -> BinaryOp.ADD;
            case MAX -> BinaryOp.MAX;
            case MIN -> BinaryOp.MIN;
        };
    }
}
