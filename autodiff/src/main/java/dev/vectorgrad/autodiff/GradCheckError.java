package dev.vectorgrad.autodiff;

/** A gradient check that failed: the message names the input, the element, both values and the error. */
public final class GradCheckError extends AssertionError {

    GradCheckError(String message) {
        super(message);
    }
}
