package dev.vectorgrad.engine.kernels;

import java.util.Arrays;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C += A B} the GotoBLAS/BLIS way, on one thread: B is packed into panels of {@code NR} columns
 * and A into panels of {@code MR} rows, so that the micro-kernel streams both from contiguous memory
 * while {@code MR x NR} accumulators stay in registers. The blocks are long along k ({@code KC}): C is
 * read and written once per {@code KC} steps, and the B micro-panel ({@code KC x NR}, 128 KiB) streams
 * from L2 at two vectors per sixteen FMAs, which Zen 4 sustains (KC = 1024 ran 1024^3 at 101 GFLOPS,
 * 2048^3 at 100, against 92-97 and 91 with KC = 256); an A block ({@code MC x KC}) stays in L2 and a
 * B block ({@code KC x NC}, 3 MiB) in L3. A and B are read through any strides, so a transposed operand
 * is packed directly, never copied first. Panels are zero-padded to whole tiles,
 * and the micro-kernel always writes its tile to scratch, added to C afterwards, so every element of C
 * sees the same sequence of operations whatever tile, thread or split it falls in.
 *
 * <p>Template: the build's generate-double-kernels step writes the DoubleGemm twin from this file.
 */
public final class FloatGemm {

    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Rows and columns of the register tile: 8 x 2 vectors, sixteen accumulators. */
    public static final int MR = 8;
    public static final int NR = 2 * L;
    public static final int KC = 1024;
    private static final int MC = 8 * MR;
    private static final int NC = 24 * NR;

    /**
     * Index vectors of {@link #exchange} at distance {@code d = 2^s < L}, at offset {@code 2sL}: the lanes
     * of row {@code i}, then of row {@code i+d}, numbered as {@code selectFrom}'s two operands.
     */
    private static final float[] EXCHANGE = exchangeIndices();

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
        // k in equal chunks of at most KC: a last chunk of a few steps would pay a whole tile's overhead.
        int chunks = (k + KC - 1) / KC, kcMax = (k + chunks - 1) / chunks;
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
            for (int pc = 0; pc < k; pc += kcMax) {
                int kc = Math.min(kcMax, k - pc);
                packB(kc, nc, b, bOff + pc * rsb + jc * csb, rsb, csb, bPacked);
                for (int ic = 0; ic < m; ic += MC) {
                    int mc = Math.min(MC, m - ic);
                    packA(mc, kc, a, aOff + ic * rsa + pc * csa, rsa, csa, aPacked);
                    for (int jr = 0; jr < nc; jr += NR) {
                        int nr = Math.min(NR, nc - jr);
                        for (int ir = 0; ir < mc; ir += MR) {
                            int mr = Math.min(MR, mc - ir);
                            microKernel(kc, aPacked, ir * kc, bPacked, jr * kc, tile);
                            addTile(tile, mr, nr, c, cOff + (ic + ir) * rsc + (jc + jr) * csc, rsc, csc);
                        }
                    }
                }
            }
        }
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    /**
     * Column panels: {@code packed[jr*kc + p*NR + j] = B[p, jr + j]}, zero past the last column. A B read
     * along its columns (a Linear layer's weight, transposed) is transposed L x L blocks at a time.
     */
    private static void packB(int kc, int nc, float[] b, int off, int rsb, int csb, float[] packed) {
        for (int jr = 0; jr < nc; jr += NR) {
            int nr = Math.min(NR, nc - jr), base = jr * kc;
            if (nr == NR && csb == 1) {
                for (int p = 0; p < kc; p++) {
                    int from = off + p * rsb + jr;
                    FloatVector.fromArray(S, b, from).intoArray(packed, base + p * NR);
                    FloatVector.fromArray(S, b, from + L).intoArray(packed, base + p * NR + L);
                }
            } else {
                // Columns in blocks of L, then one at a time; the rest of a short panel is zero.
                int j = 0;
                if (rsb == 1) {
                    for (; j + L <= nr; j += L) {
                        transposeRows(kc, b, off + (jr + j) * csb, csb, packed, base + j, NR);
                    }
                }
                for (int p = 0; p < kc; p++) {
                    int from = off + p * rsb + jr * csb, to = base + p * NR;
                    for (int jj = j; jj < nr; jj++) {
                        packed[to + jj] = b[from + jj * csb];
                    }
                    Arrays.fill(packed, to + nr, to + NR, 0);
                }
            }
        }
    }

    /**
     * Row panels, each row by row: {@code packed[i*kc + p] = A[i, p]} for {@code i} up to {@code mc}
     * rounded up to whole panels, zero past the last row. An A read down its columns (a transposed view)
     * is transposed L x L blocks at a time.
     */
    private static void packA(int mc, int kc, float[] a, int off, int rsa, int csa, float[] packed) {
        if (csa == 1) {
            for (int i = 0; i < mc; i++) {
                System.arraycopy(a, off + i * rsa, packed, i * kc, kc);
            }
        } else {
            int p = 0;
            if (rsa == 1) {
                for (; p + L <= kc; p += L) {
                    transposeRows(mc, a, off + p * csa, csa, packed, p, kc);
                }
            }
            for (int i = 0; i < mc; i++) {
                for (int q = p; q < kc; q++) {
                    packed[i * kc + q] = a[off + i * rsa + q * csa];
                }
            }
        }
        Arrays.fill(packed, mc * kc, roundUp(mc, MR) * kc, 0);
    }

    /**
     * {@code dst[to + q*ld + j] = src[from + j*stride + q]} for {@code j < L, q < count}: L rows of the
     * source, each contiguous along {@code q}, become L columns of the destination, L x L blocks at a time
     * transposed in registers. Exchanging the lanes {@code d} apart between rows {@code d} apart swaps bit
     * {@code d} of the row and lane numbers; each pass does two such exchanges on four rows at a time (one
     * exchange when L has an odd number of bits) over all blocks, the first pass reading the source and the
     * others the destination, in place.
     */
    private static void transposeRows(int count, float[] src, int from, int stride, float[] dst, int to, int ld) {
        int whole = count / L * L, d = L / 2;
        if (Integer.numberOfTrailingZeros(L) % 2 == 1) {
            exchange(whole, src, from, 1, stride, dst, to, ld, d);
            d /= 2;
        } else {
            exchangeTwice(whole, src, from, 1, stride, dst, to, ld, d);
            d /= 4;
        }
        for (; d > 0; d /= 4) {
            exchangeTwice(whole, dst, to, ld, ld, dst, to, ld, d);
        }
        for (int q = whole; q < count; q++) {
            for (int j = 0; j < L; j++) {
                dst[to + q * ld + j] = src[from + j * stride + q];
            }
        }
    }

    /**
     * The exchange at {@code d} on the blocks {@code q = 0, L, ..} below {@code count}; block {@code q} of the
     * source starts at {@code from + q*step}, its rows {@code stride} apart.
     */
    private static void exchange(int count, float[] src, int from, int step, int stride, float[] dst, int to, int ld, int d) {
        int at = 2 * L * Integer.numberOfTrailingZeros(d);
        FloatVector lo = FloatVector.fromArray(S, EXCHANGE, at), hi = FloatVector.fromArray(S, EXCHANGE, at + L);
        for (int q = 0; q < count; q += L) {
            int s = from + q * step, t = to + q * ld;
            for (int i = 0; i < L; i++) {
                if ((i & d) != 0) {
                    continue;
                }
                FloatVector x = FloatVector.fromArray(S, src, s + i * stride);
                FloatVector y = FloatVector.fromArray(S, src, s + (i + d) * stride);
                lo.selectFrom(x, y).intoArray(dst, t + i * ld);
                hi.selectFrom(x, y).intoArray(dst, t + (i + d) * ld);
            }
        }
    }

    /** The exchanges at {@code d} and {@code e = d/2} on the rows {@code i, i+e, i+d, i+d+e} of each block, held in registers. */
    private static void exchangeTwice(int count, float[] src, int from, int step, int stride, float[] dst, int to, int ld, int d) {
        int e = d / 2, at = 2 * L * Integer.numberOfTrailingZeros(d), at2 = at - 2 * L;
        FloatVector lo = FloatVector.fromArray(S, EXCHANGE, at), hi = FloatVector.fromArray(S, EXCHANGE, at + L);
        FloatVector lo2 = FloatVector.fromArray(S, EXCHANGE, at2), hi2 = FloatVector.fromArray(S, EXCHANGE, at2 + L);
        for (int q = 0; q < count; q += L) {
            int s = from + q * step, t = to + q * ld;
            for (int i = 0; i < L; i++) {
                if ((i & (d | e)) != 0) {
                    continue;
                }
                FloatVector x0 = FloatVector.fromArray(S, src, s + i * stride);
                FloatVector x1 = FloatVector.fromArray(S, src, s + (i + e) * stride);
                FloatVector x2 = FloatVector.fromArray(S, src, s + (i + d) * stride);
                FloatVector x3 = FloatVector.fromArray(S, src, s + (i + d + e) * stride);
                FloatVector y0 = lo.selectFrom(x0, x2), y2 = hi.selectFrom(x0, x2);
                FloatVector y1 = lo.selectFrom(x1, x3), y3 = hi.selectFrom(x1, x3);
                lo2.selectFrom(y0, y1).intoArray(dst, t + i * ld);
                hi2.selectFrom(y0, y1).intoArray(dst, t + (i + e) * ld);
                lo2.selectFrom(y2, y3).intoArray(dst, t + (i + d) * ld);
                hi2.selectFrom(y2, y3).intoArray(dst, t + (i + d + e) * ld);
            }
        }
    }

    private static float[] exchangeIndices() {
        float[] indices = new float[2 * L * Integer.numberOfTrailingZeros(L)];
        for (int d = 1, at = 0; d < L; d *= 2, at += 2 * L) {
            for (int j = 0; j < L; j++) {
                boolean upper = (j & d) != 0;
                indices[at + j] = upper ? L + j - d : j;
                indices[at + L + j] = upper ? L + j : j + d;
            }
        }
        return indices;
    }

    /**
     * {@code tile = Apanel * Bpanel} ({@code MR x NR}, row-major): sixteen accumulators, two B vectors and
     * eight broadcasts per step. The tile goes through memory, not straight into C: C2 stops inlining
     * before a kernel this size has added its rows to C, and would box the vectors it passes on.
     */
    private static void microKernel(int kc, float[] a, int ao, float[] b, int bo, float[] tile) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00;
        FloatVector c30 = c00, c31 = c00, c40 = c00, c41 = c00, c50 = c00, c51 = c00;
        FloatVector c60 = c00, c61 = c00, c70 = c00, c71 = c00;
        for (int p = 0; p < kc; p++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + p * NR);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + p * NR + L);
            int ai = ao + p;
            FloatVector x = FloatVector.broadcast(S, a[ai]);
            c00 = x.fma(b0, c00);
            c01 = x.fma(b1, c01);
            x = FloatVector.broadcast(S, a[ai + kc]);
            c10 = x.fma(b0, c10);
            c11 = x.fma(b1, c11);
            x = FloatVector.broadcast(S, a[ai + 2 * kc]);
            c20 = x.fma(b0, c20);
            c21 = x.fma(b1, c21);
            x = FloatVector.broadcast(S, a[ai + 3 * kc]);
            c30 = x.fma(b0, c30);
            c31 = x.fma(b1, c31);
            x = FloatVector.broadcast(S, a[ai + 4 * kc]);
            c40 = x.fma(b0, c40);
            c41 = x.fma(b1, c41);
            x = FloatVector.broadcast(S, a[ai + 5 * kc]);
            c50 = x.fma(b0, c50);
            c51 = x.fma(b1, c51);
            x = FloatVector.broadcast(S, a[ai + 6 * kc]);
            c60 = x.fma(b0, c60);
            c61 = x.fma(b1, c61);
            x = FloatVector.broadcast(S, a[ai + 7 * kc]);
            c70 = x.fma(b0, c70);
            c71 = x.fma(b1, c71);
        }
        c00.intoArray(tile, 0);
        c01.intoArray(tile, L);
        c10.intoArray(tile, NR);
        c11.intoArray(tile, NR + L);
        c20.intoArray(tile, 2 * NR);
        c21.intoArray(tile, 2 * NR + L);
        c30.intoArray(tile, 3 * NR);
        c31.intoArray(tile, 3 * NR + L);
        c40.intoArray(tile, 4 * NR);
        c41.intoArray(tile, 4 * NR + L);
        c50.intoArray(tile, 5 * NR);
        c51.intoArray(tile, 5 * NR + L);
        c60.intoArray(tile, 6 * NR);
        c61.intoArray(tile, 6 * NR + L);
        c70.intoArray(tile, 7 * NR);
        c71.intoArray(tile, 7 * NR + L);
    }

    /** {@code C[0..mr, 0..nr] += tile}, a vector at a time where C's rows are contiguous and the tile whole. */
    private static void addTile(float[] tile, int mr, int nr, float[] c, int at, int rsc, int csc) {
        if (mr == MR && nr == NR && csc == 1) {
            for (int i = 0; i < MR; i++) {
                for (int j = 0; j < NR; j += L) {
                    int to = at + i * rsc + j;
                    FloatVector.fromArray(S, c, to).add(FloatVector.fromArray(S, tile, i * NR + j)).intoArray(c, to);
                }
            }
        } else {
            for (int i = 0; i < mr; i++) {
                for (int j = 0; j < nr; j++) {
                    c[at + i * rsc + j * csc] += tile[i * NR + j];
                }
            }
        }
    }
}
