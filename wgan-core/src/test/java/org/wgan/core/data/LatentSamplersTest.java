package org.wgan.core.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.within;

import java.util.Arrays;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;

class LatentSamplersTest {

    @Test
    void gaussianGivesFloatBatchesOfLatentSize() {
        LatentSampler sampler = LatentSamplers.gaussian(16);

        INDArray z = sampler.sample(8, new Random(1));

        assertThat(sampler.latentSize()).isEqualTo(16);
        assertThat(z.shape()).containsExactly(8, 16);
        assertThat(z.dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void uniformGivesFloatBatchesOfLatentSize() {
        LatentSampler sampler = LatentSamplers.uniform(3);

        INDArray z = sampler.sample(5, new Random(1));

        assertThat(sampler.latentSize()).isEqualTo(3);
        assertThat(z.shape()).containsExactly(5, 3);
        assertThat(z.dataType()).isEqualTo(DataType.FLOAT);
    }

    @Test
    void sameSeedGivesIdenticalNoise() {
        for (LatentSampler sampler : new LatentSampler[] {LatentSamplers.gaussian(4), LatentSamplers.uniform(4)}) {
            assertThat(sampler.sample(32, new Random(9)).toDoubleMatrix()).as("%s", sampler)
                    .isDeepEqualTo(sampler.sample(32, new Random(9)).toDoubleMatrix());
            assertThat(sampler.sample(32, new Random(9))).as("%s", sampler)
                    .isNotEqualTo(sampler.sample(32, new Random(10)));
        }
    }

    @Test
    void gaussianNoiseIsStandardNormal() {
        // 40000 draws: the mean has std 0.005, the variance about 0.007
        double[] z = LatentSamplers.gaussian(100).sample(400, new Random(2)).data().asDouble();

        assertThat(mean(z)).isCloseTo(0, within(0.025));
        assertThat(variance(z)).isCloseTo(1, within(0.035));
    }

    @Test
    void uniformNoiseFillsMinusOneToOne() {
        // U[-1, 1): mean 0, variance 2^2 / 12 = 1/3
        double[] z = LatentSamplers.uniform(100).sample(400, new Random(2)).data().asDouble();

        // 2 u - 1 < 1 in double, but the float cast may round values within 2^-25 of 1 up to 1
        assertThat(Arrays.stream(z).min().getAsDouble()).isGreaterThanOrEqualTo(-1);
        assertThat(Arrays.stream(z).max().getAsDouble()).isLessThan(1);
        assertThat(mean(z)).isCloseTo(0, within(0.015));
        assertThat(variance(z)).isCloseTo(1.0 / 3, within(0.01));
    }

    private static double mean(double[] values) {
        double sum = 0;
        for (double v : values) {
            sum += v;
        }
        return sum / values.length;
    }

    private static double variance(double[] values) {
        double mean = mean(values);
        double sum = 0;
        for (double v : values) {
            sum += (v - mean) * (v - mean);
        }
        return sum / values.length;
    }

    @Test
    void rejectsALatentSizeBelowOne() {
        assertThatIllegalArgumentException().isThrownBy(() -> LatentSamplers.gaussian(0))
                .withMessage("latentSize must be >= 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> LatentSamplers.uniform(-3))
                .withMessage("latentSize must be >= 1, but was -3");
    }

    @Test
    void rejectsABatchSizeBelowOneInEverySampler() {
        Random random = new Random(1);
        assertThatIllegalArgumentException().isThrownBy(() -> LatentSamplers.gaussian(4).sample(0, random))
                .withMessage("batchSize must be >= 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> LatentSamplers.uniform(4).sample(-1, random))
                .withMessage("batchSize must be >= 1, but was -1");
        assertThatIllegalArgumentException().isThrownBy(() -> ToyDatasets.eightGaussians().next(0, random))
                .withMessage("batchSize must be >= 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> ToyDatasets.swissRoll().next(0, random))
                .withMessage("batchSize must be >= 1, but was 0");
    }
}
