package dev.vectorgrad.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C += A B} the GotoBLAS/BLIS way, on one thread: B is packed into panels of {@code NR} columns
 * and A into panels of {@code MR} rows, so that the micro-kernel streams both from contiguous memory
 * while {@code MR x NR} accumulators stay in registers; {@code KC}, {@code MC} and {@code NC} keep a
 * B micro-panel in L1, an A block in L2 and a B block in L3. A and B are read through any strides, so
 * a transposed operand is packed directly, never copied first. Panels are zero-padded to whole tiles;
 * an edge tile runs the same micro-kernel into a scratch tile, so every element of C sees the same
 * sequence of operations whatever tile, thread or split it falls in.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleGemm twin from this file.
 */
public final class FloatGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows and columns of the register tile: 6 x 2 vectors, twelve accumulators. */
    public static final int MR = 6;
    public static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int MC = 20 * MR;
    private static final int NC = 96 * NR;

    private FloatGemm() {
    }

    /** Packing space of one thread, grown on demand: a product allocates nothing once its thread has run one as large. */
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    private static final class Scratch {
        float[] a = new float[0];
        float[] b = new float[0];
        final float[] tile = new float[MR * NR];
    }

    /**
     * {@code c[cOff + i*ldc + j] += sum_p a[aOff + i*rsa + p*csa] * b[bOff + p*rsb + j*csb]} for
     * {@code i < m, j < n, p < k}.
     */
    public static void gemm(int m, int n, int k, float[] a, int aOff, int rsa, int csa,
                            float[] b, int bOff, int rsb, int csb, float[] c, int cOff, int ldc) {
        if (m == 0 || n == 0 || k == 0) {
            return;
        }
        // A product narrower than one register tile would waste most of every tile; its transpose
        // C^T = B^T A^T does not, and each element still sums the same products in the same order.
        if (n < NR && m > n) {
            blocked(n, m, k, b, bOff, csb, rsb, a, aOff, csa, rsa, c, cOff, 1, ldc);
        } else {
            blocked(m, n, k, a, aOff, rsa, csa, b, bOff, rsb, csb, c, cOff, ldc, 1);
        }
    }

    /** The blocked product into C with row stride {@code rsc} and column stride {@code csc}. */
    private static void blocked(int m, int n, int k, float[] a, int aOff, int rsa, int csa,
                                float[] b, int bOff, int rsb, int csb, float[] c, int cOff, int rsc, int csc) {
        int kcMax = Math.min(KC, k);
        Scratch scratch = SCRATCH.get();
        if (scratch.b.length < kcMax * roundUp(Math.min(NC, n), NR)) {
            scratch.b = new float[kcMax * roundUp(Math.min(NC, n), NR)];
        }
        if (scratch.a.length < roundUp(Math.min(MC, m), MR) * kcMax) {
            scratch.a = new float[roundUp(Math.min(MC, m), MR) * kcMax];
        }
        float[] bPacked = scratch.b, aPacked = scratch.a, tile = scratch.tile;
        for (int jc = 0; jc < n; jc += NC) {
            int nc = Math.min(NC, n - jc);
            for (int pc = 0; pc < k; pc += KC) {
                int kc = Math.min(KC, k - pc);
                packB(kc, nc, b, bOff + pc * rsb + jc * csb, rsb, csb, bPacked);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kc, a, aOff + ic * rsa + pc * csa, rsa, csa, aPacked);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            int at = cOff + (ic + ir) * rsc + (jc + jr) * csc;
                            if (mr == MR && nr == NR && csc == 1) {
                                microKernel(kc, aPacked, ir * kc, bPacked, jr * kc, c, at, rsc);
                            } else {
                                Arrays.fill(tile, 0);
                                microKernel(kc, aPacked, ir * kc, bPacked, jr * kc, tile, 0, NR);
                                for (int i = 0; i < mr; i++) {
                                    for (int j = 0; j < nr; j++) {
                                        c[at + i * rsc + j * csc] += tile[i * NR + j];
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /** Column panels: {@code packed[jr*kc + p*NR + j] = B[p, jr + j]}, zero past the last column. */
    private static void packB(int kc, int nc, float[] b, int off, int rsb, int csb, float[] packed) {
        // A transposed B (a Linear layer's weight) is gathered a vector at a time: scalar copies of its
        // columns cost as much as the product of a 64-row batch with it.
        int[] columns = csb == 1 || nc < NR ? null : columnOffsets(csb);
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr);
            int base = jr * kc;
            if (nr < NR) {
                panel(b, off + jr * csb, csb, rsb, nr, NR, kc, packed, base);
            } else if (csb == 1) {
                for (int p = 0; p < kc; p++) {
                    int from = off + p * rsb + jr;
                    FloatVector.fromArray(S, b, from).intoArray(packed, base + p * NR);
                    FloatVector.fromArray(S, b, from + L).intoArray(packed, base + p * NR + L);
                }
            } else {
                for (int p = 0; p < kc; p++) {
                    int from = off + p * rsb + jr * csb;
                    FloatVector.fromArray(S, b, from, columns, 0).intoArray(packed, base + p * NR);
                    FloatVector.fromArray(S, b, from, columns, L).intoArray(packed, base + p * NR + L);
                }
            }
        }
    }

    /** {@code j * csb} for the {@code NR} columns of a panel: the gather's index map. */
    private static int[] columnOffsets(int csb) {
        int[] offsets = new int[NR];
        for (int j = 0; j < NR; j++) {
            offsets[j] = j * csb;
        }
        return offsets;
    }

    /** Row panels: {@code packed[ir*kc + p*MR + i] = A[ir + i, p]}, zero past the last row. */
    private static void packA(int mc, int kc, float[] a, int off, int rsa, int csa, float[] packed) {
        for (int ir = 0; ir < mc; ir += MR) {
            panel(a, off + ir * rsa, rsa, csa, Math.min(MR, mc - ir), MR, kc, packed, ir * kc);
        }
    }

    /**
     * {@code packed[base + p*width + i] = src[off + i*is + p*ps]} for {@code i < n} and zero for
     * {@code n <= i < width}, {@code p < kc}: one panel, walked along whichever source stride is shorter,
     * so that a transposed operand is read in order too.
     */
    private static void panel(float[] src, int off, int is, int ps, int n, int width, int kc, float[] packed, int base) {
        if (is <= ps) {
            for (int p = 0; p < kc; p++) {
                int from = off + p * ps, to = base + p * width;
                for (int i = 0; i < n; i++) {
                    packed[to + i] = src[from + i * is];
                }
            }
        } else {
            for (int i = 0; i < n; i++) {
                int from = off + i * is, to = base + i;
                for (int p = 0; p < kc; p++) {
                    packed[to + p * width] = src[from + p * ps];
                }
            }
        }
        if (n < width) {
            for (int p = 0; p < kc; p++) {
                Arrays.fill(packed, base + p * width + n, base + (p + 1) * width, 0);
            }
        }
    }

    /** {@code C[0..MR, 0..NR] += Apanel * Bpanel}: twelve accumulators, two B vectors and six broadcasts per step. */
    private static void microKernel(int kc, float[] a, int ao, float[] b, int bo, float[] c, int co, int ldc) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + p * NR + L);
            int ai = ao + p * MR;
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + 1]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
        }
        addRow(c00, c01, c, co);
        addRow(c10, c11, c, co + ldc);
        addRow(c20, c21, c, co + 2 * ldc);
        addRow(c30, c31, c, co + 3 * ldc);
        addRow(c40, c41, c, co + 4 * ldc);
        addRow(c50, c51, c, co + 5 * ldc);
    }

    private static void addRow(FloatVector lo, FloatVector hi, float[] c, int at) {
        FloatVector.fromArray(S, c, at).add(lo).intoArray(c, at);
        FloatVector.fromArray(S, c, at + L).add(hi).intoArray(c, at + L);
    }
}
