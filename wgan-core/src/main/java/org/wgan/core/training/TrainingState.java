package org.wgan.core.training;

import java.util.Random;

/**
 * What a run has done so far and the random source it draws from: the state that the loop advances and that
 * checkpoints save and restore. Mutable; owned by one trainer and driven by one thread.
 */
final class TrainingState {

    private Random random;
    private long generatorStep;
    private long criticUpdates;
    private double lastCriticLoss = Double.NaN;
    private double lastGeneratorLoss = Double.NaN;

    /** A fresh run: no steps done, the random source seeded with {@code seed}. */
    TrainingState(long seed) {
        this.random = new Random(seed);
    }

    /** The trainer's own random source (latent noise, real samples of toy sources, penalty interpolation). */
    Random random() {
        return random;
    }

    /** Generator steps completed. */
    long generatorStep() {
        return generatorStep;
    }

    /** Critic updates completed. */
    long criticUpdates() {
        return criticUpdates;
    }

    /** The critic loss of the latest critic update (NaN before the first). */
    double lastCriticLoss() {
        return lastCriticLoss;
    }

    /** The generator loss of the latest generator update (NaN before the first). */
    double lastGeneratorLoss() {
        return lastGeneratorLoss;
    }

    void criticUpdated(double loss) {
        criticUpdates++;
        lastCriticLoss = loss;
    }

    void generatorUpdated(double loss) {
        lastGeneratorLoss = loss;
    }

    void generatorStepDone() {
        generatorStep++;
    }

    /** Continues from saved counters and random state. */
    void resume(long generatorStep, long criticUpdates, Random random) {
        this.generatorStep = generatorStep;
        this.criticUpdates = criticUpdates;
        this.random = random;
    }
}
