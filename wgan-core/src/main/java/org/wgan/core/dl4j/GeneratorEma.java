package org.wgan.core.dl4j;

import java.util.Objects;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;

/**
 * An exponential moving average of a generator's weights, kept in a second network beside the trained one
 * (Yazici et al., "The Unusual Effectiveness of Averaging in GAN Training", ICLR 2019): after every generator
 * update {@code average = decay * average + (1 - decay) * weights}. Sample and evaluate with {@link #averaged()};
 * the trained generator is never touched.
 *
 * <p>Register it as a trainer listener ({@code .listener(ema)}); it starts from the generator's weights at
 * creation.
 */
public final class GeneratorEma implements TrainerListener {

    /** A common decay for long runs. */
    public static final double DEFAULT_DECAY = 0.999;

    private final MultiLayerGenerator trained;
    private final MultiLayerGenerator averaged;
    private final double decay;

    private GeneratorEma(MultiLayerGenerator trained, double decay) {
        this.trained = Objects.requireNonNull(trained, "generator");
        if (!(decay >= 0 && decay < 1)) {
            throw new IllegalArgumentException("decay must be in [0, 1), but was " + decay);
        }
        this.decay = decay;
        this.averaged = MultiLayerGenerator.of(trained.network().clone());
    }

    /**
     * An average of {@code generator}'s weights with the given decay.
     *
     * @throws IllegalArgumentException if decay is outside [0, 1)
     */
    public static GeneratorEma of(MultiLayerGenerator generator, double decay) {
        return new GeneratorEma(generator, decay);
    }

    /** The generator holding the averaged weights: use it to sample and evaluate. */
    public MultiLayerGenerator averaged() {
        return averaged;
    }

    public double decay() {
        return decay;
    }

    /** Folds the trained generator's current weights into the average (the listener calls it every step). */
    public void update() {
        INDArray average = averaged.parameters();
        average.muli(decay).addi(trained.parameters().mul(1 - decay));
    }

    @Override
    public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
        update();
    }
}
