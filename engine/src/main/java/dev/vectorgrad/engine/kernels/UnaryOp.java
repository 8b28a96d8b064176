package dev.vectorgrad.engine.kernels;

/** The elementwise unary operators a kernel applies. */
public enum UnaryOp {
    NEG, ABS, EXP, LOG, LOG1P, SQRT, RSQRT, TANH, SIGMOID, RELU, SIN, COS, SIGN, ERF, GELU, GELU_TANH
}
