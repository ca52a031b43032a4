package org.wgan.ui;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ValueSurfaceTest {

    @TempDir
    Path folder;

    @Test
    void writesTheDocumentedFormat() throws IOException {
        Path file = folder.resolve(ValueSurface.fileName(300));
        ValueSurface.write(file, -2, 2, -1.5, 1.5, 2, new float[] {1, 2, 3, 4.5f});
        assertThat(file.getFileName().toString()).isEqualTo("critic-000300.csv");
        assertThat(Files.readString(file)).isEqualTo("xMin,xMax,yMin,yMax,n\n-2.0,2.0,-1.5,1.5,2\n1.0,2.0\n3.0,4.5\n");
        assertThat(RunModel.SAMPLE_FILE.matcher(file.getFileName().toString()).matches()).isTrue();
        try (var left = Files.list(folder)) {
            assertThat(left).hasSize(1);
        }
    }

    @Test
    void rejectsAWrongCountOfValues() {
        assertThatThrownBy(() -> ValueSurface.write(folder.resolve("c.csv"), 0, 1, 0, 1, 3, new float[8]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("values must hold n * n = 9 values, but held 8");
    }

    @Test
    void rejectsANonFiniteValueNamingItsIndex() {
        float[] values = {0, 0, Float.NaN, 0};
        assertThatThrownBy(() -> ValueSurface.write(folder.resolve("c.csv"), 0, 1, 0, 1, 2, values))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("values must be finite, but values[2] was NaN");
        assertThat(folder.resolve("c.csv")).doesNotExist();
    }

    @Test
    void rejectsEmptyOrNonFiniteBoundsAndTooFewPoints() {
        assertThatThrownBy(() -> ValueSurface.write(folder.resolve("c.csv"), 1, 1, 0, 1, 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("xMin and xMax must be finite with xMin < xMax, but were 1.0 and 1.0");
        assertThatThrownBy(() -> ValueSurface.write(folder.resolve("c.csv"), 0, 1, 0, Double.NaN, 2, new float[4]))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("yMin and yMax must be finite with yMin < yMax, but were 0.0 and NaN");
        assertThatThrownBy(() -> ValueSurface.write(folder.resolve("c.csv"), 0, 1, 0, 1, 1, new float[1]))
                .isInstanceOf(IllegalArgumentException.class).hasMessage("n must be in 2..512, but was 1");
        assertThatThrownBy(() -> ValueSurface.fileName(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step must be >= 0, but was -1");
    }
}
