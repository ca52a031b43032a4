package org.wgan.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.OptionalLong;
import java.util.Random;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.nd4j.linalg.activations.Activation;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.nd4j.linalg.factory.Nd4j;
import org.wgan.core.Critic;
import org.wgan.core.TrainableNetwork;
import org.wgan.core.constraint.LipschitzConstraints;
import org.wgan.core.data.ToyDatasets;
import org.wgan.core.fixtures.MeanDifferenceObjective;
import org.wgan.core.listener.GeneratorStepEvent;
import org.wgan.core.listener.StopHandle;
import org.wgan.core.listener.TrainerListener;
import org.wgan.core.listener.TrainingDivergedException;
import org.wgan.core.training.WganTrainer;
import org.wgan.dl4j.GeneratorEma;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;
import org.wgan.dl4j.fixtures.TestNetworks;

class CheckpointTest {

    @TempDir
    Path folder;

    /** A penalised toy run with Adam (non-trivial optimizer state), an EMA and fixed noise as participants. */
    private record Run(WganTrainer trainer, GeneratorEma ema, INDArray fixedNoise) {

        static Run of(long networkSeed, long trainerSeed, long steps, CheckpointStore store, long every) {
            MultiLayerGenerator generator = MultiLayerGenerator.of(TestNetworks.mlp(networkSeed, DataType.FLOAT,
                    Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 16, 2));
            MultiLayerCritic critic = MultiLayerCritic.of(TestNetworks.mlp(networkSeed + 1, DataType.FLOAT,
                    Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 16, 1));
            GeneratorEma ema = GeneratorEma.of(generator, 0.9);
            INDArray noise = Nd4j.rand(DataType.FLOAT, 4, 2).muli(trainerSeed);
            WganTrainer.Builder builder = WganTrainer.builder()
                    .generator(generator).critic(critic)
                    .objective(new MeanDifferenceObjective())
                    .constraint(LipschitzConstraints.gradientPenalty(10))
                    .realSamples(ToyDatasets.eightGaussians())
                    .batchSize(8)
                    .criticStepsPerGeneratorStep(3)
                    .seed(trainerSeed)
                    .maxGeneratorSteps(steps)
                    .listener(ema);
            if (store != null) {
                builder.checkpoints(store, every)
                        .checkpointParticipant(ema)
                        .checkpointParticipant(CheckpointParticipant.fixedArray("fixedNoise", noise));
            }
            return new Run(builder.build(), ema, noise);
        }
    }

    @Test
    void resumedRunEndsBitForBitWhereAnUninterruptedRunEnds() {
        Run uninterrupted = Run.of(1, 7, 12, null, 1);
        uninterrupted.trainer().fit();

        CheckpointStore store = CheckpointStore.in(folder);
        Run first = Run.of(1, 7, 7, store, 5);
        first.trainer().fit(); // checkpoints at 5 and (end of fit) 7
        // a fresh process with the same settings: other initial weights and other noise, all overwritten by the
        // resume, and a fresh random stream that the resume replaces (another seed is refused unless the restore
        // allows changed settings: TrainerCheckpointsTest)
        Run resumed = Run.of(50, 7, 12, store, 5);
        OptionalLong step = resumed.trainer().resumeFromLatest();
        resumed.trainer().fit();

        assertThat(step).hasValue(7);
        assertThat(resumed.trainer().generatorStep()).isEqualTo(12);
        WganTrainer a = uninterrupted.trainer();
        WganTrainer b = resumed.trainer();
        assertThat(b.config().generator().parameters()).isEqualTo(a.config().generator().parameters());
        assertThat(b.config().critic().parameters()).isEqualTo(a.config().critic().parameters());
        assertThat(b.config().critic().optimizerState()).isEqualTo(a.config().critic().optimizerState());
        assertThat(b.config().generator().optimizerState()).isEqualTo(a.config().generator().optimizerState());
        assertThat(b.config().critic().updateCount()).isEqualTo(a.config().critic().updateCount()).isEqualTo(36);
        assertThat(resumed.ema().averaged().parameters()).isEqualTo(uninterrupted.ema().averaged().parameters());
        assertThat(resumed.fixedNoise()).isEqualTo(first.fixedNoise());
    }

    @Test
    void checkpointFileRoundTripsEveryField() throws IOException {
        Run run = Run.of(1, 7, 3, CheckpointStore.in(folder), 100);
        run.trainer().fit();
        Checkpoint written = run.trainer().checkpoint();
        Path file = folder.resolve("one.zip");

        written.writeTo(file);
        Checkpoint read = Checkpoint.readFrom(file);

        assertThat(read.generatorStep()).isEqualTo(3);
        assertThat(read.criticUpdates()).isEqualTo(9);
        assertThat(read.generator().parameters()).isEqualTo(written.generator().parameters());
        assertThat(read.generator().optimizerState()).isEqualTo(written.generator().optimizerState());
        assertThat(read.critic().parameters()).isEqualTo(written.critic().parameters());
        assertThat(read.critic().optimizerState()).isEqualTo(written.critic().optimizerState());
        assertThat(read.critic().updateCount()).isEqualTo(9);
        assertThat(read.generator().updateCount()).isEqualTo(3);
        assertThat(read.arrays()).containsOnlyKeys("fixedNoise", GeneratorEma.SUM_ARRAY, GeneratorEma.UPDATES_ARRAY);
        assertThat(read.arrays().get("fixedNoise")).isEqualTo(run.fixedNoise());
        assertThat(read.arrays().get(GeneratorEma.UPDATES_ARRAY).getDouble(0)).isEqualTo(3.0);
        assertThat(read.metadata()).containsKeys("settings", "written");
        Random original = written.random();
        Random restored = read.random();
        assertThat(restored.nextLong()).isEqualTo(original.nextLong());
    }

    @Test
    void aWriteThatFailsMidwayLeavesTheEarlierFileIntactAndNoTemporaryFile() throws IOException {
        Run run = Run.of(1, 7, 2, null, 1);
        run.trainer().fit();
        Path file = folder.resolve("checkpoint.zip");
        Checkpoint good = run.trainer().checkpoint();
        good.writeTo(file);
        byte[] before = Files.readAllBytes(file);
        run.trainer().step();
        Checkpoint newer = run.trainer().checkpoint();

        assertThatThrownBy(() -> CheckpointFormat.write(file, newer, out -> failingAfter(out, 500)))
                .isInstanceOf(IOException.class).hasMessageContaining("disk full");

        assertThat(Files.readAllBytes(file)).isEqualTo(before);
        assertThat(Checkpoint.readFrom(file).generatorStep()).isEqualTo(2);
        try (Stream<Path> files = Files.list(folder)) {
            assertThat(files).containsExactly(file);
        }
    }

    @Test
    void aTruncatedNewestCheckpointIsReportedAndTheOneBeforeIsUsed() throws IOException {
        CheckpointStore store = CheckpointStore.in(folder);
        Run run = Run.of(1, 7, 10, store, 5);
        run.trainer().fit();
        Path newest = store.fileFor(10);
        byte[] bytes = Files.readAllBytes(newest);
        Files.write(newest, java.util.Arrays.copyOf(bytes, bytes.length / 2));

        assertThatThrownBy(() -> Checkpoint.readFrom(newest)).isInstanceOf(IOException.class)
                .hasMessageContaining(newest.toString()).hasMessageContaining("corrupt or truncated");
        assertThat(store.latest()).hasValueSatisfying(c -> assertThat(c.generatorStep()).isEqualTo(5));

        Files.write(store.fileFor(5), new byte[] {1, 2, 3});
        assertThatThrownBy(store::latest).isInstanceOf(IOException.class)
                .hasMessageContaining("no readable checkpoint in " + folder)
                .hasMessageContaining("checkpoint-000000000005.zip");
    }

    @Test
    void keepsTheNewestCheckpointsOnly() throws IOException {
        CheckpointStore store = CheckpointStore.in(folder).keepLast(2);
        Run.of(1, 7, 4, store, 1).trainer().fit();

        assertThat(store.files()).containsExactly(store.fileFor(3), store.fileFor(4));
    }

    @Test
    void divergedParametersAreNeverSavedAndTheLastGoodCheckpointStays() throws IOException {
        CheckpointStore store = CheckpointStore.in(folder);
        Run run = Run.of(1, 7, 10, store, 1);
        WganTrainer poisoned = poisonedAfterStep2(run,
                () -> run.trainer().config().critic().parameters().putScalar(0, Float.NaN));

        assertThatThrownBy(poisoned::fit).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("critic's parameters are not finite")
                .hasMessageContaining("the last checkpoint was kept");
        assertThat(store.files()).containsExactly(store.fileFor(1), store.fileFor(2));
        assertThat(store.latest().orElseThrow().critic().parameters().sumNumber().doubleValue()).isFinite();
    }

    /** Poisoned after the step's update, so the parameters are still finite when the checkpoint is due. */
    @ParameterizedTest
    @ValueSource(strings = {"critic", "generator"})
    void nanOptimizerStateIsNeverSavedAndTheLastGoodCheckpointStays(String role) throws IOException {
        CheckpointStore store = CheckpointStore.in(folder);
        Run run = Run.of(1, 7, 10, store, 1);
        var config = run.trainer().config();
        TrainableNetwork network = role.equals("critic") ? config.critic() : config.generator();
        WganTrainer poisoned = poisonedAfterStep2(run, () -> network.optimizerState().putScalar(5, Float.NaN));

        assertThatThrownBy(poisoned::fit).isInstanceOf(TrainingDivergedException.class)
                .hasMessageContaining("before generator step 3: the " + role + "'s optimizer state is not finite")
                .hasMessageContaining("the last checkpoint was kept");
        assertThat(store.files()).containsExactly(store.fileFor(1), store.fileFor(2));
        Checkpoint kept = store.latest().orElseThrow();
        assertThat(kept.critic().optimizerState().sumNumber().doubleValue()).isFinite();
        assertThat(kept.generator().optimizerState().sumNumber().doubleValue()).isFinite();
    }

    /** The run's trainer with a listener that runs {@code poison} once generator step 2 (the third) is done. */
    private static WganTrainer poisonedAfterStep2(Run run, Runnable poison) {
        return run.trainer().toBuilder().listener(new TrainerListener() {
            @Override
            public void onGeneratorStep(GeneratorStepEvent event, StopHandle stop) {
                if (event.generatorStep() == 2) {
                    poison.run();
                }
            }
        }).build();
    }

    @Test
    void restoringIntoAnotherArchitectureNamesTheArraysAndBothSizes() {
        Run run = Run.of(1, 7, 1, null, 1);
        run.trainer().fit();
        Checkpoint checkpoint = run.trainer().checkpoint();
        MultiLayerCritic smaller = MultiLayerCritic.of(TestNetworks.mlp(3, DataType.FLOAT,
                Optimizers.adam(1e-3, 0.5, 0.9), Activation.TANH, 2, 8, 1));
        WganTrainer other = run.trainer().toBuilder().critic(smaller).build();

        assertThatThrownBy(() -> other.restore(checkpoint)).isInstanceOf(CheckpointMismatchException.class)
                .hasMessageContaining("critic architecture: checkpoint has parameter blocks 0:W[2,16] 0:b[16]"
                        + " 1:W[16,1] 1:b[1], this critic 0:W[2,8] 0:b[8] 1:W[8,1] 1:b[1]")
                .hasMessageContaining("critic parameters: checkpoint has length 65, this critic 33");
    }

    @Test
    void aSnapshotIsCheckedWhollyBeforeItIsWrittenIntoANetwork() {
        Run run = Run.of(1, 7, 2, null, 1);
        run.trainer().fit();
        NetworkSnapshot saved = run.trainer().checkpoint().critic();
        NetworkSnapshot tooMany = new NetworkSnapshot(saved.parameters(), saved.optimizerState(), 1L << 31);
        Critic critic = Run.of(50, 7, 1, null, 1).trainer().config().critic();
        INDArray parameters = critic.parameters().dup();
        INDArray optimizerState = critic.optimizerState().dup();

        assertThatThrownBy(() -> tooMany.restoreInto(critic, "critic"))
                .isInstanceOf(CheckpointMismatchException.class)
                .hasMessage("checkpoint does not fit this critic; nothing was restored. 1 difference:\n  - critic"
                        + " update count: checkpoint has 2147483648, this critic counts at most 2147483647");
        assertThat(critic.parameters().toFloatVector()).containsExactly(parameters.toFloatVector());
        assertThat(critic.optimizerState().toFloatVector()).containsExactly(optimizerState.toFloatVector());
        assertThat(critic.updateCount()).isZero();
    }

    @Test
    void builderRejectsBadCheckpointSettings() {
        WganTrainer.Builder builder = Run.of(1, 7, 1, null, 1).trainer().toBuilder();
        CheckpointStore store = CheckpointStore.in(folder);

        assertThatThrownBy(() -> builder.checkpoints(store, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("everyGeneratorSteps must be >= 1, but was 0");
        assertThatThrownBy(() -> store.keepLast(0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("keepLast must be >= 1, but was 0");
        INDArray noise = Nd4j.zeros(DataType.FLOAT, 2, 2);
        assertThatThrownBy(() -> Run.of(1, 7, 1, null, 1).trainer().toBuilder()
                .checkpointParticipant(CheckpointParticipant.fixedArray("noise", noise)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no checkpoint store; call checkpoints(store, everyGeneratorSteps)");
        assertThatThrownBy(() -> builder.checkpoints(store, 5)
                .checkpointParticipant(CheckpointParticipant.fixedArray("noise", noise))
                .checkpointParticipant(CheckpointParticipant.fixedArray("noise", noise)).build())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("checkpoint array name 'noise' is used by both");
        assertThatThrownBy(() -> Run.of(1, 7, 1, null, 1).trainer().resumeFromLatest())
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no checkpoint store");
    }

    @Test
    void resumingAnEmptyStoreChangesNothing() {
        Run run = Run.of(1, 7, 1, CheckpointStore.in(folder.resolve("none")), 1);
        INDArray before = run.trainer().config().critic().parameters().dup();

        assertThat(run.trainer().resumeFromLatest()).isEmpty();
        assertThat(run.trainer().config().critic().parameters()).isEqualTo(before);
        assertThat(run.trainer().generatorStep()).isZero();
    }

    private static OutputStream failingAfter(OutputStream out, int limit) {
        return new FilterOutputStream(out) {
            private int written;

            @Override
            public void write(int b) throws IOException {
                check(1);
                super.write(b);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                check(len);
                out.write(b, off, len);
            }

            private void check(int n) throws IOException {
                written += n;
                if (written > limit) {
                    throw new IOException("disk full (simulated)");
                }
            }
        };
    }

}
