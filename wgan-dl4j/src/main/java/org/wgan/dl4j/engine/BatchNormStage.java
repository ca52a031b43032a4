package org.wgan.dl4j.engine;

import java.nio.Buffer;
import java.nio.DoubleBuffer;
import java.nio.FloatBuffer;
import java.util.Arrays;
import java.util.function.Function;
import org.deeplearning4j.nn.conf.layers.BatchNormalization;
import org.deeplearning4j.nn.params.BatchNormalizationParamInitializer;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

/**
 * DL4J's {@code BatchNormalization} layer as a stage of {@link LayerStack}: {@code [batch, n]} after dense layers,
 * NCHW {@code [batch, c, h, w]} per channel after convolutions, with DL4J 1.0.0-M2.1's arithmetic (read from its
 * {@code org.deeplearning4j.nn.layers.normalization.BatchNormalization}). Per feature or channel, over the
 * {@code m} values of the batch (times {@code h w}):
 * <pre>
 *   training:  mu = mean(x);  var = mean((x - mu)^2)  (biased);  std = sqrt(var + eps)
 *   inference: mu = runningMean;  var = runningVar, or (10^log10std)^2 with useLogStd;  std = sqrt(var + eps)
 *   y = gamma (x - mu) / std + beta
 *   backward (DL4J's own expansion, dxhat = dy gamma):
 *     dVar = -1/2 sum(dxhat (x - mu)) std^-3;  dMu = -sum(dxhat) / std + sum(x - mu) (-2/m) dVar
 *     dx = dxhat / std + (x - mu) dVar 2/m + dMu / m;  dGamma = sum(dy (x - mu) / std);  dBeta = sum(dy)
 * </pre>
 * DL4J keeps the running statistics in the parameter vector and moves them through their gradient entries, which
 * its {@code NoOp} updater leaves as they are, so that {@code theta -= gradient} is the moving average
 * ({@code decay} d, batch statistics of the training pass):
 * <pre>
 *   gradient(mean) = (1 - d) (runningMean - mu)
 *   gradient(var)  = (1 - d) (runningVar - var)                                     (useLogStd false)
 *   gradient(log10std) = ln(v / (d v + (1 - d) var)) / (2 ln 10),  v = (10^log10std)^2  (useLogStd, the default)
 * </pre>
 * With {@code lockGammaBeta} there are no gamma and beta parameters: DL4J's forward pass applies the fixed gamma and
 * beta only when gamma != 1 and beta != 0 (otherwise it outputs the normalised x), while its backward pass always
 * scales by the fixed gamma; both are reproduced as they are.
 *
 * <p>The loops run in double over heap copies of the off-heap buffers (the per-channel sums accumulate in double for
 * float networks too); their work arrays are per input shape ({@link Buffers}), so a step allocates nothing
 * activation-sized.
 */
final class BatchNormStage {

    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));

    /** Each thread's buffer for converting a row between float and double (the passes split over examples). */
    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[0]);

    private final long channels;
    private final double eps;
    private final double decay;
    private final boolean useLogStd;
    private final boolean locked;
    private final double forwardGamma;
    private final double forwardBeta;
    private final double backwardGamma;
    private final INDArray gamma;
    private final INDArray beta;
    private final INDArray runningMean;
    private final INDArray runningVariance;
    private final INDArray gammaGradient;
    private final INDArray betaGradient;
    private final INDArray meanGradient;
    private final INDArray varianceGradient;

    private BatchNormStage(BatchNormalization conf, Function<String, INDArray> param,
            Function<String, INDArray> gradient) {
        channels = conf.getNOut();
        eps = conf.getEps();
        decay = conf.getDecay();
        useLogStd = conf.isUseLogStd();
        locked = conf.isLockGammaBeta();
        boolean applied = conf.getGamma() != 1.0 && conf.getBeta() != 0.0;
        forwardGamma = applied ? conf.getGamma() : 1.0;
        forwardBeta = applied ? conf.getBeta() : 0.0;
        backwardGamma = conf.getGamma();
        gamma = locked ? null : param.apply(BatchNormalizationParamInitializer.GAMMA);
        beta = locked ? null : param.apply(BatchNormalizationParamInitializer.BETA);
        gammaGradient = locked ? null : gradient.apply(BatchNormalizationParamInitializer.GAMMA);
        betaGradient = locked ? null : gradient.apply(BatchNormalizationParamInitializer.BETA);
        String variance = useLogStd ? BatchNormalizationParamInitializer.GLOBAL_LOG_STD
                : BatchNormalizationParamInitializer.GLOBAL_VAR;
        runningMean = param.apply(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        runningVariance = param.apply(variance);
        meanGradient = gradient.apply(BatchNormalizationParamInitializer.GLOBAL_MEAN);
        varianceGradient = gradient.apply(variance);
    }

    /**
     * The stage of one layer; {@code param} gives its parameter arrays by DL4J's names, {@code gradient} their blocks
     * of the network's flat gradient. The caller checks the data format (NCHW only).
     */
    static BatchNormStage of(BatchNormalization conf, Function<String, INDArray> param,
            Function<String, INDArray> gradient) {
        return new BatchNormStage(conf, param, gradient);
    }

    /**
     * The work arrays for one input shape.
     *
     * @throws IllegalArgumentException if the input is not {@code [batch, n]} or {@code [batch, c, h, w]} with the
     *                                  layer's n or c
     */
    Buffers buffers(long[] inputShape) {
        if ((inputShape.length != 2 && inputShape.length != 4) || inputShape[1] != channels) {
            throw new IllegalArgumentException("batch normalisation of " + channels + " features or channels runs on"
                    + " [batch, " + channels + "] or [batch, " + channels + ", height, width], but its input is "
                    + Arrays.toString(inputShape));
        }
        return new Buffers(inputShape);
    }

    /**
     * Per-shape work arrays: the input of the last pass and a staging array for what goes out, one heap row per
     * example; per-row sums (with {@code h w > 1}); the per-channel statistics and sums.
     *
     * <p>The element loops run over these heap arrays, not over the off-heap buffers element by element (an
     * interface call and a bounds check per element): each array crosses between ND4J and the heap in one bulk copy
     * per example, and the elementwise loops are plain array loops that C2 compiles to SIMD instructions. C2 (JDK 17)
     * vectorises a loop only when its loads and stores index their arrays alike, hence one array per example:
     * {@code row[ch]} beside {@code mean[ch]} vectorises where {@code flat[offset + ch]} does not (2.5 times slower,
     * measured). It does not vectorise the float-double conversions of the copies, nor the row sums, whose order is
     * fixed.
     *
     * <p>That order: each row of {@code h w} values is summed along the row from 0, and the rows' sums add into their
     * channel in batch order; with {@code h w = 1} each value adds into its channel in batch order. Every other
     * operation is elementwise, so the results are the same bits whichever loop shape runs them.
     */
    final class Buffers {
        private final int batch;
        private final int spatial;
        private final int count;
        // elements per example, c h w
        private final int example;
        // x as doubles; x - mu is recomputed from it in backward (the same subtraction, so the same bits)
        private final double[][] values;
        // y, or dy and then dx in place, before the bulk copy to the output
        private final double[][] staged;
        // [batch * c] sums of the rows of h w elements, only when h w > 1
        private final double[] rowSum;
        private final double[] rowSumCentred;
        private final double[] rowSumGradientCentred;
        private final double[] mean;
        private final double[] variance;
        private final double[] std;
        private final double[] sumGradient;
        private final double[] sumGradientCentred;
        private final double[] sumCentred;
        private final double[] scale;
        private final double[] centredScale;
        private final double[] shift;
        private final double[] gammas;
        private final double[] runningMeans;
        private final double[] runningVariances;
        private final double[] gammaGradients;
        private final double[] meanGradients;
        private final double[] varianceGradients;
        private boolean training;

        Buffers(long[] inputShape) {
            long length = 1;
            for (long size : inputShape) {
                length *= size;
            }
            if (length > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("batch normalisation input " + Arrays.toString(inputShape)
                        + " has more than " + Integer.MAX_VALUE + " elements");
            }
            batch = (int) inputShape[0];
            spatial = inputShape.length == 4 ? (int) (inputShape[2] * inputShape[3]) : 1;
            count = batch * spatial;
            int c = (int) channels;
            example = c * spatial;
            values = new double[batch][example];
            staged = new double[batch][example];
            int rows = spatial == 1 ? 0 : batch * c;
            rowSum = new double[rows];
            rowSumCentred = new double[rows];
            rowSumGradientCentred = new double[rows];
            mean = new double[c];
            variance = new double[c];
            std = new double[c];
            sumGradient = new double[c];
            sumGradientCentred = new double[c];
            sumCentred = new double[c];
            scale = new double[c];
            centredScale = new double[c];
            shift = new double[c];
            gammas = new double[c];
            runningMeans = new double[c];
            runningVariances = new double[c];
            gammaGradients = new double[c];
            meanGradients = new double[c];
            varianceGradients = new double[c];
        }

        /**
         * {@code y = gamma (x - mu) / std + beta} into {@code out} with batch statistics ({@code training}) or the
         * running ones; {@code x} and {@code out} c-contiguous, FLOAT or DOUBLE, of the buffers' shape.
         *
         * @throws IllegalStateException if an array is not c-contiguous or neither FLOAT nor DOUBLE
         */
        void forward(INDArray x, INDArray out, boolean training) {
            this.training = training;
            checkElements(x);
            checkElements(out);
            read(x, values);
            int c = (int) channels;
            if (training) {
                Arrays.fill(mean, 0.0);
                Arrays.fill(variance, 0.0);
                if (spatial == 1) {
                    for (double[] row : values) {
                        for (int ch = 0; ch < c; ch++) {
                            mean[ch] += row[ch];
                        }
                    }
                } else {
                    rowSums();
                    addRows(rowSum, mean);
                }
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] /= count;
                }
                if (spatial == 1) {
                    for (double[] row : values) {
                        for (int ch = 0; ch < c; ch++) {
                            double d = row[ch] - mean[ch];
                            variance[ch] += d * d;
                        }
                    }
                } else {
                    rowSquares();
                    addRows(rowSum, variance);
                }
                for (int ch = 0; ch < c; ch++) {
                    variance[ch] /= count;
                    std[ch] = Math.sqrt(variance[ch] + eps);
                }
            } else {
                readChannels(runningMean, mean);
                readChannels(runningVariance, runningVariances);
                for (int ch = 0; ch < c; ch++) {
                    double v = runningVariances[ch];
                    if (useLogStd) {
                        double s = Math.pow(10.0, v);
                        v = s * s;
                    }
                    variance[ch] = v;
                    std[ch] = Math.sqrt(v + eps);
                }
            }
            if (locked) {
                Arrays.fill(scale, forwardGamma);
                Arrays.fill(shift, forwardBeta);
            } else {
                readChannels(gamma, scale);
                readChannels(beta, shift);
            }
            LoopThreads.splitByElements(batch, example, this::normalise);
            write(staged, out);
        }

        /** {@code y = gamma (x - mu) / std + beta} for the examples {@code [from, to)}, into {@link #staged}. */
        private void normalise(int from, int to) {
            int c = (int) channels;
            for (int b = from; b < to; b++) {
                double[] row = values[b];
                double[] y = staged[b];
                if (spatial == 1) {
                    for (int ch = 0; ch < c; ch++) {
                        y[ch] = scale[ch] * ((row[ch] - mean[ch]) / std[ch]) + shift[ch];
                    }
                    continue;
                }
                for (int ch = 0, i = 0; ch < c; ch++) {
                    double mu = mean[ch];
                    double s = std[ch];
                    double g = scale[ch];
                    double t = shift[ch];
                    for (int end = i + spatial; i < end; i++) {
                        y[i] = g * ((row[i] - mu) / s) + t;
                    }
                }
            }
        }

        /**
         * Input gradient of the last training {@link #forward} for the output gradient {@code dy} into {@code dx};
         * with {@code parameterGradients} the gradients of gamma, beta and the running statistics overwrite their
         * blocks of the flat gradient. Both arrays c-contiguous, FLOAT or DOUBLE, of the buffers' shape.
         *
         * @throws IllegalStateException if the last forward pass was not in training mode, or an array is not
         *                               c-contiguous or neither FLOAT nor DOUBLE
         */
        void backward(INDArray dy, INDArray dx, boolean parameterGradients) {
            if (!training) {
                throw new IllegalStateException("batch normalisation backward needs a training-mode forward pass");
            }
            checkElements(dy);
            checkElements(dx);
            read(dy, staged);
            int c = (int) channels;
            Arrays.fill(sumGradient, 0.0);
            Arrays.fill(sumGradientCentred, 0.0);
            Arrays.fill(sumCentred, 0.0);
            if (spatial == 1) {
                for (int b = 0; b < batch; b++) {
                    double[] row = values[b];
                    double[] gradient = staged[b];
                    for (int ch = 0; ch < c; ch++) {
                        double g = gradient[ch];
                        double d = row[ch] - mean[ch];
                        sumGradient[ch] += g;
                        sumGradientCentred[ch] += g * d;
                        sumCentred[ch] += d;
                    }
                }
            } else {
                rowGradientSums();
                addRows(rowSum, sumGradient);
                addRows(rowSumGradientCentred, sumGradientCentred);
                addRows(rowSumCentred, sumCentred);
            }
            if (!locked) {
                readChannels(gamma, gammas);
            }
            if (parameterGradients) {
                readChannels(runningMean, runningMeans);
                readChannels(runningVariance, runningVariances);
            }
            for (int ch = 0; ch < c; ch++) {
                double g = locked ? backwardGamma : gammas[ch];
                double s = std[ch];
                double dVar = -0.5 * g * sumGradientCentred[ch] / (s * s * s);
                double dMu = -g * sumGradient[ch] / s + sumCentred[ch] * (-2.0 / count) * dVar;
                // per channel: dx = a dy + b (x - mu) + t
                scale[ch] = g / s;
                centredScale[ch] = dVar * 2.0 / count;
                shift[ch] = dMu / count;
                if (parameterGradients) {
                    gammaGradients[ch] = sumGradientCentred[ch] / s;
                    meanGradients[ch] = (runningMeans[ch] - mean[ch]) * (1 - decay);
                    double running = runningVariances[ch];
                    if (useLogStd) {
                        double previous = Math.pow(10.0, running);
                        previous *= previous;
                        double next = previous * decay + variance[ch] * (1 - decay);
                        varianceGradients[ch] = Math.log(previous / next) * ONE_ON_2LOGE_10;
                    } else {
                        varianceGradients[ch] = (running - variance[ch]) * (1 - decay);
                    }
                }
            }
            if (parameterGradients) {
                if (!locked) {
                    writeChannels(gammaGradients, gammaGradient);
                    writeChannels(sumGradient, betaGradient);
                }
                writeChannels(meanGradients, meanGradient);
                writeChannels(varianceGradients, varianceGradient);
            }
            for (int b = 0; b < batch; b++) {
                double[] row = values[b];
                double[] gradient = staged[b];
                if (spatial == 1) {
                    for (int ch = 0; ch < c; ch++) {
                        gradient[ch] = scale[ch] * gradient[ch] + (row[ch] - mean[ch]) * centredScale[ch] + shift[ch];
                    }
                    continue;
                }
                for (int ch = 0, i = 0; ch < c; ch++) {
                    double mu = mean[ch];
                    double a = scale[ch];
                    double m = centredScale[ch];
                    double t = shift[ch];
                    for (int end = i + spatial; i < end; i++) {
                        gradient[i] = a * gradient[i] + (row[i] - mu) * m + t;
                    }
                }
            }
            write(staged, dx);
        }

        /**
         * The sums of the rows of {@code h w} elements of {@link #values} into {@link #rowSum}. Each row's sum is one
         * chain of dependent additions, so four rows run side by side: the adder works through the four chains'
         * latencies without changing any chain's order.
         */
        private void rowSums() {
            LoopThreads.splitByElements(batch, example, this::rowSums);
        }

        /** {@link #rowSums()} for the examples {@code [from, to)}. */
        private void rowSums(int from, int to) {
            int c = (int) channels;
            for (int b = from; b < to; b++) {
                double[] row = values[b];
                int ch = 0;
                for (; ch + 4 <= c; ch += 4) {
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        s0 += row[k];
                        s1 += row[k + spatial];
                        s2 += row[k + 2 * spatial];
                        s3 += row[k + 3 * spatial];
                    }
                    int r = b * c + ch;
                    rowSum[r] = s0;
                    rowSum[r + 1] = s1;
                    rowSum[r + 2] = s2;
                    rowSum[r + 3] = s3;
                }
                for (; ch < c; ch++) {
                    double s = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        s += row[k];
                    }
                    rowSum[b * c + ch] = s;
                }
            }
        }

        /** The sums of {@code (x - mu)^2} along the rows into {@link #rowSum}, four rows side by side. */
        private void rowSquares() {
            LoopThreads.splitByElements(batch, example, this::rowSquares);
        }

        /** {@link #rowSquares()} for the examples {@code [from, to)}. */
        private void rowSquares(int from, int to) {
            int c = (int) channels;
            for (int b = from; b < to; b++) {
                double[] row = values[b];
                int ch = 0;
                for (; ch + 4 <= c; ch += 4) {
                    double m0 = mean[ch];
                    double m1 = mean[ch + 1];
                    double m2 = mean[ch + 2];
                    double m3 = mean[ch + 3];
                    double s0 = 0;
                    double s1 = 0;
                    double s2 = 0;
                    double s3 = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        double d0 = row[k] - m0;
                        double d1 = row[k + spatial] - m1;
                        double d2 = row[k + 2 * spatial] - m2;
                        double d3 = row[k + 3 * spatial] - m3;
                        s0 += d0 * d0;
                        s1 += d1 * d1;
                        s2 += d2 * d2;
                        s3 += d3 * d3;
                    }
                    int r = b * c + ch;
                    rowSum[r] = s0;
                    rowSum[r + 1] = s1;
                    rowSum[r + 2] = s2;
                    rowSum[r + 3] = s3;
                }
                for (; ch < c; ch++) {
                    double m = mean[ch];
                    double s = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        double d = row[k] - m;
                        s += d * d;
                    }
                    rowSum[b * c + ch] = s;
                }
            }
        }

        /**
         * Along the rows, the sums of dy ({@link #staged}), of {@code dy (x - mu)} and of {@code x - mu} into
         * {@link #rowSum}, {@link #rowSumGradientCentred} and {@link #rowSumCentred}; two rows side by side, six
         * chains.
         */
        private void rowGradientSums() {
            LoopThreads.splitByElements(batch, example, this::rowGradientSums);
        }

        /** {@link #rowGradientSums()} for the examples {@code [from, to)}. */
        private void rowGradientSums(int from, int to) {
            int c = (int) channels;
            for (int b = from; b < to; b++) {
                double[] row = values[b];
                double[] gradient = staged[b];
                int ch = 0;
                for (; ch + 2 <= c; ch += 2) {
                    double m0 = mean[ch];
                    double m1 = mean[ch + 1];
                    double s0 = 0;
                    double sp0 = 0;
                    double sc0 = 0;
                    double s1 = 0;
                    double sp1 = 0;
                    double sc1 = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        double g0 = gradient[k];
                        double d0 = row[k] - m0;
                        double g1 = gradient[k + spatial];
                        double d1 = row[k + spatial] - m1;
                        s0 += g0;
                        sp0 += g0 * d0;
                        sc0 += d0;
                        s1 += g1;
                        sp1 += g1 * d1;
                        sc1 += d1;
                    }
                    int r = b * c + ch;
                    rowSum[r] = s0;
                    rowSumGradientCentred[r] = sp0;
                    rowSumCentred[r] = sc0;
                    rowSum[r + 1] = s1;
                    rowSumGradientCentred[r + 1] = sp1;
                    rowSumCentred[r + 1] = sc1;
                }
                for (; ch < c; ch++) {
                    double m = mean[ch];
                    double s = 0;
                    double sp = 0;
                    double sc = 0;
                    for (int k = ch * spatial, end = k + spatial; k < end; k++) {
                        double g = gradient[k];
                        double d = row[k] - m;
                        s += g;
                        sp += g * d;
                        sc += d;
                    }
                    int r = b * c + ch;
                    rowSum[r] = s;
                    rowSumGradientCentred[r] = sp;
                    rowSumCentred[r] = sc;
                }
            }
        }

        /** Adds the row sums {@code [batch, c]} into their channels, in batch order. */
        private void addRows(double[] rows, double[] channelSums) {
            int c = (int) channels;
            for (int i = 0; i < rows.length; i += c) {
                for (int ch = 0; ch < c; ch++) {
                    channelSums[ch] += rows[i + ch];
                }
            }
        }

        /** The examples of {@code a}, {@code [batch, ...]}, into the rows {@code into}, one bulk copy each. */
        private void read(INDArray a, double[][] into) {
            checkElements(a);
            Buffer buffer = nio(a);
            int offset = (int) a.offset();
            LoopThreads.splitByElements(into.length, example, (from, to) -> {
                for (int b = from; b < to; b++) {
                    read(buffer, offset + b * example, into[b], example);
                }
            });
        }

        /** The rows {@code from} into the examples of {@code a}, {@code [batch, ...]}, one bulk copy each. */
        private void write(double[][] from, INDArray a) {
            checkElements(a);
            Buffer buffer = nio(a);
            int offset = (int) a.offset();
            LoopThreads.splitByElements(from.length, example, (first, last) -> {
                for (int b = first; b < last; b++) {
                    write(from[b], buffer, offset + b * example, example);
                }
            });
        }

        /** The per-channel vector {@code a} (a parameter, or a block of the flat gradient) into {@code into}. */
        private void readChannels(INDArray a, double[] into) {
            checkElements(a);
            read(nio(a), (int) a.offset(), into, (int) channels);
        }

        /** {@code from} into the per-channel vector {@code a}. */
        private void writeChannels(double[] from, INDArray a) {
            checkElements(a);
            write(from, nio(a), (int) a.offset(), (int) channels);
        }

        /** {@code n} elements of {@code buffer} from its element {@code offset} into {@code into}, in one bulk copy. */
        private void read(Buffer buffer, int offset, double[] into, int n) {
            if (buffer instanceof FloatBuffer floatBuffer) {
                float[] in = floats();
                floatBuffer.get(offset, in, 0, n);
                for (int i = 0; i < n; i++) {
                    into[i] = in[i];
                }
            } else {
                ((DoubleBuffer) buffer).get(offset, into, 0, n);
            }
        }

        /** {@code from}'s first {@code n} elements into {@code buffer} from its element {@code offset}. */
        private void write(double[] from, Buffer buffer, int offset, int n) {
            if (buffer instanceof FloatBuffer floatBuffer) {
                float[] out = floats();
                for (int i = 0; i < n; i++) {
                    out[i] = (float) from[i];
                }
                floatBuffer.put(offset, out, 0, n);
            } else {
                ((DoubleBuffer) buffer).put(offset, from, 0, n);
            }
        }

        /** This thread's conversion buffer of at least an example's floats (and so of a per-channel vector's). */
        private float[] floats() {
            float[] floats = FLOATS.get();
            if (floats.length < example) {
                floats = new float[example];
                FLOATS.set(floats);
            }
            return floats;
        }
    }

    /** True when {@code a} can be read and written as one c-order run of elements. */
    static boolean contiguous(INDArray a) {
        return ReshapedMap.cContiguous(a);
    }

    /**
     * Checks that {@code a} is a c-contiguous float or double array (or a vector of stride 1), so that its elements
     * are one run of its data buffer from its offset.
     *
     * @throws IllegalStateException if it is not
     */
    private static void checkElements(INDArray a) {
        // a parameter's view is a vector whose ordering ND4J may report as 'f'
        boolean vector = a.isVector() && a.elementWiseStride() == 1;
        if (!vector && !contiguous(a)) {
            throw new IllegalStateException("expected a c-contiguous array, got strides "
                    + Arrays.toString(a.stride()));
        }
        if (a.dataType() != DataType.FLOAT && a.dataType() != DataType.DOUBLE) {
            throw new IllegalStateException("batch normalisation runs on FLOAT or DOUBLE arrays, not " + a.dataType());
        }
    }

    /** The whole data buffer of a FLOAT or DOUBLE array (checked by {@link #checkElements}); element 0 is first. */
    private static Buffer nio(INDArray a) {
        return a.dataType() == DataType.FLOAT ? a.data().asNioFloat() : a.data().asNioDouble();
    }
}
