package dev.vectorgrad.engine;

/**
 * The flat array behind an {@link NDArray} and all of its views, with a counter of in-place writes so
 * that a user of a value (autodiff saving it for backward) can tell whether it has changed since.
 */
final class Storage {

    final Object data;
    private int version;

    Storage(Object data) {
        this.data = data;
    }

    int version() {
        return version;
    }

    void bumpVersion() {
        version++;
    }
}
