package dev.vectorgrad.engine.kernels;

/**
 * How the direct (stride 1) convolution of {@link FloatDirectConv#convDirect} addresses its data. The input
 * planes are copied into a zero-padded buffer ({@code paddedH x paddedW} a channel, the input placed at
 * row {@code top} and column {@code left}, which may be negative to crop, then {@code lanes} spare zeros),
 * so that every tap {@code (c, ki, kj)} of every output position reads at one constant {@link #shift} from
 * the position's start. Then one of two ways to fill vectors:
 * <ul>
 * <li>along output rows (wide rows): rows are cut into segments of {@code lanes} consecutive positions; the
 * last of a row may reach past the row, into positions that are computed and dropped. The results go to
 * rows of {@code pitch} (the output width rounded up to whole vectors) before they are compacted;</li>
 * <li>across output channels ({@code acrossChannels}, rows narrower than a vector, where most lanes of a
 * row segment would be wasted): a vector holds {@code lanes} output channels of one output, and blocks
 * of outputs read their taps from their own {@code positions}. The results go to {@code lanes} values an
 * output, and are then moved into the channels' planes.</li>
 * </ul>
 * The second is taken when it computes fewer lanes than the first. Output {@code j = oh*outWidth + ow} of a
 * plane starts at {@code positions[j] = oh*paddedW + ow} in the padded plane, in either layout: the weight
 * gradient reads its taps from there.
 *
 * <pre>{@code
 * DirectLayout d = DirectLayout.of(new Window2d(16, 16, 16, 16, 3, 3, 1, 1, 1, 1, 1, 1), 32, 64, 16);
 * int taps = d.shift().length;                         // 32 * 3 * 3
 * }</pre>
 */
public record DirectLayout(int height, int width, int top, int left, int paddedH, int paddedW, int outHeight,
                           int outWidth, int pitch, int lanes, int[] shift, int[] inStart, int[] outStart,
                           boolean acrossChannels, int[] positions) {

    /** Output channels of the register block along rows, and of a panel of its packed weights. */
    public static final int PANEL = 4;
    /** Outputs of the register block across channels. */
    public static final int POSITIONS = 8;
    /** Segments of the register block along rows. */
    static final int SEGMENTS = 4;
    /** Vectors of output channels of the weight gradient's register block. */
    static final int GRAD_VECTORS = 2;

    /**
     * The layout of a stride-1 window over {@code channels} planes into {@code rows} output channels, for
     * vectors of {@code lanes} elements.
     */
    public static DirectLayout of(Window2d w, int channels, int rows, int lanes) {
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
        int[] positions = new int[w.outHeight() * w.outWidth()];
        for (int j = 0; j < positions.length; j++) {
            positions[j] = j / w.outWidth() * paddedW + j % w.outWidth();
        }
        long alongRows = (long) roundUp(rows, PANEL) * roundUp(w.outHeight() * perRow, SEGMENTS) * lanes;
        long acrossChannels = (long) roundUp(rows, lanes) * roundUp(w.outHeight() * w.outWidth(), POSITIONS);
        if (w.outWidth() < lanes && acrossChannels < alongRows) {
            return new DirectLayout(w.height(), w.width(), w.padH(), w.padW(), paddedH, paddedW, w.outHeight(), w.outWidth(),
                    paddedW, lanes, shift, new int[0], new int[0], true, positions);
        }
        int[] inStart = new int[w.outHeight() * perRow], outStart = new int[inStart.length];
        for (int oh = 0, s = 0; oh < w.outHeight(); oh++) {
            for (int ow = 0; ow < w.outWidth(); ow += lanes, s++) {
                inStart[s] = oh * paddedW + ow;
                outStart[s] = oh * perRow * lanes + ow;
            }
        }
        return new DirectLayout(w.height(), w.width(), w.padH(), w.padW(), paddedH, paddedW, w.outHeight(), w.outWidth(),
                perRow * lanes, lanes, shift, inStart, outStart, false, positions);
    }

    private static int roundUp(int n, int m) {
        return (n + m - 1) / m * m;
    }

    /** Elements of the padded copy of {@code channels} planes, spare zeros included. */
    public int paddedSize(int channels) {
        return channels * paddedH * paddedW + lanes;
    }

    /**
     * Elements of the results of {@code rows} channels before compaction (across channels: of one vector of
     * channels; none where rows are whole vectors, which go straight to the output).
     */
    public int outSize(int rows) {
        if (acrossChannels) {
            return roundUp(outHeight * outWidth, POSITIONS) * lanes;
        }
        return pitch == outWidth ? 0 : rows * outHeight * pitch;
    }

    /** Elements of the scratch of the weight gradient over {@code samples} samples of {@code channels} planes. */
    public int weightScratch(int channels, int samples) {
        return samples * (paddedSize(channels) + outHeight * outWidth * GRAD_VECTORS * lanes);
    }

    /**
     * Output channels a panel of packed weights holds: {@link #PANEL} along rows, a vector's worth across
     * channels. A caller splitting the channels splits at multiples of it.
     */
    public int panel() {
        return acrossChannels ? lanes : PANEL;
    }
}
