package org.wgan.dl4j.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNullPointerException;

import org.junit.jupiter.api.Test;
import org.nd4j.linalg.api.buffer.DataType;

/** The residual networks' settings: the papers' presets and the rules the sizes must follow. */
class ResNetSpecTest {

    @Test
    void presetsAreThePapersSettings() {
        ResNetSpec cifar = ResNetSpec.cifar10();
        ResNetSpec fashion = ResNetSpec.fashionMnist();

        assertThat(cifar.width()).isEqualTo(128);
        assertThat(cifar.latentSize()).isEqualTo(128);
        assertThat(cifar.channels()).isEqualTo(3);
        assertThat(cifar.imageSize()).isEqualTo(32);
        assertThat(cifar.upBlocks()).isEqualTo(3);
        assertThat(fashion.channels()).isEqualTo(1);
        assertThat(fashion.imageSize()).isEqualTo(28);
        assertThat(fashion.upBlocks()).isEqualTo(2);
        assertThat(fashion.withWidth(16).width()).isEqualTo(16);
        assertThat(fashion.withWidth(16).imageSize()).isEqualTo(28);
    }

    @Test
    void rejectsSizesTheBlocksDoNotFit() {
        ResNetSpec cifar = ResNetSpec.cifar10();

        assertThatIllegalArgumentException().isThrownBy(() -> cifar.withImages(3, 28, 3))
                .withMessage("imageSize must be divisible by 2^upBlocks = 8 (the generator doubles its base size"
                        + " upBlocks times), but was 28");
        assertThatIllegalArgumentException().isThrownBy(() -> cifar.withImages(3, 30, 1))
                .withMessage("imageSize must be a positive multiple of 4 (the critic halves it twice), but was 30");
        assertThatIllegalArgumentException().isThrownBy(() -> cifar.withWidth(0))
                .withMessage("width must be >= 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> cifar.withImages(0, 32, 3))
                .withMessage("channels must be >= 1, but was 0");
        assertThatIllegalArgumentException().isThrownBy(() -> cifar.withDataType(DataType.HALF))
                .withMessage("dataType must be FLOAT or DOUBLE, but was HALF");
        assertThatNullPointerException().isThrownBy(() -> cifar.withUpdater(null)).withMessage("updater");
    }
}
