/**
 * jqwik generators for property-based gradient checks of your own ops: shapes that shrink toward the
 * smallest failing one, broadcast-compatible shape pairs, and FLOAT64 tensors in contiguous or strided
 * layouts. jqwik is an optional dependency of autodiff: add it to your test scope to use this package.
 *
 * <pre>{@code
 * @Property
 * void myOpGradient(@ForAll("x") Tensor x) { GradCheck.check(in -> myOp(in[0]), x); }
 * @Provide Arbitrary<Tensor> x() { return TensorArbitraries.tensors(TensorArbitraries.shapes(0, 3, 4)); }
 * }</pre>
 */
package dev.vectorgrad.autodiff.testing;
