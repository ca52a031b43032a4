package org.wgan.dl4j.engine;

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
 * <p>The loops run in double over the off-heap buffers (the per-channel sums accumulate in double for float
 * networks too); their work arrays are per input shape ({@link Buffers}), so a step allocates nothing
 * activation-sized.
 */
final class BatchNormStage {

    private static final double ONE_ON_2LOGE_10 = 1.0 / (2 * Math.log(10.0));

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

    /** Per-shape work arrays: {@code x - mu} of the last pass and the per-channel statistics and sums. */
    final class Buffers {
        private final int batch;
        private final int spatial;
        private final int count;
        private final double[] centred;
        private final double[] mean;
        private final double[] variance;
        private final double[] std;
        private final double[] sumGradient;
        private final double[] sumGradientCentred;
        private final double[] sumCentred;
        private final double[] scale;
        private final double[] centredScale;
        private final double[] shift;
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
            centred = new double[(int) length];
            int c = (int) channels;
            mean = new double[c];
            variance = new double[c];
            std = new double[c];
            sumGradient = new double[c];
            sumGradientCentred = new double[c];
            sumCentred = new double[c];
            scale = new double[c];
            centredScale = new double[c];
            shift = new double[c];
        }

        /**
         * {@code y = gamma (x - mu) / std + beta} into {@code out} with batch statistics ({@code training}) or the
         * running ones; {@code x} and {@code out} c-contiguous. The loops walk the memory in order, channel sums in
         * per-channel arrays.
         */
        void forward(INDArray x, INDArray out, boolean training) {
            this.training = training;
            Elements in = Elements.of(x);
            Elements y = Elements.of(out);
            int c = (int) channels;
            if (training) {
                Arrays.fill(mean, 0.0);
                Arrays.fill(variance, 0.0);
                for (int b = 0, i = 0; b < batch; b++) {
                    for (int ch = 0; ch < c; ch++) {
                        double sum = 0;
                        for (int s = 0; s < spatial; s++, i++) {
                            sum += in.get(i);
                        }
                        mean[ch] += sum;
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] /= count;
                }
                for (int b = 0, i = 0; b < batch; b++) {
                    for (int ch = 0; ch < c; ch++) {
                        double mu = mean[ch];
                        double squares = 0;
                        for (int s = 0; s < spatial; s++, i++) {
                            double d = in.get(i) - mu;
                            squares += d * d;
                        }
                        variance[ch] += squares;
                    }
                }
                for (int ch = 0; ch < c; ch++) {
                    variance[ch] /= count;
                    std[ch] = Math.sqrt(variance[ch] + eps);
                }
            } else {
                Elements runningMeans = Elements.of(runningMean);
                Elements runningVariances = Elements.of(runningVariance);
                for (int ch = 0; ch < c; ch++) {
                    mean[ch] = runningMeans.get(ch);
                    double v = runningVariances.get(ch);
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
                Elements gammas = Elements.of(gamma);
                Elements betas = Elements.of(beta);
                for (int ch = 0; ch < c; ch++) {
                    scale[ch] = gammas.get(ch);
                    shift[ch] = betas.get(ch);
                }
            }
            for (int b = 0, i = 0; b < batch; b++) {
                for (int ch = 0; ch < c; ch++) {
                    double mu = mean[ch];
                    double s = std[ch];
                    double g = scale[ch];
                    double t = shift[ch];
                    for (int k = 0; k < spatial; k++, i++) {
                        double d = in.get(i) - mu;
                        centred[i] = d;
                        y.set(i, g * (d / s) + t);
                    }
                }
            }
        }

        /**
         * Input gradient of the last training {@link #forward} for the output gradient {@code dy} into {@code dx};
         * with {@code parameterGradients} the gradients of gamma, beta and the running statistics overwrite their
         * blocks of the flat gradient. Both arrays c-contiguous.
         */
        void backward(INDArray dy, INDArray dx, boolean parameterGradients) {
            if (!training) {
                throw new IllegalStateException("batch normalisation backward needs a training-mode forward pass");
            }
            Elements gradient = Elements.of(dy);
            Elements out = Elements.of(dx);
            int c = (int) channels;
            Arrays.fill(sumGradient, 0.0);
            Arrays.fill(sumGradientCentred, 0.0);
            Arrays.fill(sumCentred, 0.0);
            for (int b = 0, i = 0; b < batch; b++) {
                for (int ch = 0; ch < c; ch++) {
                    double sumDy = 0;
                    double sumDyCentred = 0;
                    double sumD = 0;
                    for (int s = 0; s < spatial; s++, i++) {
                        double g = gradient.get(i);
                        sumDy += g;
                        sumDyCentred += g * centred[i];
                        sumD += centred[i];
                    }
                    sumGradient[ch] += sumDy;
                    sumGradientCentred[ch] += sumDyCentred;
                    sumCentred[ch] += sumD;
                }
            }
            // per-channel reads and writes through the buffers: INDArray.getDouble/putScalar cost microseconds each
            Elements gammas = locked ? null : Elements.of(gamma);
            Elements gammaGradients = locked || !parameterGradients ? null : Elements.of(gammaGradient);
            Elements betaGradients = locked || !parameterGradients ? null : Elements.of(betaGradient);
            Elements runningMeans = Elements.of(runningMean);
            Elements runningVariances = Elements.of(runningVariance);
            Elements meanGradients = Elements.of(meanGradient);
            Elements varianceGradients = Elements.of(varianceGradient);
            for (int ch = 0; ch < c; ch++) {
                double g = locked ? backwardGamma : gammas.get(ch);
                double s = std[ch];
                double dVar = -0.5 * g * sumGradientCentred[ch] / (s * s * s);
                double dMu = -g * sumGradient[ch] / s + sumCentred[ch] * (-2.0 / count) * dVar;
                // per channel: dx = a dy + b (x - mu) + t
                scale[ch] = g / s;
                centredScale[ch] = dVar * 2.0 / count;
                shift[ch] = dMu / count;
                if (parameterGradients) {
                    if (!locked) {
                        gammaGradients.set(ch, sumGradientCentred[ch] / s);
                        betaGradients.set(ch, sumGradient[ch]);
                    }
                    meanGradients.set(ch, (runningMeans.get(ch) - mean[ch]) * (1 - decay));
                    double running = runningVariances.get(ch);
                    if (useLogStd) {
                        double previous = Math.pow(10.0, running);
                        previous *= previous;
                        double next = previous * decay + variance[ch] * (1 - decay);
                        varianceGradients.set(ch, Math.log(previous / next) * ONE_ON_2LOGE_10);
                    } else {
                        varianceGradients.set(ch, (running - variance[ch]) * (1 - decay));
                    }
                }
            }
            for (int b = 0, i = 0; b < batch; b++) {
                for (int ch = 0; ch < c; ch++) {
                    double a = scale[ch];
                    double m = centredScale[ch];
                    double t = shift[ch];
                    for (int k = 0; k < spatial; k++, i++) {
                        out.set(i, a * gradient.get(i) + centred[i] * m + t);
                    }
                }
            }
        }
    }

    /** True when {@code a} can be read and written as one c-order run of elements. */
    static boolean contiguous(INDArray a) {
        return ReshapedMap.cContiguous(a);
    }

    /** The elements of a c-contiguous float or double array (or a vector of stride 1) as doubles. */
    private interface Elements {
        double get(int i);

        void set(int i, double value);

        static Elements of(INDArray a) {
            // a parameter's view is a vector whose ordering ND4J may report as 'f'
            boolean vector = a.isVector() && a.elementWiseStride() == 1;
            if (!vector && !contiguous(a)) {
                throw new IllegalStateException("expected a c-contiguous array, got strides "
                        + Arrays.toString(a.stride()));
            }
            int offset = (int) a.offset();
            if (a.dataType() == DataType.FLOAT) {
                FloatBuffer buffer = a.data().asNioFloat();
                return new Elements() {
                    @Override
                    public double get(int i) {
                        return buffer.get(offset + i);
                    }

                    @Override
                    public void set(int i, double value) {
                        buffer.put(offset + i, (float) value);
                    }
                };
            }
            if (a.dataType() == DataType.DOUBLE) {
                DoubleBuffer buffer = a.data().asNioDouble();
                return new Elements() {
                    @Override
                    public double get(int i) {
                        return buffer.get(offset + i);
                    }

                    @Override
                    public void set(int i, double value) {
                        buffer.put(offset + i, value);
                    }
                };
            }
            throw new IllegalStateException("batch normalisation runs on FLOAT or DOUBLE arrays, not " + a.dataType());
        }
    }
}
