package org.wgan.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.checkpoint.CheckpointParticipant;
import org.wgan.dl4j.Mlp;
import org.wgan.dl4j.MultiLayerCritic;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.dl4j.Optimizers;

/**
 * The replicas' decorators take part in checkpoints as their delegates do, so a spectrally normalised critic's or
 * generator's vectors are saved with a round's checkpoint and restored with it.
 */
class SyncedNetworksTest {

    @Test
    void aSpectrallyNormalisedCriticsVectorsAreCheckpointedThroughItsReplica() {
        MultiLayerCritic critic = MultiLayerCritic.withSpectralNormalization(
                Mlp.builder().sizes(2, 8, 1).updater(Optimizers.wganGp()).seed(3).build());
        CheckpointParticipant replica = (CheckpointParticipant) SyncedCritic.of(critic, GradientExchange.ALONE);

        assertThat(replica.checkpointArrays()).containsOnlyKeys(critic.checkpointArrays().keySet())
                .containsKey("critic.spectralNormalization.u.layer0");
        Map<String, INDArray> saved = Map.of("critic.spectralNormalization.u.layer0",
                critic.checkpointArrays().get("critic.spectralNormalization.u.layer0").mul(-1),
                "critic.spectralNormalization.u.layer1",
                critic.checkpointArrays().get("critic.spectralNormalization.u.layer1").mul(-1));
        assertThat(replica.checkpointMismatches(saved)).isEmpty();
        replica.restoreCheckpointArrays(saved);
        saved.forEach((name, u) -> assertThat(critic.checkpointArrays().get(name).equalsWithEps(u, 0)).isTrue());
        assertThat(replica.checkpointMismatches(Map.of())).hasSize(2);
    }

    @Test
    void aSpectrallyNormalisedGeneratorsVectorsAreCheckpointedThroughItsReplicaAndAPlainOneHasNone() {
        MultiLayerGenerator normalised = MultiLayerGenerator.withSpectralNormalization(
                Mlp.builder().sizes(2, 8, 2).updater(Optimizers.wganGp()).seed(4).build());
        MultiLayerGenerator plain = MultiLayerGenerator.of(
                Mlp.builder().sizes(2, 8, 2).updater(Optimizers.wganGp()).seed(4).build());

        assertThat(new SyncedGenerator(normalised, GradientExchange.ALONE).checkpointArrays())
                .containsOnlyKeys("generator.spectralNormalization.u.layer0",
                        "generator.spectralNormalization.u.layer1");
        assertThat(new SyncedGenerator(plain, GradientExchange.ALONE).checkpointArrays()).isEmpty();
    }
}
