package org.wgan.core.training;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.TreeMap;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.checkpoint.Checkpoint;
import org.wgan.core.checkpoint.CheckpointMismatchException;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.core.checkpoint.CheckpointStore;
import org.wgan.core.checkpoint.NetworkSnapshot;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.LatentSamplers;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

/**
 * Restoring a checkpoint that does not fit: every difference is listed in one exception, and the trainer it was
 * refused by is bit for bit as before (parameters, optimizer states, update counts, step counters, random state,
 * participants' arrays).
 */
class TrainerCheckpointsTest {

    private static final String REFUSED = " does not fit this trainer; nothing was restored";
    private static final String HINT = " (to continue under changed settings on purpose, restore with"
            + " RestoreMode.ALLOW_CHANGED_SETTINGS)";

    @TempDir
    Path folder;

    /** A generator 2-8-2 and a critic of the given sizes (tanh, Adam: non-trivial optimizer state), an EMA. */
    private record Parts(MultiLayerGenerator generator, MultiLayerCritic critic, GeneratorEma ema) {

        static Parts of(long networkSeed, int... criticSizes) {
            MultiLayerGenerator generator = MultiLayerGenerator.of(TestNetworks.mlp(networkSeed, DataType.FLOAT,
                    Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 8, 2));
            MultiLayerCritic critic = MultiLayerCritic.of(TestNetworks.mlp(networkSeed + 1, DataType.FLOAT,
                    Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, criticSizes));
            return new Parts(generator, critic, GeneratorEma.of(generator, 0.9));
        }

        /** A trainer without checkpoint participants. */
        WganTrainer.Builder trainer() {
            return WganTrainer.builder()
                    .generator(generator).critic(critic)
                    .objective(new MeanDifferenceObjective())
                    .constraint(LipschitzConstraints.gradientPenalty(10))
                    .realSamples(ToyDatasets.eightGaussians())
                    .batchSize(8)
                    .criticStepsPerGeneratorStep(2)
                    .seed(7)
                    .maxGeneratorSteps(20)
                    .listener(ema);
        }

        /** A trainer with the EMA and fixed noise {@code [4, 2]} as checkpoint participants. */
        WganTrainer.Builder trainerWithParticipants(CheckpointStore store) {
            return trainer().checkpoints(store, 100)
                    .checkpointParticipant(ema)
                    .checkpointParticipant(CheckpointParticipant.fixedArray("noise", Nd4j.rand(DataType.FLOAT, 4, 2)));
        }
    }

    /** A checkpoint after three steps of a trainer with participants, its critic 2-16-1. */
    private Checkpoint trainedCheckpoint() {
        return trainedCheckpoint(Parts.of(1, 2, 16, 1).trainerWithParticipants(store("source")));
    }

    private static Checkpoint trainedCheckpoint(WganTrainer.Builder builder) {
        WganTrainer trainer = builder.build();
        for (int i = 0; i < 3; i++) {
            trainer.step();
        }
        return trainer.checkpoint();
    }

    /** The target trained one step, so its counters, optimizer state and EMA are not those of a fresh trainer. */
    private static WganTrainer trainedOnce(WganTrainer.Builder builder) {
        WganTrainer trainer = builder.build();
        trainer.step();
        return trainer;
    }

    private CheckpointStore store(String name) {
        return CheckpointStore.in(folder.resolve(name));
    }

    /** Runs a restore that must be refused and checks that nothing of the trainer changed. */
    private static CheckpointMismatchException refusedWithoutChange(WganTrainer trainer, ThrowingCallable restore) {
        Checkpoint before = trainer.checkpoint();
        Throwable thrown = catchThrowable(restore);
        assertThat(thrown).isInstanceOf(CheckpointMismatchException.class);
        assertBitIdentical(trainer.checkpoint(), before);
        return (CheckpointMismatchException) thrown;
    }

    private static void assertBitIdentical(Checkpoint actual, Checkpoint expected) {
        assertThat(actual.generatorStep()).as("generator step").isEqualTo(expected.generatorStep());
        assertThat(actual.criticUpdates()).as("critic updates").isEqualTo(expected.criticUpdates());
        assertThat(actual.randomState()).as("random state").isEqualTo(expected.randomState());
        assertBitIdentical(actual.generator(), expected.generator(), "generator");
        assertBitIdentical(actual.critic(), expected.critic(), "critic");
        assertThat(actual.arrays()).as("participants' arrays").containsOnlyKeys(expected.arrays().keySet());
        new TreeMap<>(expected.arrays()).forEach((name, array) ->
                assertThat(bits(actual.arrays().get(name))).as(name).containsExactly(bits(array)));
    }

    private static void assertBitIdentical(NetworkSnapshot actual, NetworkSnapshot expected, String role) {
        assertThat(bits(actual.parameters())).as(role + " parameters").containsExactly(bits(expected.parameters()));
        assertThat(bits(actual.optimizerState())).as(role + " optimizer state")
                .containsExactly(bits(expected.optimizerState()));
        assertThat(actual.updateCount()).as(role + " update count").isEqualTo(expected.updateCount());
    }

    /** Every element widened to double (exact for FLOAT), so equality is bit for bit. */
    private static double[] bits(INDArray array) {
        return array.isEmpty() ? new double[0] : array.castTo(DataType.DOUBLE).ravel().toDoubleVector();
    }

    @Test
    void aCriticOfAnotherSizeIsRefusedAndTheGeneratorIsUntouched() {
        Checkpoint checkpoint = trainedCheckpoint();
        WganTrainer smaller = trainedOnce(Parts.of(50, 2, 8, 1).trainerWithParticipants(store("target")));

        CheckpointMismatchException refused = refusedWithoutChange(smaller, () -> smaller.restore(checkpoint));

        assertThat(refused).hasMessageStartingWith("checkpoint of generator step 3" + REFUSED + ". 3 differences:");
        assertThat(refused.differences()).containsExactly(
                "critic architecture: checkpoint has parameter blocks 0:W[2,16] 0:b[16] 1:W[16,1] 1:b[1], this"
                        + " critic 0:W[2,8] 0:b[8] 1:W[8,1] 1:b[1]",
                "critic parameters: checkpoint has length 65, this critic 33",
                "critic optimizer state: checkpoint has length 130, this critic 66");
    }

    @Test
    void aCheckpointWithoutTheEmaIsRefusedBeforeEitherNetworkChanges() {
        Checkpoint withoutParticipants = trainedCheckpoint(Parts.of(1, 2, 16, 1).trainer());
        WganTrainer withEma = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("target")));

        CheckpointMismatchException refused = refusedWithoutChange(withEma, () -> withEma.restore(withoutParticipants));

        assertThat(refused.differences()).containsExactly(
                "checkpoint holds no generator EMA (arrays ema.sum and ema.updates); it was written without one",
                "checkpoint holds no array 'noise', which fixedArray[noise, [4, 2]] restores");
    }

    @Test
    void sameParameterCountButAnotherArchitectureIsRefusedNamingBothShapes() {
        // 2-3-4-1 and 2-5-2-1 both have 30 parameters (and 60 Adam moments)
        Checkpoint checkpoint = trainedCheckpoint(Parts.of(1, 2, 3, 4, 1).trainer());
        WganTrainer other = trainedOnce(Parts.of(50, 2, 5, 2, 1).trainer());
        String message = "checkpoint of generator step 3" + REFUSED + ". 1 difference:\n  - critic architecture:"
                + " checkpoint has parameter blocks 0:W[2,3] 0:b[3] 1:W[3,4] 1:b[4] 2:W[4,1] 2:b[1], this critic"
                + " 0:W[2,5] 0:b[5] 1:W[5,2] 1:b[2] 2:W[2,1] 2:b[1]";

        assertThat(refusedWithoutChange(other, () -> other.restore(checkpoint))).hasMessage(message);
        assertThat(refusedWithoutChange(other, () -> other.restore(checkpoint, RestoreMode.ALLOW_CHANGED_SETTINGS)))
                .as("the override allows other settings, never another structure").hasMessage(message);
    }

    @Test
    void changedSettingsAreRefusedListingEachWithBothValues() throws IOException {
        Parts source = Parts.of(1, 2, 16, 1);
        WganTrainer sourceTrainer = source.trainer().build();
        sourceTrainer.step();
        CheckpointStore store = store("shared");
        store.save(sourceTrainer.checkpoint());
        WganTrainer changed = trainedOnce(Parts.of(50, 2, 16, 1).trainer()
                .checkpoints(store, 100)
                .objective(new MeanDifferenceObjective() {
                    @Override
                    public String name() {
                        return "renamed";
                    }
                })
                .constraint(LipschitzConstraints.gradientPenalty(5))
                .criticStepsPerGeneratorStep(3)
                .batchSize(16)
                .latentSampler(LatentSamplers.uniform(2))
                .seed(8));
        TrainerConfig was = sourceTrainer.config();
        TrainerConfig is = changed.config();

        CheckpointMismatchException refused = refusedWithoutChange(changed, changed::resumeFromLatest);

        assertThat(refused).hasMessageStartingWith("checkpoint of generator step 1" + REFUSED + HINT
                + ". 6 differences:\n  - objective: checkpoint mean-difference, this trainer renamed\n");
        assertThat(refused.differences()).containsExactly(
                "objective: checkpoint mean-difference, this trainer renamed",
                "constraint: checkpoint " + was.constraint() + ", this trainer " + is.constraint(),
                "criticSchedule: checkpoint " + was.criticSchedule() + ", this trainer " + is.criticSchedule(),
                "batchSize: checkpoint 8, this trainer 16",
                "latent: checkpoint Gaussian[latentSize=2], this trainer Uniform[latentSize=2]",
                "seed: checkpoint 7, this trainer 8");
        assertThat(was.constraint().toString()).isNotEqualTo(is.constraint().toString());
    }

    @Test
    void changedSettingsAreAcceptedWithTheOverrideAndTheRunContinuesFromTheCheckpoint() {
        Checkpoint checkpoint = trainedCheckpoint();
        WganTrainer changed = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("target"))
                .batchSize(16).seed(8).criticStepsPerGeneratorStep(3));

        changed.restore(checkpoint, RestoreMode.ALLOW_CHANGED_SETTINGS);

        assertBitIdentical(changed.checkpoint(), checkpoint);
        changed.step();
        assertThat(changed.generatorStep()).isEqualTo(4);
        assertThat(changed.checkpoint().criticUpdates()).isEqualTo(checkpoint.criticUpdates() + 3);
    }

    @Test
    void theOverrideResumesBitForBitUnderAnotherSeed() {
        WganTrainer uninterrupted = Parts.of(1, 2, 16, 1).trainerWithParticipants(store("a")).maxGeneratorSteps(6)
                .build();
        uninterrupted.fit();
        WganTrainer first = Parts.of(1, 2, 16, 1).trainerWithParticipants(store("b")).maxGeneratorSteps(3).build();
        first.fit();
        Parts otherParts = Parts.of(50, 2, 16, 1);
        WganTrainer resumed = otherParts.trainerWithParticipants(store("b")).maxGeneratorSteps(6).seed(99).build();

        assertThat(resumed.resumeFromLatest(RestoreMode.ALLOW_CHANGED_SETTINGS)).hasValue(3);
        resumed.fit();

        Checkpoint expected = uninterrupted.checkpoint();
        Checkpoint actual = resumed.checkpoint();
        assertBitIdentical(actual, expected);
    }

    @Test
    void everyDifferenceIsListedInOneException() {
        Checkpoint withoutParticipants = trainedCheckpoint(Parts.of(1, 2, 16, 1).trainer());
        WganTrainer other = trainedOnce(Parts.of(50, 2, 8, 1).trainerWithParticipants(store("target")).seed(8));

        CheckpointMismatchException refused = refusedWithoutChange(other, () -> other.restore(withoutParticipants));

        assertThat(refused.differences()).hasSize(6).satisfies(d -> {
            assertThat(d.get(0)).startsWith("critic architecture: ");
            assertThat(d.get(1)).isEqualTo("critic parameters: checkpoint has length 65, this critic 33");
            assertThat(d.get(2)).isEqualTo("critic optimizer state: checkpoint has length 130, this critic 66");
            assertThat(d.get(3)).startsWith("checkpoint holds no generator EMA");
            assertThat(d.get(4)).startsWith("checkpoint holds no array 'noise'");
            assertThat(d.get(5)).isEqualTo("seed: checkpoint 7, this trainer 8");
        });
    }

    @Test
    void aParticipantArrayOfAnotherShapeIsRefused() {
        Checkpoint checkpoint = trainedCheckpoint();
        Parts target = Parts.of(50, 2, 16, 1);
        WganTrainer other = trainedOnce(target.trainer().checkpoints(store("target"), 100)
                .checkpointParticipant(target.ema())
                .checkpointParticipant(CheckpointParticipant.fixedArray("noise", Nd4j.rand(DataType.FLOAT, 2, 4))));

        CheckpointMismatchException refused = refusedWithoutChange(other, () -> other.restore(checkpoint));

        assertThat(refused.differences()).containsExactly(
                "array 'noise': checkpoint has [4, 2] FLOAT, fixedArray[noise, [2, 4]] expects [2, 4] FLOAT");
    }

    @Test
    void arraysThatNoParticipantRestoresAreRefusedUnlessSettingsMayChange() {
        Checkpoint checkpoint = trainedCheckpoint();
        WganTrainer withoutParticipants = trainedOnce(Parts.of(50, 2, 16, 1).trainer());

        CheckpointMismatchException refused = refusedWithoutChange(withoutParticipants,
                () -> withoutParticipants.restore(checkpoint));

        assertThat(refused).hasMessageContaining(HINT);
        assertThat(refused.differences()).containsExactly("checkpoint arrays [ema.sum, ema.updates, noise] belong to"
                + " no checkpoint participant of this trainer and would not be restored");
        withoutParticipants.restore(checkpoint, RestoreMode.ALLOW_CHANGED_SETTINGS);
        assertThat(withoutParticipants.generatorStep()).isEqualTo(3);
    }

    @Test
    void anUpdateCountBeyondWhatTheCriticCountsIsRefusedBeforeTheGeneratorChanges() {
        Checkpoint c = trainedCheckpoint();
        NetworkSnapshot critic = new NetworkSnapshot(c.critic().parameters(), c.critic().optimizerState(), 1L << 31);
        Checkpoint tooMany = new Checkpoint(c.generatorStep(), c.criticUpdates(), c.randomState(), c.generator(),
                critic, c.arrays(), c.metadata());
        WganTrainer other = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("target")));

        CheckpointMismatchException refused = refusedWithoutChange(other, () -> other.restore(tooMany));

        assertThat(refused.differences()).containsExactly(
                "critic update count: checkpoint has 2147483648, this critic counts at most 2147483647");
    }

    @Test
    void aGeneratorEmaCountThatIsNoWholeNumberIsRefused() {
        Checkpoint c = trainedCheckpoint();
        Map<String, INDArray> arrays = new HashMap<>(c.arrays());
        arrays.put(GeneratorEma.UPDATES_ARRAY, Nd4j.createFromArray(2.5));
        Checkpoint broken = new Checkpoint(c.generatorStep(), c.criticUpdates(), c.randomState(), c.generator(),
                c.critic(), arrays, c.metadata());
        WganTrainer other = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("target")));

        CheckpointMismatchException refused = refusedWithoutChange(other, () -> other.restore(broken));

        assertThat(refused.differences())
                .containsExactly("generator EMA ema.updates must be a whole number >= 0, but was 2.5");
    }

    @Test
    void aCheckpointOfAnEarlierVersionIsCheckedByItsArraysOnly() {
        Checkpoint c = trainedCheckpoint();
        Map<String, String> earlier = Map.of("settings", c.metadata().get("settings"), "written", "2026-01-01");
        Checkpoint old = new Checkpoint(c.generatorStep(), c.criticUpdates(), c.randomState(), c.generator(),
                c.critic(), c.arrays(), earlier);
        WganTrainer smaller = trainedOnce(Parts.of(50, 2, 8, 1).trainerWithParticipants(store("smaller")));
        WganTrainer otherSeed = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("same")).seed(8));

        CheckpointMismatchException refused = refusedWithoutChange(smaller, () -> smaller.restore(old));
        otherSeed.restore(old);

        assertThat(refused.differences()).containsExactly(
                "critic parameters: checkpoint has length 65, this critic 33",
                "critic optimizer state: checkpoint has length 130, this critic 66");
        assertBitIdentical(otherSeed.checkpoint(), c);
    }

    @Test
    void theArchitectureAndSettingsSurviveTheCheckpointFile() throws IOException {
        Checkpoint written = trainedCheckpoint();
        Path file = folder.resolve("one.zip");
        written.writeTo(file);

        Checkpoint read = Checkpoint.readFrom(file);

        assertThat(read.metadata()).containsEntry("critic.parameterBlocks", "0:W[2,16] 0:b[16] 1:W[16,1] 1:b[1]")
                .containsEntry("generator.parameterBlocks", "0:W[2,8] 0:b[8] 1:W[8,2] 1:b[2]")
                .containsEntry("setting.objective", "mean-difference")
                .containsEntry("setting.batchSize", "8")
                .containsEntry("setting.seed", "7")
                .containsKeys("setting.constraint", "setting.criticSchedule", "setting.latent");
        WganTrainer same = trainedOnce(Parts.of(50, 2, 16, 1).trainerWithParticipants(store("target")));
        same.restore(read);
        assertBitIdentical(same.checkpoint(), written);
    }
}
