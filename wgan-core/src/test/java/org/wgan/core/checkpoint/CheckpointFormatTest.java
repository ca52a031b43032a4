package org.wgan.core.checkpoint;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CheckpointFormatTest {

    private static final Checkpoint SAMPLE = SampleCheckpoints.sample();

    @TempDir
    Path folder;

    /**
     * Loads {@code file}: true when it fails with an IOException naming the file (and {@code entry} when given),
     * false when it loads with exactly the sample's numbers; any other outcome fails the test.
     */
    private static boolean rejected(Path file, String damage, String entry) {
        Checkpoint read;
        try {
            read = Checkpoint.readFrom(file);
        } catch (IOException e) {
            assertThat(e.getMessage()).as(damage).contains(file.toString());
            if (entry != null) {
                assertThat(e.getMessage()).as(damage).contains("entry " + entry);
            }
            return true;
        } catch (RuntimeException e) {
            throw new AssertionError(damage + " threw " + e, e);
        }
        if (!SampleCheckpoints.sameNumbers(read, SAMPLE)) {
            fail(damage + " loaded with changed numbers");
        }
        return false;
    }

    @Test
    void noCopyWithAFlippedByteOrCutShortLoadsWithChangedNumbers() throws IOException {
        Path original = folder.resolve("original.zip");
        SAMPLE.writeTo(original);
        byte[] bytes = Files.readAllBytes(original);
        Map<String, ZipLayout.Region> regions = ZipLayout.dataRegions(original);
        assertThat(regions.keySet()).contains("generator/parameters", "critic/parameters", "arrays/1");
        Path damaged = folder.resolve("damaged.zip");
        int rejected = 0;
        for (int mask : new int[] {0xff, 0x01, 0x80}) {
            for (int position = 0; position < bytes.length; position++) {
                byte[] copy = bytes.clone();
                copy[position] ^= (byte) mask;
                Files.write(damaged, copy);
                ZipLayout.Region region = ZipLayout.regionAt(regions, position);
                String damage = String.format("byte %d of %d xor 0x%02x (%s)", position, bytes.length, mask,
                        region == null ? "outside entry data" : "data of " + region.entry());
                boolean failed = rejected(damaged, damage, region == null ? null : region.entry());
                if (region != null && mask == 0xff) {
                    assertThat(failed).as("%s loaded although it changed an entry's compressed bytes", damage)
                            .isTrue();
                }
                rejected += failed ? 1 : 0;
            }
        }
        assertThat(rejected).isGreaterThan(bytes.length);
        for (int length = 0; length < bytes.length; length++) {
            Files.write(damaged, Arrays.copyOf(bytes, length));
            assertThat(rejected(damaged, "cut to " + length + " of " + bytes.length + " bytes", null)).isTrue();
        }
    }

    @Test
    void anEntryRewrittenWithAMatchingCrcIsCaughtByItsSha256() throws IOException {
        Path file = folder.resolve("checkpoint.zip");
        SAMPLE.writeTo(file);
        Map<String, byte[]> entries = ZipLayout.entries(file);
        byte[] parameters = entries.get("critic/parameters");
        parameters[parameters.length - 1] ^= 1; // the last bit of the last element: a valid, slightly other number
        ZipLayout.write(file, entries);

        assertThatThrownBy(() -> Checkpoint.readFrom(file)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("entry critic/parameters")
                .hasMessageContaining("SHA-256");
    }

    @Test
    void aCheckpointMissingItsSha256ListIsRejected() throws IOException {
        Path file = folder.resolve("checkpoint.zip");
        SAMPLE.writeTo(file);
        Map<String, byte[]> entries = ZipLayout.entries(file);
        entries.remove(CheckpointFormat.DIGESTS);
        ZipLayout.write(file, entries);

        assertThatThrownBy(() -> Checkpoint.readFrom(file)).isInstanceOf(CorruptCheckpointException.class)
                .hasMessageContaining(file.toString()).hasMessageContaining("no entry " + CheckpointFormat.DIGESTS);
    }

    /** version1.zip was written by the format before the SHA-256 list (commit eaefa18) from {@link #SAMPLE}. */
    @Test
    void aVersion1CheckpointStillLoadsAndIsCheckedByItsCrcs() throws IOException {
        Path file = folder.resolve("version1.zip");
        try (InputStream in = CheckpointFormatTest.class.getResourceAsStream("version1.zip")) {
            Files.copy(in, file);
        }
        SampleCheckpoints.assertSameNumbers(Checkpoint.readFrom(file), SAMPLE);

        ZipLayout.Region data = ZipLayout.dataRegions(file).get("critic/parameters");
        byte[] bytes = Files.readAllBytes(file);
        int flipped = 0;
        for (int position = data.start(); position < data.end(); position++) {
            byte[] copy = bytes.clone();
            copy[position] ^= (byte) 0xff;
            Files.write(file, copy);
            assertThat(rejected(file, "version 1, byte " + position + " of critic/parameters", "critic/parameters"))
                    .isTrue();
            flipped++;
        }
        assertThat(flipped).isGreaterThan(100);
    }
}
