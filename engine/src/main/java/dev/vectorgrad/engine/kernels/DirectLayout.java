package dev.vectorgrad.engine.kernels;

/**
 * How the direct (stride 1) convolution of {@link FloatDirectConv#convDirect} addresses its data. The input
 * planes are copied into a zero-padded buffer ({@code paddedH x paddedW} a channel, the input placed at
 * row {@code top} and column {@code left}, which may be negative to crop, then {@code lanes} spare zeros),
 * so that every tap {@code (c, ki, kj)} of every output position reads at one constant {@link #shift} from
 * the position's start. Output rows are cut into segments of {@code lanes} consecutive positions; the
 * last of a row may reach past the row, into positions that are computed and dropped. The results go to
 * rows of {@code pitch} (the output width rounded up to whole vectors) before they are compacted.
 *
 * <pre>{@code
 * DirectLayout d = DirectLayout.of(new Window2d(16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1), 32, 16);
 * int taps = d.shift().length;                         // 32 * 3 * 3
 * }</pre>
 */
public record DirectLayout(int height, int width, int top, int left, int paddedH, int paddedW, int outHeight,
                           int outWidth, int pitch, int lanes, int[] shift, int[] inStart, int[] outStart) {

    /** Output channels a panel of packed weights holds; a caller splitting the channels splits at multiples of it. */
    public static final int PANEL = 4;

    /** The layout of a stride-1 window over {@code channels} planes, for vectors of {@code lanes} elements. */
    public static DirectLayout of(Window2d w, int channels, int lanes) {
        if (w.strideH() != 1 || w.strideW() != 1) {
            throw new IllegalArgumentException("DirectLayout: stride must be 1, got [" + w.strideH() + ", " + w.strideW() + "]");
        }
        int paddedH = w.outHeight() + w.dilationH() * (w.kernelH() - 1);
        int paddedW = w.outWidth() + w.dilationW() * (w.kernelW() - 1);
        int perRow = (w.outWidth() + lanes - 1) / lanes;
        int[] shift = new int[channels * w.kernelH() * w.kernelW()];
        for (int c = 0, t = 0; c < channels; c++) {
            for (int ki = 0; ki < w.kernelH(); ki++) {
                for (int kj = 0; kj < w.kernelW(); kj++, t++) {
                    shift[t] = (c * paddedH + ki * w.dilationH()) * paddedW + kj * w.dilationW();
                }
            }
        }
        int[] inStart = new int[w.outHeight() * perRow], outStart = new int[inStart.length];
        for (int oh = 0, s = 0; oh < w.outHeight(); oh++) {
            for (int ow = 0; ow < w.outWidth(); ow += lanes, s++) {
                inStart[s] = oh * paddedW + ow;
                outStart[s] = oh * perRow * lanes + ow;
            }
        }
        return new DirectLayout(w.height(), w.width(), w.padH(), w.padW(), paddedH, paddedW, w.outHeight(), w.outWidth(),
                perRow * lanes, lanes, shift, inStart, outStart);
    }

    /** Elements of the padded copy of {@code channels} planes, spare zeros included. */
    public int paddedSize(int channels) {
        return channels * paddedH * paddedW + lanes;
    }

    /** Elements of the output rows of {@code rows} channels before compaction. */
    public int outSize(int rows) {
        return rows * outHeight * pitch;
    }
}
