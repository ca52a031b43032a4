package org.wgan.core;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.Random;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.nd4j.linalg.indexing.NDArrayIndex;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointPolicy;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.checkpoint.NetworkSnapshot;
import org.wgan.core.constraint.LipschitzConstraint;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.constraint.Penalty;
import org.wgan.core.data.LatentSampler;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.SampleSource;
import org.wgan.core.listener.CriticStepEvent;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.NonFiniteGuard;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.objective.CriticLoss;
import org.wgan.core.objective.GeneratorLoss;
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
 * {@link #resumeFromLatest()} continues from the newest one.
 *
 * <p>Not thread-safe: one thread drives a trainer.
 */
public final class WganTrainer implements Trainer {

    private final TrainerConfig config;
    private final List<TrainerListener> listeners;
    private Random random;
    private final StopHandle stopHandle = this::requestStop;
    private long generatorStep;
    private long criticUpdates;
    private double lastCriticLoss = Double.NaN;
    private double lastGeneratorLoss = Double.NaN;
    private String stopReason;
    private long lastSavedStep = -1;

    private WganTrainer(TrainerConfig config, boolean stopOnNonFinite) {
        this.config = config;
        List<TrainerListener> all = new ArrayList<>();
        if (stopOnNonFinite) {
            all.add(new NonFiniteGuard());
        }
        all.addAll(config.listeners());
        this.listeners = List.copyOf(all);
        this.random = new Random(config.seed());
    }

    /** A builder with the defaults named in its setters. */
    public static Builder builder() {
        return new Builder();
    }

    /** A builder holding this trainer's settings, to derive a variant. */
    public Builder toBuilder() {
        return new Builder(config, listeners.stream().anyMatch(NonFiniteGuard.class::isInstance));
    }

    @Override
    public TrainerConfig config() {
        return config;
    }

    @Override
    public long generatorStep() {
        return generatorStep;
    }

    @Override
    public TrainingSummary fit() {
        long start = System.nanoTime();
        stopReason = null;
        listeners.forEach(l -> l.onTrainingStart(config));
        while (generatorStep < config.maxGeneratorSteps() && stopReason == null) {
            step();
        }
        if (config.checkpoints().enabled() && lastSavedStep != generatorStep) {
            saveCheckpoint();
        }
        String reason = stopReason != null ? stopReason
                : "reached maxGeneratorSteps " + config.maxGeneratorSteps();
        TrainingSummary summary = new TrainingSummary(generatorStep, criticUpdates, lastCriticLoss,
                lastGeneratorLoss, -lastCriticLoss, reason, seconds(start));
        listeners.forEach(l -> l.onTrainingEnd(summary));
        return summary;
    }

    @Override
    public GeneratorStepEvent step() {
        long start = System.nanoTime();
        int criticSteps = config.criticSchedule().criticStepsAt(generatorStep);
        CriticStepEvent last = null;
        for (int k = 0; k < criticSteps; k++) {
            last = criticUpdate(k);
        }
        double generatorLoss = generatorUpdate();
        GeneratorStepEvent event = new GeneratorStepEvent(generatorStep, criticSteps, lastCriticLoss,
                generatorLoss, -lastCriticLoss, last.penalty(), seconds(start));
        generatorStep++;
        for (TrainerListener listener : listeners) {
            listener.onGeneratorStep(event, stopHandle);
        }
        if (config.checkpoints().enabled() && generatorStep % config.checkpoints().everyGeneratorSteps() == 0) {
            saveCheckpoint();
        }
        return event;
    }

    @Override
    public CriticStepEvent criticStep() {
        return criticUpdate(0);
    }

    @Override
    public Checkpoint checkpoint() {
        Map<String, INDArray> arrays = new HashMap<>();
        for (CheckpointParticipant participant : config.checkpoints().participants()) {
            participant.checkpointArrays().forEach((name, array) -> arrays.put(name, array.dup()));
        }
        Map<String, String> metadata = Map.of("settings", config.describe(), "written", Instant.now().toString());
        return new Checkpoint(generatorStep, criticUpdates, Checkpoint.serialize(random),
                NetworkSnapshot.of(config.generator()), NetworkSnapshot.of(config.critic()), arrays, metadata);
    }

    @Override
    public void restore(Checkpoint checkpoint) {
        Objects.requireNonNull(checkpoint, "checkpoint");
        Random restoredRandom = checkpoint.random();
        checkpoint.generator().restoreInto(config.generator(), "generator");
        checkpoint.critic().restoreInto(config.critic(), "critic");
        for (CheckpointParticipant participant : config.checkpoints().participants()) {
            participant.restoreCheckpointArrays(checkpoint.arrays());
        }
        generatorStep = checkpoint.generatorStep();
        criticUpdates = checkpoint.criticUpdates();
        random = restoredRandom;
        lastSavedStep = generatorStep;
    }

    /**
     * Restores the newest readable checkpoint of the store given to {@link Builder#checkpoints}, if there is one.
     *
     * @return the generator step resumed at, or empty when the store holds no checkpoint (nothing changes)
     * @throws IllegalStateException if no checkpoint store is configured
     * @throws UncheckedIOException  if checkpoints exist but none can be read
     */
    public OptionalLong resumeFromLatest() {
        CheckpointStore store = config.checkpoints().store();
        if (store == null) {
            throw new IllegalStateException("no checkpoint store; call checkpoints(store, everyGeneratorSteps)"
                    + " before build()");
        }
        Optional<Checkpoint> latest;
        try {
            latest = store.latest();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        latest.ifPresent(this::restore);
        return latest.map(c -> OptionalLong.of(c.generatorStep())).orElse(OptionalLong.empty());
    }

    private void saveCheckpoint() {
        requireFinite(config.critic(), "critic");
        requireFinite(config.generator(), "generator");
        try {
            config.checkpoints().store().save(checkpoint());
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the checkpoint of generator step " + generatorStep, e);
        }
        lastSavedStep = generatorStep;
    }

    private void requireFinite(TrainableNetwork network, String role) {
        double sum = network.parameters().sumNumber().doubleValue();
        if (!Double.isFinite(sum)) {
            throw new TrainingDivergedException("training diverged before generator step " + generatorStep + ": the "
                    + role + "'s parameters are not finite (sum " + sum + "); the last checkpoint was kept; settings: "
                    + config.describe(), generatorStep);
        }
    }

    private CriticStepEvent criticUpdate(int criticStep) {
        long start = System.nanoTime();
        Critic critic = config.critic();
        INDArray real = castTo(config.realSamples().next(config.batchSize(), random), critic);
        int batch = Math.toIntExact(real.size(0));
        INDArray fake = castTo(matchShape(generate(batch), real), critic);

        INDArray scores = critic.forward(Nd4j.concat(0, real, fake));
        CriticLoss loss = config.objective().criticLoss(rows(scores, 0, batch), rows(scores, batch, 2L * batch));
        critic.backward(Nd4j.concat(0, loss.realGradient(), loss.fakeGradient()));
        LipschitzConstraint constraint = config.constraint();
        // the penalty's parameter gradient accumulates into the objective's, at the same parameters
        Penalty penalty = constraint.hasPenalty()
                ? constraint.penalty(critic, real, fake, random, critic.gradient())
                : Penalty.NONE;
        critic.applyGradient();
        constraint.afterCriticUpdate(critic);

        criticUpdates++;
        lastCriticLoss = loss.value();
        CriticStepEvent event = new CriticStepEvent(generatorStep, criticStep, criticUpdates, loss.value(),
                penalty.value(), penalty.meanGradientNorm(), -loss.value(), seconds(start));
        for (TrainerListener listener : listeners) {
            listener.onCriticStep(event, stopHandle);
        }
        return event;
    }

    private double generatorUpdate() {
        Generator generator = config.generator();
        Critic critic = config.critic();
        INDArray latent = config.latentSampler().sample(config.batchSize(), random);
        INDArray fake = generator.forward(latent);
        INDArray scores = critic.forward(fake);
        GeneratorLoss loss = config.objective().generatorLoss(scores);
        INDArray sampleGradient = critic.backwardToInput(loss.fakeGradient());
        generator.backward(sampleGradient.reshape(fake.shape()));
        generator.applyGradient();
        lastGeneratorLoss = loss.value();
        return loss.value();
    }

    private INDArray generate(int batch) {
        return config.generator().forward(config.latentSampler().sample(batch, random));
    }

    private static INDArray matchShape(INDArray fake, INDArray real) {
        if (Arrays.equals(fake.shape(), real.shape())) {
            return fake;
        }
        if (fake.length() != real.length()) {
            throw new IllegalStateException("generated samples " + Arrays.toString(fake.shape())
                    + " do not match real samples " + Arrays.toString(real.shape()));
        }
        return fake.reshape(real.shape());
    }

    private static INDArray castTo(INDArray array, TrainableNetwork network) {
        return array.dataType() == network.dataType() ? array : array.castTo(network.dataType());
    }

    private static INDArray rows(INDArray array, long from, long to) {
        return array.get(NDArrayIndex.interval(from, to), NDArrayIndex.all());
    }

    private void requestStop(String reason) {
        stopReason = Objects.requireNonNullElse(reason, "stop requested");
    }

    private static double seconds(long startNanos) {
        return (System.nanoTime() - startNanos) / 1e9;
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

        private Builder(TrainerConfig config, boolean stopOnNonFinite) {
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
            this.stopOnNonFinite = stopOnNonFinite;
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
            if (criticSteps < 1) {
                throw new IllegalArgumentException("criticStepsPerGeneratorStep must be >= 1, but was " + criticSteps);
            }
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
            if (batchSize < 1) {
                throw new IllegalArgumentException("batchSize must be >= 1, but was " + batchSize);
            }
            this.batchSize = batchSize;
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
            if (maxGeneratorSteps < 1) {
                throw new IllegalArgumentException("maxGeneratorSteps must be >= 1, but was " + maxGeneratorSteps);
            }
            this.maxGeneratorSteps = maxGeneratorSteps;
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
            if (everyGeneratorSteps < 1) {
                throw new IllegalArgumentException("everyGeneratorSteps must be >= 1, but was " + everyGeneratorSteps);
            }
            this.checkpointStore = store;
            this.checkpointEvery = everyGeneratorSteps;
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
         * Leaves out the {@link NonFiniteGuard} that is otherwise installed first, so NaN or infinite losses do
         * not stop training.
         */
        public Builder withoutNonFiniteGuard() {
            this.stopOnNonFinite = false;
            return this;
        }

        /**
         * Checks the settings and builds a new trainer (with its own step counter and random source).
         *
         * @throws IllegalStateException    if a required part is missing, or the parts do not fit together
         * @throws IllegalArgumentException if the constraint cannot handle the critic
         */
        public WganTrainer build() {
            requirePart(generator, "generator");
            requirePart(critic, "critic");
            requirePart(objective, "objective");
            requirePart(realSamples, "realSamples");
            if (generator.parameters().data() == critic.parameters().data()) {
                throw new IllegalStateException("generator and critic must be different networks, but share their"
                        + " parameters");
            }
            if (objective.requiresLipschitzConstraint() && constraint == LipschitzConstraints.none()) {
                throw new IllegalStateException("the " + objective.name() + " objective needs a Lipschitz"
                        + " constraint on the critic; call constraint(LipschitzConstraints.weightClipping(0.01))"
                        + " or another constraint before build()");
            }
            LatentSampler latent = latentSampler != null ? latentSampler : LatentSamplers.gaussian(generator.latentSize());
            if (latent.latentSize() != generator.latentSize()) {
                throw new IllegalStateException("latentSampler gives vectors of size " + latent.latentSize()
                        + ", but the generator expects " + generator.latentSize());
            }
            constraint.validate(critic);
            requireUniqueArrayNames(checkpointParticipants);
            CheckpointPolicy checkpoints = checkpointStore == null ? CheckpointPolicy.NONE
                    : new CheckpointPolicy(checkpointStore, checkpointEvery, checkpointParticipants);
            if (!checkpointParticipants.isEmpty() && checkpointStore == null) {
                throw new IllegalStateException("checkpoint participants were added but no checkpoint store; call"
                        + " checkpoints(store, everyGeneratorSteps) before build()");
            }
            TrainerConfig config = new TrainerConfig(generator, critic, objective, constraint, criticSchedule,
                    batchSize, realSamples, latent, seed, maxGeneratorSteps, listeners, checkpoints);
            return new WganTrainer(config, stopOnNonFinite);
        }

        private static void requireUniqueArrayNames(List<CheckpointParticipant> participants) {
            Map<String, CheckpointParticipant> owners = new HashMap<>();
            for (CheckpointParticipant participant : participants) {
                for (String name : participant.checkpointArrays().keySet()) {
                    CheckpointParticipant other = owners.putIfAbsent(name, participant);
                    if (other != null) {
                        throw new IllegalStateException("checkpoint array name '" + name + "' is used by both "
                                + other + " and " + participant + "; names must be unique");
                    }
                }
            }
        }

        private static void requirePart(Object part, String name) {
            if (part == null) {
                throw new IllegalStateException(name + " is required; call " + name + "(...) before build()");
            }
        }
    }
}
