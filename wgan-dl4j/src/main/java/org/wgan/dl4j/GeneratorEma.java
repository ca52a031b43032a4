package org.wgan.dl4j;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.CheckpointMismatchException;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * An exponential moving average of a generator's weights, kept in a second network beside the trained one
 * (Yazici et al., "The Unusual Effectiveness of Averaging in GAN Training", ICLR 2019), bias-corrected as Adam
 * corrects its moments: after the t-th generator update
 * <pre>
 *   s_t = decay * s_{t-1} + (1 - decay) * w_t,  s_0 = 0;   average_t = s_t / (1 - decay^t)
 * </pre>
 * a weighted mean of the weights the generator passed through, weights {@code (1 - decay) decay^(t-i)}
 * normalised to sum to 1. Without the correction ({@code s_0 = w_0}) the random initial weights keep a share of
 * {@code decay^t} (5% after 3,000 steps at decay 0.999), enough to smear a toy generator's samples off its
 * modes. Sample and evaluate with {@link #averaged()} (the weights are written into it when it is asked for);
 * the trained generator is never touched. Before the first update the average is the generator's weights.
 *
 * <p>Register it as a trainer listener ({@code .listener(ema)}). An update is two in-place passes over the
 * parameters; nothing is allocated per step. Register it as a checkpoint participant too
 * ({@code .checkpointParticipant(ema)}) so a resumed run continues the same average (arrays {@value #SUM_ARRAY}
 * and {@value #UPDATES_ARRAY}).
 */
public final class GeneratorEma implements TrainerListener, CheckpointParticipant {

    /** Checkpoint array name of the running sum {@code s_t}. */
    public static final String SUM_ARRAY = "ema.sum";
    /** Checkpoint array name of the update count {@code t} (one element). */
    public static final String UPDATES_ARRAY = "ema.updates";

    /** A common decay for long runs. */
    public static final double DEFAULT_DECAY = 0.999;

    private final GeneratorAdapter trained;
    private final GeneratorAdapter averaged;
    private final INDArray sum;
    private final double decay;
    private long updates;
    private boolean stale;

    private GeneratorEma(GeneratorAdapter trained, double decay) {
        this.trained = Objects.requireNonNull(trained, "generator");
        Checks.inHalfOpen("decay", decay, 0, 1);
        this.decay = decay;
        this.averaged = trained.copy();
        this.sum = trained.parameters().ulike().assign(0.0);
    }

    /**
     * An average of {@code generator}'s weights with the given decay.
     *
     * @throws IllegalArgumentException if decay is outside [0, 1)
     */
    public static GeneratorEma of(MultiLayerGenerator generator, double decay) {
        return new GeneratorEma(generator, decay);
    }

    /**
     * An average of a graph generator's weights (the WGAN-GP paper's ResNet, {@code org.wgan.dl4j.models}) with
     * the given decay; batch normalisation's running statistics, which live among the parameters, are averaged
     * with them.
     *
     * @throws IllegalArgumentException if decay is outside [0, 1)
     */
    public static GeneratorEma of(GraphGenerator generator, double decay) {
        return new GeneratorEma(generator, decay);
    }

    /**
     * The generator holding the averaged weights, of the trained generator's kind ({@link MultiLayerGenerator} or
     * {@link GraphGenerator}): use it to sample and evaluate.
     */
    public Generator averaged() {
        if (stale) {
            averaged.parameters().assign(sum).muli(1.0 / (1.0 - Math.pow(decay, updates)));
            // a spectrally normalised generator's average normalises from the trained one's vectors, as BigGAN's
            // EMA copies its buffers: the average's own would never advance
            averaged.copyVectorsFrom(trained);
            averaged.parametersChanged();
            stale = false;
        }
        return averaged;
    }

    public double decay() {
        return decay;
    }

    /** Generator updates folded into the average so far. */
    public long updates() {
        return updates;
    }

    /** Folds the trained generator's current weights into the average (the listener calls it every step). */
    public void update() {
        INDArray weights = trained.parameters();
        sum.muli(decay);
        Nd4j.getBlasWrapper().level1().axpy(sum.length(), 1.0 - decay, weights, sum);
        updates++;
        stale = true;
    }

    @Override
    public Map<String, INDArray> checkpointArrays() {
        return Map.of(SUM_ARRAY, sum, UPDATES_ARRAY, Nd4j.createFromArray((double) updates));
    }

    /**
     * {@inheritDoc}
     *
     * <p>Both arrays must be there; {@value #SUM_ARRAY} with this average's shape and data type, and
     * {@value #UPDATES_ARRAY} one element holding a whole number {@code >= 0}.
     */
    @Override
    public List<String> checkpointMismatches(Map<String, INDArray> arrays) {
        INDArray savedSum = arrays.get(SUM_ARRAY);
        INDArray savedUpdates = arrays.get(UPDATES_ARRAY);
        if (savedSum == null || savedUpdates == null) {
            return List.of("checkpoint holds no generator EMA (arrays " + SUM_ARRAY + " and " + UPDATES_ARRAY
                    + "); it was written without one");
        }
        List<String> out = new ArrayList<>();
        if (!Arrays.equals(savedSum.shape(), sum.shape()) || savedSum.dataType() != sum.dataType()) {
            out.add("generator EMA " + SUM_ARRAY + ": checkpoint has " + Arrays.toString(savedSum.shape()) + " "
                    + savedSum.dataType() + ", this EMA " + Arrays.toString(sum.shape()) + " " + sum.dataType());
        }
        if (savedUpdates.length() != 1) {
            out.add("generator EMA " + UPDATES_ARRAY + " must be one number, but the checkpoint has "
                    + savedUpdates.length());
        } else {
            double count = savedUpdates.getDouble(0);
            if (!(count >= 0 && count == Math.rint(count) && count < 0x1p63)) {
                out.add("generator EMA " + UPDATES_ARRAY + " must be a whole number >= 0, but was " + count);
            }
        }
        return out;
    }

    @Override
    public void restoreCheckpointArrays(Map<String, INDArray> arrays) {
        List<String> differences = checkpointMismatches(arrays);
        if (!differences.isEmpty()) {
            throw new CheckpointMismatchException("checkpoint does not fit this generator EMA; nothing was restored",
                    differences);
        }
        sum.assign(arrays.get(SUM_ARRAY));
        updates = (long) arrays.get(UPDATES_ARRAY).getDouble(0);
        if (updates == 0) {
            averaged.parameters().assign(trained.parameters());
            averaged.copyVectorsFrom(trained);
            averaged.parametersChanged();
        }
        stale = updates > 0;
    }

    @Override
    public String toString() {
        return "GeneratorEma[decay=" + decay + ", updates=" + updates + "]";
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        update();
    }
}
