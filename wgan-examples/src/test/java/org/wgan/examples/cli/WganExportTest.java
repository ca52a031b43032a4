package org.wgan.examples.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.awt.image.BufferedImage;
import java.io.File;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.nd4j.linalg.api.buffer.DataType;
import org.nd4j.linalg.api.ndarray.INDArray;
import org.wgan.core.data.LatentSamplers;
import org.wgan.dl4j.MultiLayerGenerator;
import org.wgan.examples.support.CommandOutcome;

/**
 * {@code wgan export}: the zip loads in a JVM with DL4J and ND4J but no wgan jar, and gives DL4J's samples of the
 * trained network bit for bit; {@code wgan sample --model} samples it as the run does.
 */
class WganExportTest {

    @TempDir
    Path dir;

    private static CommandOutcome wgan(String... args) {
        return CommandOutcome.of(new Wgan(), args);
    }

    @Test
    void theExportLoadsInPlainDl4jAndSamplesAsTheRunDoes() throws Exception {
        Path images = Files.createDirectories(dir.resolve("images"));
        Random random = new Random(9);
        for (int i = 0; i < 24; i++) {
            BufferedImage image = new BufferedImage(16, 16, BufferedImage.TYPE_INT_RGB);
            int colour = random.nextInt(0xffffff);
            for (int y = 4; y < 12; y++) {
                for (int x = random.nextInt(4); x < 12; x++) {
                    image.setRGB(x, y, colour);
                }
            }
            ImageIO.write(image, "png", images.resolve(i + ".png").toFile());
        }
        Path run = dir.resolve("run");
        CommandOutcome trained = wgan("train", "--images", images.toString(), "--size", "16", "--rgb", "--steps",
                "3", "--critic-steps", "1", "--batch-size", "8", "--width", "4", "--latent-size", "8",
                "--checkpoint-every", "3", "--ema-decay", "0.9", "--no-progress", "--output", run.toString());
        assertThat(trained.exitCode()).as(trained.err()).isZero();
        Path zip = dir.resolve("export/gen.zip");

        CommandOutcome exported = wgan("export", "--run", run.toString(), "--output", zip.toString());

        assertThat(exported.exitCode()).as(exported.err()).isZero();
        assertThat(zip).exists();
        assertThat(dir.resolve("export/gen-ema.zip")).exists();
        assertThat(Files.readString(dir.resolve("export/gen.wgan.json"))).contains("\"latentSize\" : 8")
                .contains("\"imageSize\" : 16").contains("\"channels\" : 3").contains("\"generatorStep\" : 3");

        // DL4J's output of the trained network, in this JVM, against a JVM without wgan
        RunSettings settings = RunSettings.readFrom(run);
        ImageRun opened = new ImageRun(settings, run, null, Integer.MAX_VALUE, null);
        opened.trainer().restore(opened.store().latest().orElseThrow());
        INDArray z = LatentSamplers.gaussian(8).sample(5, new Random(3)).castTo(DataType.FLOAT);
        INDArray dl4j = ((MultiLayerGenerator) opened.generator()).network().output(z);
        float[] plain = plainDl4jOutput(zip, z.reshape(z.length()).toFloatVector(), 8);
        assertThat(plain).containsExactly(dl4j.reshape(dl4j.length()).toFloatVector());
        INDArray engine = opened.generator().generate(z);
        assertThat(engine.sub(dl4j).amaxNumber().doubleValue()).isLessThan(1e-5);

        Path fromRun = dir.resolve("run.png");
        Path fromExport = dir.resolve("export.png");
        assertThat(wgan("sample", "--run", run.toString(), "--count", "9", "--grid", fromRun.toString()).exitCode())
                .isZero();
        assertThat(wgan("sample", "--model", zip.toString(), "--count", "9", "--grid", fromExport.toString())
                .exitCode()).isZero();
        assertThat(Files.readAllBytes(fromExport)).isEqualTo(Files.readAllBytes(fromRun));
        wgan("export", "--run", run.toString(), "--output", dir.resolve("gen.bin").toString())
                .assertRejectedWith("--output must name a .zip file, but was " + dir.resolve("gen.bin"));
    }

    /** {@code net.output(z)} of the zip in a fresh JVM whose class path has no wgan module or jar. */
    private float[] plainDl4jOutput(Path zip, float[] z, int latent) throws Exception {
        List<String> path = Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
                .filter(entry -> !entry.contains("/org/wgan/") && !entry.matches(".*/wgan-[a-z0-9-]+/target/.*"))
                .toList();
        assertThat(path).noneMatch(entry -> entry.contains("wgan-examples") || entry.contains("wgan-dl4j"));
        Path source = dir.resolve("PlainDl4j.java");
        Files.writeString(source, String.join("\n",
                "import java.io.File;",
                "import java.nio.ByteBuffer;",
                "import java.nio.ByteOrder;",
                "import java.nio.file.Files;",
                "import java.nio.file.Path;",
                "import org.deeplearning4j.nn.multilayer.MultiLayerNetwork;",
                "import org.deeplearning4j.util.ModelSerializer;",
                "import org.nd4j.linalg.api.ndarray.INDArray;",
                "import org.nd4j.linalg.factory.Nd4j;",
                "public class PlainDl4j {",
                "  public static void main(String[] a) throws Exception {",
                "    try { Class.forName(\"org.wgan.core.Generator\"); throw new IllegalStateException(\"wgan\"); }",
                "    catch (ClassNotFoundException expected) { }",
                "    MultiLayerNetwork net = ModelSerializer.restoreMultiLayerNetwork(new File(a[0]), false);",
                "    ByteBuffer in = ByteBuffer.wrap(Files.readAllBytes(Path.of(a[1])))",
                "        .order(ByteOrder.LITTLE_ENDIAN);",
                "    float[] z = new float[in.remaining() / 4];",
                "    in.asFloatBuffer().get(z);",
                "    int latent = Integer.parseInt(a[2]);",
                "    INDArray images = net.output(Nd4j.create(z, new long[] {z.length / latent, latent}));",
                "    float[] out = images.reshape(images.length()).toFloatVector();",
                "    ByteBuffer bytes = ByteBuffer.allocate(out.length * 4).order(ByteOrder.LITTLE_ENDIAN);",
                "    bytes.asFloatBuffer().put(out);",
                "    Files.write(Path.of(a[3]), bytes.array());",
                "  }",
                "}", ""));
        Path input = dir.resolve("z.bin");
        ByteBuffer bytes = ByteBuffer.allocate(z.length * 4).order(ByteOrder.LITTLE_ENDIAN);
        bytes.asFloatBuffer().put(z);
        Files.write(input, bytes.array());
        Path output = dir.resolve("out.bin");
        List<String> command = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java")
                .toString(), "-Dorg.bytedeco.javacpp.maxPhysicalBytes=2g"));
        // the same libnd4j build as this JVM's: the oneDNN build's kernels give other bits than the plain one's, and
        // with both on the class path an unset extension is not this JVM's empty one
        String extension = System.getProperty("org.bytedeco.javacpp.platform.extension");
        if (extension != null) {
            command.add("-Dorg.bytedeco.javacpp.platform.extension=" + extension);
        }
        command.addAll(List.of("-cp", String.join(File.pathSeparator, path), source.toString(), zip.toString(),
                input.toString(), Integer.toString(latent), output.toString()));
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes());
        assertThat(process.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(process.exitValue()).as(log).isZero();
        ByteBuffer result = ByteBuffer.wrap(Files.readAllBytes(output)).order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[result.remaining() / 4];
        result.asFloatBuffer().get(values);
        return values;
    }
}
