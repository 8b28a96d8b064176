package dev.vectorgrad.nn;

/** Log-softmax along an axis: finite where softmax underflows. */
public final class LogSoftmax extends Activation {

    public LogSoftmax(int axis) {
        super("LogSoftmax(dim=" + axis + ")", x -> x.logSoftmax(axis));
    }
}
