package org.wgan.core.training;

import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.Penalty;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;

/**
 * The training loop behind {@link WganTrainer}: Arjovsky et al. (2017, Algorithm 1) and Gulrajani
 * et al. (2017, Algorithm 1) for any objective and Lipschitz constraint. Real and generated batches go through the
 * critic as one concatenated batch; the generator is updated through the critic's input gradient with the critic's
 * parameters and optimizer state untouched. All randomness comes from {@link TrainingState#random()}.
 *
 * <p>Created only through {@code WganTrainer.Builder#build()}; not thread-safe.
 */
final class TrainingLoop {

    private final TrainerConfig config;
    private final TrainingState state;
    private final ListenerDispatch listeners;
    private final TrainerCheckpoints checkpoints;
    private final UpdateCheck updateCheck;

    /** A fresh run of {@code config}: no steps done, the random source seeded with its seed. */
    TrainingLoop(TrainerConfig config) {
        this.config = config;
        this.state = new TrainingState(config.seed());
        this.listeners = new ListenerDispatch(config);
        this.checkpoints = new TrainerCheckpoints(config, state);
        this.updateCheck = new UpdateCheck(config);
    }

    /** The counters and random source. */
    TrainingState state() {
        return state;
    }

    /** Snapshots, restores and the configured checkpoint writes. */
    TrainerCheckpoints checkpoints() {
        return checkpoints;
    }

    /** Trains until the step budget is spent or a listener requests a stop, then writes the final checkpoint. */
    TrainingSummary fit() {
        long start = System.nanoTime();
        listeners.trainingStarted(config);
        while (state.generatorStep() < config.maxGeneratorSteps() && listeners.stopReason() == null) {
            step();
        }
        checkpoints.afterFit();
        String reason = listeners.stopReason() != null ? listeners.stopReason()
                : "reached maxGeneratorSteps " + config.maxGeneratorSteps();
        TrainingSummary summary = new TrainingSummary(state.generatorStep(), state.criticUpdates(),
                state.lastCriticLoss(), state.lastGeneratorLoss(), -state.lastCriticLoss(), reason, seconds(start));
        listeners.trainingEnded(summary);
        return summary;
    }

    /** The scheduled critic updates, one generator update, the listeners, then a checkpoint when one is due. */
    GeneratorStepEvent step() {
        long start = System.nanoTime();
        int criticSteps = config.criticSchedule().criticStepsAt(state.generatorStep());
        CriticStepEvent last = null;
        for (int k = 0; k < criticSteps; k++) {
            last = criticUpdate(k);
        }
        double generatorLoss = generatorUpdate();
        GeneratorStepEvent event = new GeneratorStepEvent(state.generatorStep(), criticSteps,
                state.lastCriticLoss(), generatorLoss, -state.lastCriticLoss(), last.penalty(), seconds(start));
        state.generatorStepDone();
        listeners.generatorStepped(event);
        checkpoints.afterGeneratorStep();
        return event;
    }

    /** One critic update outside the schedule; the generator step counter does not move. */
    CriticStepEvent criticStep() {
        return criticUpdate(0);
    }

    private CriticStepEvent criticUpdate(int criticStep) {
        long start = System.nanoTime();
        Critic critic = config.critic();
        INDArray drawn = config.realSamples().next(config.batchSize(), state.random());
        INDArray real = Batches.castTo(Batches.checkReal(drawn, config.realSamples(), config.batchSize()), critic);
        int batch = Math.toIntExact(real.size(0));
        INDArray fake = Batches.castTo(Batches.matchShape(generate(batch), real), critic);

        INDArray scores = critic.forward(Batches.stackRows(real, fake));
        CriticLoss loss = config.objective().criticLoss(Batches.rows(scores, 0, batch),
                Batches.rows(scores, batch, 2L * batch));
        critic.backwardParameters(Batches.stackRows(loss.realGradient(), loss.fakeGradient()));
        LipschitzConstraint constraint = config.constraint();
        // the penalty's parameter gradient accumulates into the objective's, at the same parameters
        Penalty penalty = constraint.hasPenalty()
                ? constraint.penalty(critic, real, fake, state.random(), critic.gradient())
                : Penalty.NONE;
        critic.applyGradient();
        // before the constraint, whose clamp would turn NaN parameters into its lower bound
        updateCheck.afterCriticUpdate(state.generatorStep(), criticStep, state.criticUpdates() + 1, loss.value(),
                penalty.value());
        constraint.afterCriticUpdate(critic);

        state.criticUpdated(loss.value());
        CriticStepEvent event = new CriticStepEvent(state.generatorStep(), criticStep, state.criticUpdates(),
                loss.value(), penalty.value(), penalty.meanGradientNorm(), -loss.value(), seconds(start));
        listeners.criticStepped(event);
        return event;
    }

    private double generatorUpdate() {
        Generator generator = config.generator();
        Critic critic = config.critic();
        INDArray latent = config.latentSampler().sample(config.batchSize(), state.random());
        INDArray fake = generator.forward(latent);
        INDArray scores = critic.forward(fake);
        GeneratorLoss loss = config.objective().generatorLoss(scores);
        INDArray sampleGradient = critic.backwardToInput(loss.fakeGradient());
        generator.backward(sampleGradient.reshape(fake.shape()));
        generator.applyGradient();
        updateCheck.afterGeneratorUpdate(state.generatorStep(), loss.value());
        state.generatorUpdated(loss.value());
        return loss.value();
    }

    private INDArray generate(int batch) {
        return config.generator().forward(config.latentSampler().sample(batch, state.random()));
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
    }
}
