package org.wgan.dl4j.engine;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.memory.MemoryWorkspace;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.ParameterBlock;

/**
 * Spectral normalisation (Miyato et al., "Spectral Normalization for Generative Adversarial Networks", ICLR 2018):
 * every weight W the passes read is {@code W_SN = W / sigma(W)}, with the largest singular value {@code sigma}
 * estimated by one power iteration per optimizer update on a persistent vector u.
 *
 * <p>After each update u advances by one iteration on the updated weights; every pass after that (and after
 * {@link #changed()}) first normalises: from the stored u it takes {@code v}, {@code u'} and {@code sigma} as below
 * without storing {@code u'}, so that a write from outside (weight clipping, a restore) is normalised by what the
 * weights are when the pass runs.
 *
 * <p>Each weight is read as a matrix M: a dense layer's W as stored ({@code [nIn, nOut]}; sigma is the same for
 * M and its transpose), a convolution's {@code [out, in, kh, kw]} as {@code [out, in * kh * kw]}. One power
 * iteration: {@code v = M^T u / ||M^T u||}, {@code u' = M v / ||M v||}, {@code sigma = u'^T M v = ||M v||}.
 *
 * <p>The passes run on {@link #effectiveParameters()}, a copy of the network's flat parameters whose normalised
 * weight blocks hold {@code W_SN} (the other blocks are copied as they are); the network's own parameters keep
 * the raw W, which the optimizer updates and checkpoints save. The loss gradient the passes compute is with
 * respect to {@code W_SN}; {@link #gradientToRaw} turns it into the gradient with respect to W, with u and v held
 * constant as the paper (and PyTorch's {@code spectral_norm}) does:
 * {@code dL/dW = (G - <G, W_SN> u' v^T) / sigma}, G = dL/dW_SN.
 *
 * <p>The vectors u are state: {@link #vectors()} are the live arrays a checkpoint saves and restores.
 */
final class SpectralNormalization {

    /** Power iterations run once on the fresh vectors, so that the first step's sigma is already close. */
    static final int WARM_UP_ITERATIONS = 15;

    private final INDArray parameters;
    private final INDArray effective;
    private final List<Weight> weights;
    private boolean stale = true;

    /** One normalised weight: its matrix views and the power iteration's vectors. */
    private record Weight(int layerIndex, long offset, INDArray raw, INDArray normalised, INDArray normalisedFlat,
            INDArray u, INDArray v, INDArray freshU, double[] sigma) {
    }

    /**
     * @param parameters the network's flat parameters ({@code [n]})
     * @param blocks     the weight blocks to normalise (dense W, or a 4-d convolution kernel), views of parameters
     * @param seed       the seed of the vectors' initial draw
     */
    SpectralNormalization(INDArray parameters, List<ParameterBlock> blocks, long seed) {
        this.parameters = parameters;
        DataType type = parameters.dataType();
        List<Weight> list = new ArrayList<>();
        try (MemoryWorkspace ignored = Nd4j.getMemoryManager().scopeOutOfWorkspaces()) {
            this.effective = parameters.dup();
            SplittableRandom random = new SplittableRandom(seed);
            for (ParameterBlock block : blocks) {
                INDArray raw = matrix(LayerStack.view(parameters, block.offset(), block.view()));
                INDArray normalised = matrix(LayerStack.view(effective, block.offset(), block.view()));
                long rows = raw.size(0);
                double[] start = new double[Math.toIntExact(rows)];
                double squares = 0;
                for (int r = 0; r < rows; r++) {
                    start[r] = gaussian(random);
                    squares += start[r] * start[r];
                }
                for (int r = 0; r < rows; r++) {
                    start[r] /= Math.sqrt(squares);
                }
                list.add(new Weight(block.layerIndex(), block.offset(), raw, normalised,
                        flat(effective, block.offset(), raw.length()), Nd4j.create(start, new long[] {rows, 1}, type),
                        Nd4j.create(type, raw.size(1), 1), Nd4j.create(type, rows, 1), new double[1]));
            }
        }
        this.weights = List.copyOf(list);
        for (int i = 0; i < WARM_UP_ITERATIONS; i++) {
            for (Weight w : weights) {
                powerIteration(w);
                w.u().assign(w.freshU());
            }
        }
    }

    private static double gaussian(SplittableRandom random) {
        // Box-Muller: the draw must not depend on ND4J's global random state
        double u1 = 1.0 - random.nextDouble();
        double u2 = random.nextDouble();
        return Math.sqrt(-2.0 * Math.log(u1)) * Math.cos(2.0 * Math.PI * u2);
    }

    private static INDArray flat(INDArray flat, long offset, long length) {
        return flat.reshape(flat.length()).get(NDArrayIndex.interval(offset, offset + length));
    }

    /** The block as a matrix: 2-d as it is, a convolution kernel {@code [out, in, kh, kw]} as {@code [out, rest]}. */
    private static INDArray matrix(INDArray block) {
        if (block.rank() == 2) {
            return block;
        }
        return block.reshape(block.ordering(), block.size(0), block.length() / block.size(0));
    }

    /** The flat parameters the passes read: the network's own, with every normalised W replaced by W / sigma. */
    INDArray effectiveParameters() {
        return effective;
    }

    /** The live vectors u, by the index of their layer, for checkpoints. */
    Map<Integer, INDArray> vectors() {
        Map<Integer, INDArray> out = new LinkedHashMap<>();
        for (Weight w : weights) {
            out.put(w.layerIndex(), w.u());
        }
        return out;
    }

    /** The sigma each normalised weight was divided by in the current effective parameters, by layer index. */
    Map<Integer, Double> sigmas() {
        refresh();
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (Weight w : weights) {
            out.put(w.layerIndex(), w.sigma()[0]);
        }
        return out;
    }

    /**
     * The raw parameters changed by an update: advances every u by one power iteration on the updated weights
     * now (so that a checkpoint written after the update holds the vectors the next pass reads), and the next
     * pass renormalises.
     */
    void updated() {
        for (Weight w : weights) {
            powerIteration(w);
            w.u().assign(w.freshU());
        }
        stale = true;
    }

    /** The raw parameters or the vectors were written from outside (a restore, a constraint): renormalise. */
    void changed() {
        stale = true;
    }

    /** Brings the effective parameters up to date with the raw ones; a no-op when nothing changed. */
    void refresh() {
        if (!stale) {
            return;
        }
        effective.assign(parameters);
        for (Weight w : weights) {
            powerIteration(w);
            w.normalised().assign(w.raw()).divi(w.sigma()[0]);
        }
        stale = false;
    }

    /** {@code v = M^T u / ||M^T u||}, {@code u' = M v / ||M v||} into freshU, {@code sigma = ||M v||}. */
    private static void powerIteration(Weight w) {
        Gemm.gemm(w.raw(), w.u(), w.v(), true, false, 1.0, 0.0);
        double vNorm = w.v().norm2Number().doubleValue();
        w.v().divi(vNorm > 0 ? vNorm : 1.0);
        Gemm.gemm(w.raw(), w.v(), w.freshU(), false, false, 1.0, 0.0);
        double sigma = w.freshU().norm2Number().doubleValue();
        if (!(sigma > 0) || !Double.isFinite(sigma)) {
            throw new IllegalStateException("spectral normalisation of layer " + w.layerIndex() + ": the weight's"
                    + " largest singular value estimate is " + sigma + "; its weights are zero or not finite");
        }
        w.freshU().divi(sigma);
        w.sigma()[0] = sigma;
    }

    /**
     * Turns {@code dL/dW_SN}, in the normalised blocks of {@code flatGradient}, into {@code dL/dW} in place:
     * {@code (G - <G, W_SN> u' v^T) / sigma}, with the u', v and sigma of the effective parameters the gradient
     * was taken at.
     */
    void gradientToRaw(INDArray flatGradient) {
        for (Weight w : weights) {
            INDArray gradientFlat = flat(flatGradient, w.offset(), w.raw().length());
            double lambda = Nd4j.getBlasWrapper().dot(gradientFlat, w.normalisedFlat());
            INDArray gradient = matrix(LayerStack.view(flatGradient, w.offset(), w.raw()));
            Gemm.gemm(w.freshU(), w.v(), gradient, false, true, -lambda, 1.0);
            gradientFlat.divi(w.sigma()[0]);
        }
    }
}
