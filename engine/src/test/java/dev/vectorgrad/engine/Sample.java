package dev.vectorgrad.engine;

/** An engine array and the reference's copy of its elements, drawn together by {@link EngineArbitraries}. */
record Sample(NDArray array, Ref ref, String layout) {

    @Override
    public String toString() {
        return layout + " " + array.dtype() + " " + Shape.format(array.shape());
    }
}
