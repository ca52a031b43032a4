package org.wgan.core.training;

import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.OptionalLong;
import java.util.Random;
import org.wgan.core.Critic;
import org.wgan.core.Generator;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointPolicy;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.internal.Checks;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.NonFiniteGuard;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.objective.Objective;

/**
 * The GAN training loop of Arjovsky et al. (2017, Algorithm 1) and Gulrajani et al. (2017, Algorithm 1), for
 * any {@link Objective} and {@link LipschitzConstraint}:
 * <pre>
 * for each generator step g:
 *     repeat criticSchedule.criticStepsAt(g) times:
 *         x ~ real samples, z ~ latent, x~ = G(z)
 *         L_C = objective.criticLoss(C(x), C(x~)) + constraint.penalty(C, x, x~)
 *         one optimizer update of C;  constraint.afterCriticUpdate(C)
 *     z ~ latent;  L_G = objective.generatorLoss(C(G(z)))
 *     one optimizer update of G, backpropagated through C (C's parameters and optimizer state untouched)
 * </pre>
 * Real and generated batches go through the critic as one concatenated batch. All randomness the trainer draws
 * (latent noise, real samples of toy sources, penalty interpolation) comes from its own {@link Random} seeded
 * with {@link TrainerConfig#seed()}; nothing reads ND4J's global random generator.
 *
 * <p>With {@link Builder#checkpoints(CheckpointStore, long)} it writes a {@link Checkpoint} every N generator
 * steps and when {@code fit()} ends, each after the step's listeners ran (so a diverged step, stopped by the
 * {@link NonFiniteGuard}, is never saved) and only when both networks' parameters are finite;
 * {@link #resumeFromLatest()} continues from the newest one, after checking that it fits these networks,
 * participants and settings (nothing changes when it does not; {@link RestoreMode#ALLOW_CHANGED_SETTINGS} resumes
 * under deliberately changed settings).
 *
 * <p>This class is the trainer's public face: its settings and {@link Builder}. The loop itself runs in
 * package-private {@code TrainingLoop}, the checkpoints in {@code TrainerCheckpoints}.
 *
 * <p>Not thread-safe: one thread drives a trainer.
 */
public final class WganTrainer implements Trainer {

    private final TrainerConfig config;
    private final TrainingLoop loop;

    private WganTrainer(TrainerConfig config) {
        this.config = config;
        this.loop = new TrainingLoop(config);
    }

    /** A builder with the defaults named in its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this trainer's settings, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(config);
    }

    @Override
    public TrainerConfig config() {
        return config;
    }

    @Override
    public long generatorStep() {
        return loop.state().generatorStep();
    }

    @Override
    public TrainingSummary fit() {
        return loop.fit();
    }

    @Override
    public GeneratorStepEvent step() {
        return loop.step();
    }

    @Override
    public CriticStepEvent criticStep() {
        return loop.criticStep();
    }

    @Override
    public Checkpoint checkpoint() {
        return loop.checkpoints().snapshot();
    }

    /**
     * {@inheritDoc}
     *
     * <p>For example, to continue a run with a larger batch on purpose:
     * {@code trainer.resumeFromLatest(RestoreMode.ALLOW_CHANGED_SETTINGS)}; the changed settings are logged.
     */
    @Override
    public void restore(Checkpoint checkpoint, RestoreMode mode) {
        loop.checkpoints().restore(checkpoint, mode);
    }

    /**
     * Restores the newest readable checkpoint of the store given to {@link Builder#checkpoints}, if there is one,
     * checked as {@link #restore(Checkpoint, RestoreMode)} checks it.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException                                if no checkpoint store is configured
     * @throws UncheckedIOException                                 if checkpoints exist but none can be read
     * @throws org.wgan.core.checkpoint.CheckpointMismatchException if the newest does not fit, listing every
     *                                                              difference (nothing changes)
     */
    @Override
    public OptionalLong resumeFromLatest(RestoreMode mode) {
        return loop.checkpoints().resumeFromLatest(mode);
    }

    /**
     * Builds a {@link WganTrainer}. Each setter validates its argument at once; {@link #build()} checks the
     * required parts and the rules between fields, and can be called again.
     */
    public static final class Builder {

        /** Default samples per batch (the WGAN paper). */
        public static final int DEFAULT_BATCH_SIZE = 64;
        /** Default seed of the trainer's random source. */
        public static final long DEFAULT_SEED = 0;
        /** Default budget of generator steps for {@code fit()}. */
        public static final long DEFAULT_MAX_GENERATOR_STEPS = 10_000;

        private Generator generator;
        private Critic critic;
        private Objective objective;
        private LipschitzConstraint constraint = LipschitzConstraints.none();
        private CriticSchedule criticSchedule = CriticSchedule.constant(CriticSchedule.DEFAULT_CRITIC_STEPS);
        private int batchSize = DEFAULT_BATCH_SIZE;
        private SampleSource realSamples;
        private LatentSampler latentSampler;
        private long seed = DEFAULT_SEED;
        private long maxGeneratorSteps = DEFAULT_MAX_GENERATOR_STEPS;
        private final List<TrainerListener> listeners = new ArrayList<>();
        private boolean stopOnNonFinite = true;
        private CheckpointStore checkpointStore;
        private long checkpointEvery = Long.MAX_VALUE;
        private final List<CheckpointParticipant> checkpointParticipants = new ArrayList<>();

        private Builder() {
        }

        private Builder(TrainerConfig config) {
            generator = config.generator();
            critic = config.critic();
            objective = config.objective();
            constraint = config.constraint();
            criticSchedule = config.criticSchedule();
            batchSize = config.batchSize();
            realSamples = config.realSamples();
            latentSampler = config.latentSampler();
            seed = config.seed();
            maxGeneratorSteps = config.maxGeneratorSteps();
            listeners.addAll(config.listeners());
            stopOnNonFinite = config.stopOnNonFinite();
            checkpointStore = config.checkpoints().store();
            checkpointEvery = config.checkpoints().everyGeneratorSteps();
            checkpointParticipants.addAll(config.checkpoints().participants());
        }

        /** The generator (required). */
        public Builder generator(Generator generator) {
            this.generator = Objects.requireNonNull(generator, "generator");
            return this;
        }

        /** The critic (required). */
        public Builder critic(Critic critic) {
            this.critic = Objects.requireNonNull(critic, "critic");
            return this;
        }

        /** The objective (required), e.g. {@code Objectives.wasserstein()} from wgan-losses. */
        public Builder objective(Objective objective) {
            this.objective = Objects.requireNonNull(objective, "objective");
            return this;
        }

        /**
         * The Lipschitz constraint on the critic; default {@link LipschitzConstraints#none()}, which the
         * Wasserstein objective rejects at {@link #build()}.
         */
        public Builder constraint(LipschitzConstraint constraint) {
            this.constraint = Objects.requireNonNull(constraint, "constraint");
            return this;
        }

        /**
         * Critic updates before every generator update, no warm-up; default
         * {@value CriticSchedule#DEFAULT_CRITIC_STEPS}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder criticStepsPerGeneratorStep(int criticSteps) {
            Checks.atLeast("criticStepsPerGeneratorStep", criticSteps, 1);
            this.criticSchedule = CriticSchedule.constant(criticSteps);
            return this;
        }

        /** A full critic schedule, e.g. {@link CriticSchedule#withPaperWarmUp(int)}; replaces the steps above. */
        public Builder criticSchedule(CriticSchedule schedule) {
            this.criticSchedule = Objects.requireNonNull(schedule, "criticSchedule");
            return this;
        }

        /**
         * Samples per real and per generated batch; default {@value #DEFAULT_BATCH_SIZE}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder batchSize(int batchSize) {
            this.batchSize = Checks.atLeast("batchSize", batchSize, 1);
            return this;
        }

        /** The real data (required). */
        public Builder realSamples(SampleSource realSamples) {
            this.realSamples = Objects.requireNonNull(realSamples, "realSamples");
            return this;
        }

        /** The generator's noise; default {@link LatentSamplers#gaussian(int)} of the generator's latent size. */
        public Builder latentSampler(LatentSampler latentSampler) {
            this.latentSampler = Objects.requireNonNull(latentSampler, "latentSampler");
            return this;
        }

        /** Seed of the trainer's own random source; default {@value #DEFAULT_SEED}. */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /**
         * Generator steps after which {@code fit()} returns; default {@value #DEFAULT_MAX_GENERATOR_STEPS}.
         *
         * @throws IllegalArgumentException if below 1
         */
        public Builder maxGeneratorSteps(long maxGeneratorSteps) {
            this.maxGeneratorSteps = Checks.atLeast("maxGeneratorSteps", maxGeneratorSteps, 1);
            return this;
        }

        /** Adds a listener, notified after those added before it. */
        public Builder listener(TrainerListener listener) {
            listeners.add(Objects.requireNonNull(listener, "listener"));
            return this;
        }

        /**
         * Writes a checkpoint to {@code store} after every {@code everyGeneratorSteps} generator steps and when
         * {@code fit()} ends; default none.
         *
         * @throws IllegalArgumentException if everyGeneratorSteps is below 1
         */
        public Builder checkpoints(CheckpointStore store, long everyGeneratorSteps) {
            Objects.requireNonNull(store, "store");
            this.checkpointEvery = Checks.atLeast("everyGeneratorSteps", everyGeneratorSteps, 1);
            this.checkpointStore = store;
            return this;
        }

        /**
         * Adds state that checkpoints hold beside the trainer's own, e.g. a
         * {@code org.wgan.dl4j.GeneratorEma} (module wgan-dl4j) or fixed evaluation noise
         * ({@link CheckpointParticipant#fixedArray}).
         */
        public Builder checkpointParticipant(CheckpointParticipant participant) {
            checkpointParticipants.add(Objects.requireNonNull(participant, "participant"));
            return this;
        }

        /**
         * Leaves out the {@link NonFiniteGuard} that is otherwise installed first and the check of both networks'
         * parameters after each update, so NaN or infinite losses and parameters do not stop training.
         */
        public Builder withoutNonFiniteGuard() {
            this.stopOnNonFinite = false;
            return this;
        }

        /**
         * Checks the settings and builds a new trainer (with its own step counter and random source). The rules
         * between fields are {@link TrainerConfig}'s.
         *
         * @throws IllegalStateException    if a required part is missing, or the parts do not fit together
         * @throws IllegalArgumentException if the constraint cannot handle the critic
         */
        public WganTrainer build() {
            requirePart(generator, "generator");
            requirePart(critic, "critic");
            requirePart(objective, "objective");
            requirePart(realSamples, "realSamples");
            LatentSampler latent = latentSampler != null ? latentSampler
                    : LatentSamplers.gaussian(generator.latentSize());
            CheckpointPolicy checkpoints = checkpointStore == null && checkpointParticipants.isEmpty()
                    ? CheckpointPolicy.NONE
                    : new CheckpointPolicy(checkpointStore, checkpointEvery, checkpointParticipants);
            return new WganTrainer(new TrainerConfig(generator, critic, objective, constraint, criticSchedule,
                    batchSize, realSamples, latent, seed, maxGeneratorSteps, listeners, stopOnNonFinite, checkpoints));
        }

        private static void requirePart(Object part, String name) {
            if (part == null) {
                throw new IllegalStateException(name + " is required; call " + name + "(...) before build()");
            }
        }
    }
}
